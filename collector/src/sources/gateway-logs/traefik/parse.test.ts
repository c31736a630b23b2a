import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../../../../test/fixtures.ts';
import { parseGatewayLog } from '../parse-gateway-log.ts';
import type { ApiCallRecord } from '../api-call.ts';
import { TRAEFIK_NOT_ACCESS_LOG } from './parse.ts';

const fixture = (file: string): string => readFileSync(fixturePath(`gateway-logs/traefik/${file}`), 'utf8');
const pick = <K extends keyof ApiCallRecord>(calls: ApiCallRecord[], key: K) => calls.map((c) => c[key]);

test('Traefik JSON log: six requests read (ns durations, entry point, leaf router, service by name), the plugin debug line rejected', () => {
  const r = parseGatewayLog('traefik', fixture('crowdsec-traefik_json.log'));
  assert.deepEqual(r.rejects, [{ line: 6, reason: `line 6: ${TRAEFIK_NOT_ACCESS_LOG}` }]);
  assert.equal(r.calls.length, 6);
  assert.deepEqual(r.calls[0], {
    timestampMs: Date.UTC(2021, 11, 8, 14, 2, 43, 587),
    gateway: 'traefik',
    gatewayName: 'http',
    consumer: '172.17.0.1',
    consumerKind: 'client_address',
    clientAddress: '172.17.0.1',
    route: 'test@docker',
    upstreamService: 'test',
    method: 'GET',
    path: '/594VAEoi.save',
    pathTemplate: '',
    status: 200,
    durationMs: 0.357313,
    upstreamMs: 0.324669,
    gatewayMs: 0.032644,
    bytesIn: 0,
    bytesOut: 357,
    requestId: '',
    traceId: '',
  } satisfies ApiCallRecord);
  // A request no router matched: Traefik answered 404 itself.
  assert.deepEqual(r.calls[4], {
    timestampMs: Date.UTC(2026, 0, 14, 9, 45, 33, 759),
    gateway: 'traefik',
    gatewayName: 'https',
    consumer: '192.168.1.115',
    consumerKind: 'client_address',
    clientAddress: '192.168.1.115',
    route: '',
    upstreamService: '',
    method: 'GET',
    path: '/',
    pathTemplate: '',
    status: 404,
    durationMs: 0.010158,
    upstreamMs: null,
    gatewayMs: 0.010158,
    bytesIn: 0,
    bytesOut: 19,
    requestId: '',
    traceId: '',
  } satisfies ApiCallRecord);
  assert.deepEqual(pick(r.calls, 'route'), ['test@docker', 'test@docker', 'leaf@file', 'child@file', '', 'matrix-synapse-public-client-api@docker']);
  assert.deepEqual(pick(r.calls, 'upstreamService'), ['test', 'test', 'whoami', 'api', '', 'matrix-synapse-client-api']);
  assert.deepEqual(pick(r.calls, 'gatewayName'), ['http', 'http', 'web', 'web', 'https', 'web-secure']);
  // ClientHost holding a forwarded list: its first entry.
  assert.deepEqual(pick(r.calls, 'clientAddress'), ['172.17.0.1', '172.17.0.1', '192.168.65.1', '192.168.65.1', '192.168.1.115', '192.168.1.100']);
  assert.deepEqual(pick(r.calls, 'durationMs'), [0.357313, 0.564849, 2.001375, 1.5, 0.010158, 2.337877]);
  assert.deepEqual(pick(r.calls, 'method'), ['GET', 'GET', 'GET', 'POST', 'GET', 'OPTIONS']);
});

// Traefik's common format has router, service URL and whole-ms duration, so it
// is read rather than rejected; the upstream is the URL's host (an IP here, kept
// whole by the naming rule) and there is no upstream/gateway split.
test('Traefik common log format: seven requests read, router chains to the leaf, no status when Traefik logged none', () => {
  const r = parseGatewayLog('traefik', fixture('crowdsec-traefik_clf.log'));
  assert.deepEqual(r.rejects, []);
  assert.equal(r.calls.length, 7);
  assert.deepEqual(r.calls[1], {
    timestampMs: Date.UTC(2021, 11, 8, 9, 16, 5),
    gateway: 'traefik',
    gatewayName: 'traefik',
    consumer: '172.17.0.1',
    consumerKind: 'client_address',
    clientAddress: '172.17.0.1',
    route: 'test@docker',
    upstreamService: '172.17.0.3',
    method: 'GET',
    path: '/upload.asp',
    pathTemplate: '',
    status: 200,
    durationMs: 0,
    upstreamMs: null,
    gatewayMs: null,
    bytesIn: 0,
    bytesOut: 405,
    requestId: '',
    traceId: '',
  } satisfies ApiCallRecord);
  assert.deepEqual(pick(r.calls, 'status'), [200, 200, 200, 200, 0, 200, 200]);
  assert.deepEqual(pick(r.calls, 'route'), ['test@docker', 'test@docker', 'test@docker', 'test@docker', '', 'leaf@docker', 'leaf@docker']);
  assert.deepEqual(pick(r.calls, 'upstreamService'), ['172.17.0.3', '172.17.0.3', '172.17.0.3', '172.17.0.3', '', '172.17.0.3', '172.17.0.4']);
  assert.deepEqual(pick(r.calls, 'durationMs'), [0, 0, 0, 1, 0, 42, 25]);
  assert.deepEqual(pick(r.calls, 'timestampMs'), [
    Date.UTC(2021, 11, 8, 9, 16, 5), Date.UTC(2021, 11, 8, 9, 16, 5), Date.UTC(2021, 11, 8, 13, 59, 39), Date.UTC(2021, 11, 8, 13, 59, 39),
    Date.UTC(2022, 8, 28, 13, 38, 4), Date.UTC(2024, 10, 24, 13, 38, 4), Date.UTC(2024, 10, 24, 13, 40, 15),
  ]);
  // A service URL with a host name goes through the naming rule like any host.
  const named = parseGatewayLog('traefik', '10.0.0.9 - alice [08/Dec/2021:09:16:05 +0000] "GET /x HTTP/1.1" 200 1 "-" "-" 1 "web@docker" "http://whoami:80" 3ms');
  assert.deepEqual(named.calls.map((c) => [c.upstreamService, c.consumer, c.consumerKind]), [['whoami', 'alice', 'credential']]);
});

test('plain CLF (no router, service URL or duration) is rejected, not guessed', () => {
  const r = parseGatewayLog('traefik', '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326');
  assert.deepEqual(r.rejects, [{ line: 1, reason: "line 1: neither JSON nor Traefik's common access-log format" }]);
});

test('request headers: X-Request-Id and the trace id from Traceparent or X-B3-Traceid', () => {
  const base = { RequestMethod: 'GET', RequestPath: '/a?b=c', StartUTC: '2026-01-08T14:19:15.980170592Z', DownstreamStatus: 200, ServiceName: 'whoami@docker', OriginDuration: 1_000_000 };
  const body = [
    { ...base, 'request_X-Request-Id': 'req-1', request_Traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    { ...base, 'request_X-B3-Traceid': '80f198ee56343ba8' },
  ].map((o) => JSON.stringify(o)).join('\n');
  const r = parseGatewayLog('traefik', body);
  assert.deepEqual(r.calls.map((c) => [c.requestId, c.traceId, c.path, c.upstreamMs, c.gatewayName]), [
    ['req-1', '4bf92f3577b34da6a3ce929d0e0e4736', '/a', 1, 'traefik'],
    ['', '000000000000000080f198ee56343ba8', '/a', 1, 'traefik'],
  ]);
});

test('malformed Traefik records: line numbers and reasons, good lines kept', () => {
  const good = JSON.stringify({ RequestMethod: 'GET', RequestPath: '/ok', StartUTC: '2026-01-08T14:19:15Z', Duration: 1000 });
  const body = [good, JSON.stringify({ RequestMethod: 'GET' }), JSON.stringify({ RequestMethod: 'GET', StartUTC: 'soon' }), JSON.stringify({ RequestMethod: 'GET', StartUTC: '2026-01-08T14:19:15Z', Duration: 'long' }), good].join('\n');
  const r = parseGatewayLog('traefik', body);
  assert.equal(r.calls.length, 2);
  assert.deepEqual(r.rejects, [
    { line: 2, reason: 'line 2: no start time (StartUTC)' },
    { line: 3, reason: 'line 3: StartUTC is not a date-time ("soon")' },
    { line: 4, reason: 'line 4: Duration is not a number ("long")' },
  ]);
});
