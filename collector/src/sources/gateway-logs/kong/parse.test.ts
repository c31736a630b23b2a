import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../../../../test/fixtures.ts';
import { codeBlocks } from '../doc-samples.ts';
import { parseGatewayLog } from '../parse-gateway-log.ts';
import type { ApiCallRecord } from '../api-call.ts';

const samples = (file: string): string[] => codeBlocks(readFileSync(fixturePath(`gateway-logs/kong/${file}`), 'utf8'));
const NEW_DOC = samples('developer.konghq.com-log-format.md');
const OLD_DOC = samples('docs.konghq.com-log-format-2.x-3.x.md');

function one(body: string, opts = {}): ApiCallRecord {
  const r = parseGatewayLog('kong', body, opts);
  assert.deepEqual(r.rejects, []);
  assert.equal(r.calls.length, 1);
  return r.calls[0]!;
}

test('the fixture pages hold one (3.8) and two (<= 3.3, >= 3.4) sample records', () => {
  assert.equal(NEW_DOC.length, 1);
  assert.equal(OLD_DOC.length, 2);
});

test('Kong 3.8 sample without consumer: client address as consumer, named service, request id, latencies', () => {
  assert.deepEqual(one(NEW_DOC[0]!), {
    timestampMs: 1726783839538,
    gateway: 'kong',
    gatewayName: 'kong',
    consumer: '192.168.65.1',
    consumerKind: 'client_address',
    clientAddress: '192.168.65.1',
    route: 'example_route',
    upstreamService: 'example_service',
    method: 'GET',
    path: '/example-route',
    pathTemplate: '',
    status: 200,
    durationMs: 173,
    upstreamMs: 171,
    gatewayMs: 1,
    bytesIn: 139,
    bytesOut: 9982,
    requestId: '2f6946328ffc4946b8c9120704a4a155',
    traceId: '',
  } satisfies ApiCallRecord);
});

test('Kong 2.x/3.x samples with an authenticated consumer: consumer username, unnamed route by id, service by host', () => {
  const expected: ApiCallRecord = {
    timestampMs: 1614232668342,
    gateway: 'kong',
    gatewayName: 'kong',
    consumer: 'foo',
    consumerKind: 'consumer',
    clientAddress: '192.168.144.1',
    route: '78f79740-c410-4fd9-a998-d0a60a99dc9b',
    // The service has no name, only host httpbin.org; the naming rule keeps a
    // public host whole (only `<app>.<namespace>` like `reviews.default` is split).
    upstreamService: 'httpbin.org',
    method: 'GET',
    path: '/log',
    pathTemplate: '',
    status: 200,
    durationMs: 515,
    upstreamMs: 457,
    gatewayMs: 58,
    bytesIn: 138,
    bytesOut: 827,
    requestId: '',
    traceId: '',
  };
  assert.deepEqual(one(OLD_DOC[0]!), expected);
  assert.deepEqual(one(OLD_DOC[1]!), expected);
});

test('a batched body (JSON array of all three samples) gives three calls; options set gateway name and naming', () => {
  const body = `[${[...NEW_DOC, ...OLD_DOC].join(',')}]`;
  const r = parseGatewayLog('kong', body, { defaultGatewayName: 'kong-eu-1', naming: { format: 'name', aliases: { example_service: 'httpbin.org' } } });
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.calls.map((c) => [c.gatewayName, c.upstreamService, c.consumer]), [
    ['kong-eu-1', 'httpbin.org', '192.168.65.1'],
    ['kong-eu-1', 'httpbin.org', 'foo'],
    ['kong-eu-1', 'httpbin.org', 'foo'],
  ]);
});

test('NDJSON as the file-log plugin writes it: one record per line', () => {
  const lines = [...NEW_DOC, ...OLD_DOC].map((s) => JSON.stringify(JSON.parse(s))).join('\n');
  assert.deepEqual(parseGatewayLog('kong', lines).calls.map((c) => c.timestampMs), [1726783839538, 1614232668342, 1614232668342]);
});

function variant(change: (log: Record<string, any>) => void): string {
  const log = JSON.parse(NEW_DOC[0]!);
  change(log);
  return JSON.stringify(log);
}

test('credential without consumer, traceparent and query string', () => {
  const call = one(
    variant((log) => {
      log.authenticated_entity = { id: 'c62c1455-9b1d-4f2d-8797-509ba83b8ae8' };
      log.request.uri = '/example-route?page=2';
      log.request.headers.traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    }),
  );
  assert.deepEqual([call.consumer, call.consumerKind, call.path, call.traceId], ['c62c1455-9b1d-4f2d-8797-509ba83b8ae8', 'credential', '/example-route', '4bf92f3577b34da6a3ce929d0e0e4736']);
});

test('a response Kong made itself (auth failure) reached no upstream: no service, no upstream time', () => {
  const call = one(
    variant((log) => {
      log.source = 'kong';
      log.response.status = 401;
      log.latencies = { kong: 2, proxy: -1, request: 2 };
      delete log.tries;
    }),
  );
  assert.deepEqual([call.status, call.upstreamService, call.upstreamMs, call.gatewayMs], [401, '', null, 2]);
});

test('malformed records are rejected with the field and why; the good ones are kept', () => {
  const good = JSON.stringify(JSON.parse(NEW_DOC[0]!));
  const body = [good, variant((log) => delete log.request.method), variant((log) => delete log.started_at), variant((log) => (log.latencies.proxy = 'slow')), good].join('\n');
  const r = parseGatewayLog('kong', body);
  assert.equal(r.calls.length, 2);
  assert.deepEqual(r.rejects, [
    { line: 2, reason: 'line 2: no request method (request.method)' },
    { line: 3, reason: 'line 3: no start time (started_at)' },
    { line: 4, reason: 'line 4: latencies.proxy is not a number ("slow")' },
  ]);
});
