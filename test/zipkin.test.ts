// Zipkin v2 over HTTP into otel_traces and the map's edges. The harness starts
// Plexus through cli/, which does not pass a Zipkin port yet, so the collector is
// started here directly on an embedded store, as the collector's own tests do.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openStore, migrate, sql, newestRows, type Store } from '@plexus/store';
import { startCollector, DEFAULT_SPAN_LIMITS, type Collector } from '@plexus/collector';
import { listOfSpansType } from '../collector/src/sources/zipkin/proto.ts';
import { fixturePath } from './fixtures.ts';
import { newTraceId, newSpanId } from './spans.ts';

const dir = mkdtempSync(join(tmpdir(), 'plexus-zipkin-'));
let store: Store;
let collector: Collector;
let zipkinUrl: string;

before(async () => {
  store = await openStore({ dataDir: dir });
  // The public fixtures are from 2016-2019: a retention that keeps them (and stays within DateTime's range).
  await migrate(store, { retentionDays: 10_000 });
  collector = await startCollector({
    store, host: '127.0.0.1', otlpHttpPort: 0, zipkinPort: 0,
    limits: { ...DEFAULT_SPAN_LIMITS, maxBodyBytes: 1024 * 1024, maxDecompressedBytes: 4 * 1024 * 1024 },
    pipeline: { maxQueueRows: 100_000, maxBatchRows: 10_000, maxBatchDelayMs: 20, minBatchRows: 1 },
    decodeThreads: 1, corsOrigins: [], retryAfterSeconds: 1, edgeJob: { intervalMs: 3_600_000, lagMs: 0 }, log: () => {},
  });
  zipkinUrl = `http://127.0.0.1:${collector.zipkinPort}`;
});
after(async () => {
  await collector?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(body: Uint8Array | string, headers: Record<string, string> = { 'content-type': 'application/json' }, path = '/api/v2/spans') {
  const res = await fetch(`${zipkinUrl}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

async function recompute(): Promise<void> {
  await collector.pipeline.drain();
  await collector.edgeJob.runOnce();
}

async function edges(minuteSec: number): Promise<Array<[string, string, string, number, number]>> {
  const rows = await store.query<{ Source: string; Target: string; TargetKind: string; Count: string; Errors: string }>(sql`
    SELECT Source, Target, TargetKind, Count, Errors FROM (${newestRows('edges', 'minute', minuteSec, minuteSec + 60)}) ORDER BY Source, Target`);
  return rows.map((r) => [r.Source, r.Target, r.TargetKind, Number(r.Count), Number(r.Errors)]);
}

test('without zipkinPort there is no Zipkin listener', async () => {
  const other = await startCollector({
    store, host: '127.0.0.1', otlpHttpPort: 0, limits: { ...DEFAULT_SPAN_LIMITS, maxBodyBytes: 1024, maxDecompressedBytes: 1024 },
    pipeline: { maxQueueRows: 10, maxBatchRows: 10, maxBatchDelayMs: 20, minBatchRows: 1 }, decodeThreads: 1, corsOrigins: [], retryAfterSeconds: 1,
    edgeJob: { intervalMs: 3_600_000, lagMs: 0 }, log: () => {},
  });
  try {
    assert.equal(other.zipkinPort, undefined);
    assert.equal(typeof collector.zipkinPort, 'number');
  } finally {
    await other.close();
  }
});

test('envoy.json is accepted with 202 and stored as one SERVER span', async () => {
  const r = await post(readFileSync(fixturePath('zipkin/openzipkin/envoy.json')));
  assert.equal(r.status, 202);
  assert.deepEqual(r.body, { accepted: 1, rejected: 0 });
  await collector.pipeline.drain();
  const rows = await store.query<{ ServiceName: string; SpanKind: string; SpanName: string; Duration: string; Shared: string; Path: string }>(sql`
    SELECT ServiceName, SpanKind, SpanName, Duration, SpanAttributes['zipkin.shared'] AS Shared, SpanAttributes['url.path'] AS Path
    FROM otel_traces WHERE TraceId = '0000000000000000978883983d506fa5'`);
  assert.deepEqual(rows.map((x) => ({ ...x, Duration: Number(x.Duration) })), [
    { ServiceName: 'unknown_service', SpanKind: 'Server', SpanName: 'localhost:10000', Duration: 127_115_000, Shared: 'true', Path: '/' },
  ]);
});

test('an Istio-named CLIENT/SERVER pair and one bad span: 202 with counts and the reason; only the good spans stored; the edge productpage -> reviews', async () => {
  const minuteMs = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
  const us = (ms: number) => ms * 1000;
  const traceId = newTraceId();
  const clientId = newSpanId();
  const serverId = newSpanId();
  const spans = [
    {
      traceId, id: clientId, kind: 'CLIENT', name: 'reviews.default.svc.cluster.local:9080/*', timestamp: us(minuteMs + 1000), duration: 12_000,
      localEndpoint: { serviceName: 'productpage.default', ipv4: '10.1.0.7' }, remoteEndpoint: { serviceName: 'reviews.default.svc.cluster.local', port: 9080 },
      tags: { 'http.method': 'GET', 'http.url': 'http://reviews:9080/reviews/0', 'http.status_code': '200', upstream_cluster: 'outbound|9080||reviews.default.svc.cluster.local' },
    },
    { traceId, id: newSpanId(), parentId: clientId, kind: 'SERVER', name: 'no start time', localEndpoint: { serviceName: 'ratings.default' } },
    {
      traceId, id: serverId, parentId: clientId, kind: 'SERVER', name: 'reviews.default.svc.cluster.local:9080/*', timestamp: us(minuteMs + 1002), duration: 9_000,
      localEndpoint: { serviceName: 'reviews.default', ipv4: '10.1.0.9' },
      tags: { 'http.method': 'GET', 'http.url': 'http://reviews:9080/reviews/0', 'http.status_code': '503' },
    },
  ];
  const r = await post(JSON.stringify(spans));
  assert.equal(r.status, 202);
  assert.deepEqual(r.body, {
    accepted: 2, rejected: 1,
    errors: ['spans[1]: no timestamp: Zipkin allows one for late or incomplete data, but a stored span needs its start time (report the span once it has started)'],
  });
  await recompute();
  const rows = await store.query<{ SpanId: string; ServiceName: string; SpanKind: string; Namespace: string; Peer: string; Duration: string }>(sql`
    SELECT SpanId, ServiceName, SpanKind, ResourceAttributes['service.namespace'] AS Namespace, SpanAttributes['peer.service'] AS Peer, Duration
    FROM otel_traces WHERE TraceId = ${traceId} ORDER BY Timestamp`);
  assert.deepEqual(rows.map((x) => [x.SpanId, x.ServiceName, x.SpanKind, x.Namespace, x.Peer, Number(x.Duration)]), [
    [clientId, 'productpage', 'Client', 'default', 'reviews', 12_000_000],
    [serverId, 'reviews', 'Server', 'default', '', 9_000_000],
  ]);
  // One call, an error by its HTTP 503 (status Unset); the client has its server child, so no virtual edge to a 'reviews' external.
  assert.deepEqual(await edges(minuteMs / 1000), [['productpage', 'reviews', 'SERVICE', 1, 1]]);
});

test('ascend.json (real Brave spans with shared server halves): the gateway calls two services', async () => {
  const r = await post(readFileSync(fixturePath('zipkin/openzipkin/ascend.json')));
  assert.deepEqual([r.status, r.body], [202, { accepted: 8, rejected: 0 }]);
  await recompute();
  assert.deepEqual(await edges(Math.floor(1531282088 / 60) * 60), [
    ['mobile-gateway', 'auth-service', 'SERVICE', 1, 0],
    ['mobile-gateway', 'content-service', 'SERVICE', 1, 0],
  ]);
});

test('proto3 and gzip bodies are read; the answers for unreadable, unsupported, oversized and misrouted requests', async () => {
  const traceId = newTraceId();
  const proto = listOfSpansType.encode(listOfSpansType.fromObject({
    spans: [{ traceId: Buffer.from(traceId, 'hex'), id: Buffer.from(newSpanId(), 'hex'), kind: 2, name: 'get', timestamp: Date.now() * 1000 - 60_000_000, duration: 5, localEndpoint: { serviceName: 'details.default' } }],
  })).finish();
  const pb = await post(proto, { 'content-type': 'application/x-protobuf' });
  assert.deepEqual([pb.status, pb.body], [202, { accepted: 1, rejected: 0 }]);
  const gz = await post(gzipSync(readFileSync(fixturePath('zipkin/openzipkin/zipkin2-client.json'))), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
  assert.deepEqual([gz.status, gz.body], [202, { accepted: 1, rejected: 0 }]);
  await collector.pipeline.drain();
  const [row] = await store.query<{ ServiceName: string; SpanKind: string }>(sql`SELECT ServiceName, SpanKind FROM otel_traces WHERE TraceId = ${traceId}`);
  assert.deepEqual(row, { ServiceName: 'details', SpanKind: 'Server' });

  const bad = await post('[{"traceId": ');
  assert.equal(bad.status, 400);
  assert.match(bad.body.error, /^body is not valid JSON/);
  const thrift = await post('x', { 'content-type': 'application/x-thrift' });
  assert.equal(thrift.status, 415);
  assert.match(thrift.body.error, /application\/json or application\/x-protobuf/);
  const big = await post('[' + ' '.repeat(2 * 1024 * 1024) + ']');
  assert.equal(big.status, 413);
  const v1 = await post('[]', { 'content-type': 'application/json' }, '/api/v1/spans');
  assert.equal(v1.status, 404);
  assert.match(v1.body.error, /Zipkin v1 is not supported/);
  const get = await fetch(`${zipkinUrl}/api/v2/spans`);
  assert.deepEqual([get.status, get.headers.get('allow')], [405, 'POST']);
});

test('a B3 shared span (client and server halves with one id) at a leaf is one call, not a call plus a virtual edge', async () => {
  const minuteMs = Math.floor(Date.now() / 60_000) * 60_000 - 7 * 60_000;
  const us = (ms: number) => ms * 1000;
  const traceId = newTraceId();
  const root = newSpanId();
  const shared = newSpanId();
  const spans = [
    { traceId, id: root, kind: 'SERVER', name: 'get /checkout', timestamp: us(minuteMs + 1000), duration: 30_000, localEndpoint: { serviceName: 'checkout' } },
    { traceId, id: shared, parentId: root, kind: 'CLIENT', name: 'get /price', timestamp: us(minuteMs + 1001), duration: 12_000, localEndpoint: { serviceName: 'checkout' }, remoteEndpoint: { serviceName: 'pricing' } },
    { traceId, id: shared, parentId: root, kind: 'SERVER', shared: true, name: 'get /price', timestamp: us(minuteMs + 1002), duration: 10_000, localEndpoint: { serviceName: 'pricing' } },
  ];
  assert.equal((await post(JSON.stringify(spans))).status, 202);
  await recompute();
  assert.deepEqual(await edges(minuteMs / 1000), [['checkout', 'pricing', 'SERVICE', 1, 0]]);
});
