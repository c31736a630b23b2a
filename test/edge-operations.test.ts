// edge_operations: calls per minute by caller and by the operation the callee
// served, from OTLP over HTTP. Expected rows are written out by hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, newestRows } from '@plexus/store';
import { startTestPlexus, postOtlpJson, type TestPlexus } from './harness.ts';
import { otlpJson, newTraceId, newSpanId, type TestSpan } from './spans.ts';

let px: TestPlexus;
before(async () => {
  px = await startTestPlexus();
});
after(async () => {
  await px?.close();
});

const base = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;

/** A CLIENT span in `caller` and its SERVER child in `callee`. */
function call(caller: string, callee: string, server: Pick<TestSpan, 'name' | 'attributes'>, opts: { error?: boolean; durationMs?: number } = {}): TestSpan[] {
  const traceId = newTraceId();
  const clientId = newSpanId();
  const d = opts.durationMs ?? 10;
  return [
    { service: caller, name: 'HTTP call', kind: 'CLIENT', traceId, spanId: clientId, startMs: base + 1000, durationMs: d + 2 },
    { service: callee, kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: clientId, startMs: base + 1001, durationMs: d, error: opts.error, ...server },
  ];
}

test('calls are kept per caller and served operation; entry calls have no caller; raw paths are templated', async () => {
  const spans: TestSpan[] = [
    // http.route wins over the span name and the path.
    ...call('web', 'orders', { name: 'GET', attributes: { 'http.request.method': 'GET', 'http.route': '/orders/{id}', 'url.path': '/orders/7' } }),
    ...call('web', 'orders', { name: 'GET', attributes: { 'http.request.method': 'GET', 'http.route': '/orders/{id}', 'url.path': '/orders/8' } }, { error: true }),
    // Old conventions: method and raw target only; the path is templated.
    ...call('mobile', 'orders', { name: 'HTTP GET', attributes: { 'http.method': 'GET', 'http.target': '/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6?expand=1' } }),
    // A `METHOD /path` span name without attributes.
    ...call('web', 'orders', { name: 'POST /orders', attributes: {} }),
    // gRPC: the span name is the operation.
    ...call('web', 'pricing', { name: 'shop.Pricing/Quote', attributes: { 'rpc.system': 'grpc', 'rpc.service': 'shop.Pricing', 'rpc.method': 'Quote' } }),
    // A root server span: traffic with no calling service.
    { service: 'orders', name: 'GET /health', kind: 'SERVER', traceId: newTraceId(), spanId: newSpanId(), startMs: base + 2000, durationMs: 1, attributes: { 'http.request.method': 'GET', 'url.path': '/health' } },
  ];
  const r = await postOtlpJson(px.otlpUrl, otlpJson(spans));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await px.recompute();
  const rows = await px.store.query<{ Target: string; Source: string; Method: string; Route: string; Count: string; Errors: string }>(sql`
    SELECT Target, Source, Method, Route, Count, Errors FROM (${newestRows('operations', 'minute', base / 1000, base / 1000 + 60)})
    WHERE TargetKind = 'SERVICE' ORDER BY Target, Source, Method, Route`);
  assert.deepEqual(rows.map((x) => [x.Target, x.Source, x.Method, x.Route, Number(x.Count), Number(x.Errors)]), [
    ['orders', '', 'GET', '/health', 1, 0],
    ['orders', 'mobile', 'GET', '/orders/{uuid}', 1, 0],
    ['orders', 'web', 'GET', '/orders/{id}', 2, 1],
    ['orders', 'web', 'POST', '/orders', 1, 0],
    ['pricing', 'web', '', 'shop.Pricing/Quote', 1, 0],
  ]);
  // service_edges is the same calls summed over operations, without entry calls.
  const edges = await px.store.query<{ Source: string; Target: string; Count: string; Errors: string }>(sql`
    SELECT Source, Target, Count, Errors FROM (${newestRows('edges', 'minute', base / 1000, base / 1000 + 60)}) ORDER BY Source, Target`);
  assert.deepEqual(edges.map((x) => [x.Source, x.Target, Number(x.Count), Number(x.Errors)]), [
    ['mobile', 'orders', 1, 0],
    ['web', 'orders', 3, 1],
    ['web', 'pricing', 1, 0],
  ]);
});
