import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../../../../test/fixtures.ts';
import { parseGatewayLog } from '../parse-gateway-log.ts';
import type { ApiCallRecord } from '../api-call.ts';
import { ZTUNNEL_REASON } from './parse.ts';

const fixture = (file: string): string => readFileSync(fixturePath(`gateway-logs/${file}`), 'utf8');
const pick = <K extends keyof ApiCallRecord>(calls: ApiCallRecord[], key: K) => calls.map((c) => c[key]);

test('Envoy Gateway CRI log: JSON records (header-style keys) and default-format text lines, all ten read', () => {
  const r = parseGatewayLog('envoy', fixture('envoy/crowdsec-envoy-gateway-cri.log'));
  assert.deepEqual(r.rejects, []);
  assert.equal(r.calls.length, 10);
  // Line 1: JSON, routed to a backend.
  assert.deepEqual(r.calls[0], {
    timestampMs: Date.UTC(2025, 11, 31, 16, 37, 40, 479),
    gateway: 'envoy',
    gatewayName: 'envoy',
    consumer: '10.0.0.12',
    consumerKind: 'client_address',
    clientAddress: '10.0.0.12',
    route: 'httproute/app/app-www-example-com/rule/0/match/0/www_example_com',
    // The cluster is an HTTPRoute rule, not a service; the authority names the upstream.
    upstreamService: 'www.example.com',
    method: 'GET',
    path: '/assets/image.webp',
    pathTemplate: '',
    status: 200,
    durationMs: 11,
    upstreamMs: null,
    gatewayMs: null,
    bytesIn: 0,
    bytesOut: 121258,
    requestId: '3bbc0252-2d5c-49fe-bd89-104e9b61770b',
    traceId: '',
  } satisfies ApiCallRecord);
  // Line 4: Envoy's default text format.
  assert.deepEqual(r.calls[3], {
    timestampMs: Date.UTC(2016, 3, 15, 20, 17, 0, 310),
    gateway: 'envoy',
    gatewayName: 'envoy',
    consumer: '10.0.35.28',
    consumerKind: 'client_address',
    clientAddress: '10.0.35.28',
    route: '',
    upstreamService: 'locations',
    method: 'POST',
    path: '/api/v1/locations',
    pathTemplate: '',
    status: 204,
    durationMs: 226,
    upstreamMs: 100,
    gatewayMs: null,
    bytesIn: 154,
    bytesOut: 0,
    requestId: 'cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2',
    traceId: '',
  } satisfies ApiCallRecord);
  assert.deepEqual(pick(r.calls, 'path'), ['/assets/image.webp', '/', '/.env', '/api/v1/locations', '/test', '/', '/api/data', '/api/create', '/api/proxy', '/api/proxy6']);
  assert.deepEqual(pick(r.calls, 'status'), [200, 301, 404, 204, 200, 301, 200, 201, 200, 201]);
  // Direct responses (redirects) have upstream_host null: they reached no service.
  // `example.com` is a public host, kept whole by the naming rule (only `<app>.<namespace>` is split).
  assert.deepEqual(pick(r.calls, 'upstreamService'), ['www.example.com', '', 'foo.example.com', 'locations', 'example.com', '', 'proxy.example.com', 'proxy6.example.com', 'proxy.example.com', 'proxy6.example.com']);
  // The first X-Forwarded-For entry, IPv6 too, with or without brackets and port.
  assert.deepEqual(pick(r.calls, 'clientAddress'), ['10.0.0.12', '192.168.1.45', '172.16.2.33', '10.0.35.28', 'fd00:1234:5678::5a24', 'fd00:1234:5678::5a24', '192.168.1.100', 'fd00:1234:5678::5a24', '192.168.1.100', 'fd00:1234:5678::5a24']);
  assert.deepEqual(pick(r.calls, 'upstreamMs'), [null, null, null, 100, 25, null, null, null, 15, 20]);
});

test('Envoy crawl CRI log: 41 JSON records with few keys, the authority names the upstream', () => {
  const r = parseGatewayLog('envoy', fixture('envoy/crowdsec-envoy-crawl-non_statics-cri.log'));
  assert.deepEqual(r.rejects, []);
  assert.equal(r.calls.length, 41);
  assert.deepEqual(r.calls[0], {
    timestampMs: Date.UTC(2025, 11, 31, 16, 40, 0, 100),
    gateway: 'envoy',
    gatewayName: 'envoy',
    consumer: '10.0.0.13',
    consumerKind: 'client_address',
    clientAddress: '10.0.0.13',
    route: '',
    upstreamService: 'crawl',
    method: 'GET',
    path: '/page-01',
    pathTemplate: '',
    status: 404,
    durationMs: 0,
    upstreamMs: null,
    gatewayMs: null,
    bytesIn: 0,
    bytesOut: 0,
    requestId: '',
    traceId: '',
  } satisfies ApiCallRecord);
  assert.deepEqual(pick(r.calls, 'path'), Array.from({ length: 41 }, (_, i) => `/page-${String(i + 1).padStart(2, '0')}`));
  assert.ok(r.calls.every((c) => c.status === 404 && c.method === 'GET' && c.upstreamService === 'crawl'));
});

test('Istio waypoint log (kubectl --timestamps): Istio default text format, upstream from the inbound-vip cluster', () => {
  const r = parseGatewayLog('istio', fixture('istio/kiali-waypoint.log'));
  assert.deepEqual(r.rejects, []);
  assert.equal(r.calls.length, 16);
  assert.deepEqual(r.calls[0], {
    timestampMs: Date.UTC(2025, 0, 30, 12, 10, 13, 279),
    gateway: 'istio',
    gatewayName: 'istio',
    consumer: '10.244.0.37',
    consumerKind: 'client_address',
    clientAddress: '10.244.0.37',
    route: 'default',
    upstreamService: 'details',
    method: 'GET',
    path: '/details/0',
    pathTemplate: '',
    status: 200,
    durationMs: 0,
    upstreamMs: 0,
    gatewayMs: null,
    bytesIn: 0,
    bytesOut: 178,
    requestId: 'e7d5b6ce-5f7f-9731-8471-ca5bcd650a72',
    traceId: '',
  } satisfies ApiCallRecord);
  const gw = 'bookinfo-gateway-istio';
  assert.deepEqual(pick(r.calls, 'upstreamService'), ['details', 'details', 'ratings', 'reviews', gw, 'details', 'reviews', gw, 'details', 'ratings', 'reviews', gw, 'details', 'ratings', 'reviews', gw]);
  assert.deepEqual(pick(r.calls, 'durationMs'), [0, 0, 2, 4, 13, 0, 0, 11, 0, 2, 4, 13, 1, 1, 6, 21]);
  assert.deepEqual(pick(r.calls, 'upstreamMs'), [0, 0, 2, 4, 13, 0, 0, 11, 0, 1, 4, 13, 0, 1, 5, 20]);
  assert.deepEqual(pick(r.calls, 'bytesOut'), [178, 178, 48, 442, 9481, 178, 358, 9429, 178, 48, 438, 15068, 178, 48, 442, 15072]);
  // `name.namespace` keeps the namespace of the cluster's host.
  const ns = parseGatewayLog('istio', fixture('istio/kiali-waypoint.log'), { naming: { format: 'name.namespace', aliases: {} }, defaultGatewayName: 'waypoint' });
  assert.deepEqual([ns.calls[0]!.upstreamService, ns.calls[0]!.gatewayName], ['details.bookinfo', 'waypoint']);
});

test('Istio ztunnel log: L4 connection records only, every line rejected as such', () => {
  const r = parseGatewayLog('istio', fixture('istio/kiali-ztunnel.log'));
  assert.deepEqual(r.calls, []);
  assert.deepEqual(r.rejects, Array.from({ length: 28 }, (_, i) => ({ line: i + 1, reason: `line ${i + 1}: ${ZTUNNEL_REASON}` })));
  assert.equal(ZTUNNEL_REASON, 'ztunnel connection log, no HTTP request');
  // ztunnel's JSON layout is recognised too.
  const json = JSON.stringify({ level: 'info', time: '2024-04-12T10:17:44.080629Z', scope: 'access', message: 'connection complete', 'src.addr': '10.244.0.16:52008' });
  assert.deepEqual(parseGatewayLog('istio', json).rejects, [{ line: 1, reason: `line 1: ${ZTUNNEL_REASON}` }]);
});

// Istio's default JSON keys (meshConfig.accessLogEncoding: JSON), numbers as strings.
const istioJson = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    authority: 'details:9080', bytes_received: '0', bytes_sent: '178', connection_termination_details: null, downstream_local_address: '10.96.185.196:9080',
    downstream_remote_address: '10.244.0.37:52134', duration: '3', method: 'GET', path: '/details/0?x=1', protocol: 'HTTP/1.1', request_id: 'e7d5b6ce-5f7f-9731-8471-ca5bcd650a72',
    requested_server_name: null, response_code: '200', response_code_details: 'via_upstream', response_flags: '-', route_name: 'default', start_time: '2025-01-30T10:53:16.279Z',
    upstream_cluster: 'outbound|9080||details.default.svc.cluster.local', upstream_host: '10.244.0.32:9080', upstream_local_address: '10.244.0.37:40000',
    upstream_service_time: '2', upstream_transport_failure_reason: null, user_agent: 'Go-http-client/1.1', x_forwarded_for: null,
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', ...over,
  });

test('Istio JSON access log: string numbers, outbound cluster named by the naming rule, traceparent', () => {
  const r = parseGatewayLog('istio', istioJson());
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.calls[0], {
    timestampMs: Date.UTC(2025, 0, 30, 10, 53, 16, 279),
    gateway: 'istio',
    gatewayName: 'istio',
    consumer: '10.244.0.37',
    consumerKind: 'client_address',
    clientAddress: '10.244.0.37',
    route: 'default',
    upstreamService: 'details',
    method: 'GET',
    path: '/details/0',
    pathTemplate: '',
    status: 200,
    durationMs: 3,
    upstreamMs: 2,
    gatewayMs: null,
    bytesIn: 0,
    bytesOut: 178,
    requestId: 'e7d5b6ce-5f7f-9731-8471-ca5bcd650a72',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  } satisfies ApiCallRecord);
  // Denied before the upstream (ext_authz): cluster set, upstream host '-'.
  const denied = parseGatewayLog('istio', istioJson({ upstream_host: '-', response_code: 403, response_flags: 'UAEX', upstream_service_time: '-' })).calls[0]!;
  assert.deepEqual([denied.status, denied.upstreamService, denied.upstreamMs], [403, '', null]);
});

test('malformed Envoy lines are rejected with line and why; good lines around them kept', () => {
  const good = istioJson();
  const body = [
    good,
    '[2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204 - 154 0 226', // cut short
    istioJson({ response_code: 'OK' }),
    istioJson({ method: '-' }),
    istioJson({ start_time: 'yesterday' }),
    '[2016-04-15T20:17:00.310Z] "- - -" 0 - 0 0 5 - "-" "-" "-" "-" "10.0.0.1:5432"', // TCP proxy, no request
    good,
  ].join('\n');
  const r = parseGatewayLog('envoy', body);
  assert.equal(r.calls.length, 2);
  assert.deepEqual(r.rejects, [
    { line: 2, reason: "line 2: neither JSON nor Envoy's or Istio's default text access-log format" },
    { line: 3, reason: 'line 3: response_code is not a number ("OK")' },
    { line: 4, reason: 'line 4: no request method (method)' },
    { line: 5, reason: 'line 5: start_time is not a date-time ("yesterday")' },
    { line: 6, reason: 'line 6: no request method (method)' },
  ]);
});
