// Latency investigation (issue 6) on a real Plexus: where the time of an entry
// point goes, how deep its synchronous calls run, how the graph changed between
// two windows, and what breaks if a service fails. Every expectation is worked
// out by hand from the spans planted here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCatalog } from '@plexus/catalog';
import { sql } from '@plexus/store';
import { sampleEntrySpans } from '../query-api/src/analytics/entry-sample.ts';
import { parseWindow } from '../query-api/src/analytics/window.ts';
import { startTestPlexus, postOtlpJson, type TestPlexus } from './harness.ts';
import { otlpJson, newTraceId, newSpanId, type TestSpan } from './spans.ts';

let px: TestPlexus;
const base = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
const main = { from: new Date(base).toISOString(), to: new Date(base + 3 * 60_000).toISOString() };
// The diff's windows: 10 minutes, then 20 minutes, both well before `main`.
const t1 = base - 60 * 60_000;
const t2 = base - 40 * 60_000;
const w1 = { from: new Date(t1).toISOString(), to: new Date(t1 + 10 * 60_000).toISOString() };
const w2 = { from: new Date(t2).toISOString(), to: new Date(t2 + 20 * 60_000).toISOString() };
const checkoutTraces: string[] = [];

const kafka = (topic: string, op: string) => ({ 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.operation.type': op });

/**
 * frontend GET /checkout (340 ms): cart (20 ms), then recommend in parallel with
 * payment; payment publishes to `payments` (ledger consumes it after the
 * request, and calls audit) and calls fraud, which takes 300 ms.
 */
function checkout(t: number): TestSpan[] {
  const traceId = newTraceId();
  checkoutTraces.push(traceId);
  const [a, b, r, d, e, p, l, lc, f] = Array.from({ length: 9 }, newSpanId);
  return [
    { service: 'frontend', name: 'GET /checkout', kind: 'SERVER', traceId, spanId: a!, startMs: t, durationMs: 340 },
    { service: 'frontend', name: 'POST cart', kind: 'CLIENT', traceId, spanId: b!, parentSpanId: a, startMs: t + 2, durationMs: 22 },
    { service: 'cart', name: 'GET /cart', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: b, startMs: t + 3, durationMs: 20 },
    { service: 'frontend', name: 'GET recommend', kind: 'CLIENT', traceId, spanId: r!, parentSpanId: a, startMs: t + 26, durationMs: 74 },
    { service: 'recommend', name: 'GET /recommendations', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: r, startMs: t + 27, durationMs: 72 },
    { service: 'frontend', name: 'POST payment', kind: 'CLIENT', traceId, spanId: d!, parentSpanId: a, startMs: t + 26, durationMs: 310 },
    { service: 'payment', name: 'POST /pay', kind: 'SERVER', traceId, spanId: e!, parentSpanId: d, startMs: t + 27, durationMs: 308 },
    { service: 'payment', name: 'payments publish', kind: 'PRODUCER', traceId, spanId: p!, parentSpanId: e, startMs: t + 28, durationMs: 1, attributes: kafka('payments', 'send') },
    { service: 'ledger', name: 'payments process', kind: 'CONSUMER', traceId, spanId: l!, parentSpanId: p, startMs: t + 338, durationMs: 22, attributes: kafka('payments', 'process') },
    { service: 'ledger', name: 'POST audit', kind: 'CLIENT', traceId, spanId: lc!, parentSpanId: l, startMs: t + 340, durationMs: 10 },
    { service: 'audit', name: 'POST /audit', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: lc, startMs: t + 341, durationMs: 8 },
    { service: 'payment', name: 'POST fraud', kind: 'CLIENT', traceId, spanId: f!, parentSpanId: e, startMs: t + 30, durationMs: 302 },
    { service: 'fraud', name: 'POST /check', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: f, startMs: t + 31, durationMs: 300 },
  ];
}

/** payment POST /refund as a trace root; it asks fraud only when `check`. */
function refund(t: number, check: boolean): TestSpan[] {
  const traceId = newTraceId();
  const [root, c] = [newSpanId(), newSpanId()];
  return [
    { service: 'payment', name: 'POST /refund', kind: 'SERVER', traceId, spanId: root, startMs: t, durationMs: 50 },
    ...(check ? [
      { service: 'payment', name: 'POST fraud', kind: 'CLIENT', traceId, spanId: c, parentSpanId: root, startMs: t + 5, durationMs: 40 },
      { service: 'fraud', name: 'POST /check', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: c, startMs: t + 6, durationMs: 38 },
    ] as TestSpan[] : []),
  ];
}

/** orders POST /orders hands fraud a request through the fraud-requests topic (same trace, asynchronously). */
function order(t: number): TestSpan[] {
  const traceId = newTraceId();
  const [root, p] = [newSpanId(), newSpanId()];
  return [
    { service: 'orders', name: 'POST /orders', kind: 'SERVER', traceId, spanId: root, startMs: t, durationMs: 20 },
    { service: 'orders', name: 'fraud-requests publish', kind: 'PRODUCER', traceId, spanId: p, parentSpanId: root, startMs: t + 2, durationMs: 2, attributes: kafka('fraud-requests', 'send') },
    { service: 'fraud', name: 'fraud-requests process', kind: 'CONSUMER', traceId, spanId: newSpanId(), parentSpanId: p, startMs: t + 10, durationMs: 30, attributes: kafka('fraud-requests', 'process') },
  ];
}

/** frontend GET /home: cart only. */
function home(t: number): TestSpan[] {
  const traceId = newTraceId();
  const [root, c] = [newSpanId(), newSpanId()];
  return [
    { service: 'frontend', name: 'GET /home', kind: 'SERVER', traceId, spanId: root, startMs: t, durationMs: 30 },
    { service: 'frontend', name: 'POST cart', kind: 'CLIENT', traceId, spanId: c, parentSpanId: root, startMs: t + 2, durationMs: 10 },
    { service: 'cart', name: 'GET /cart', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: c, startMs: t + 3, durationMs: 8 },
  ];
}

/** d-web -> d-api (20 ms, failing when `error`), and d-api -> d-store (10 ms) / d-cache (5 ms) when asked. */
function diffTrace(t: number, opts: { error?: boolean; store?: boolean; cache?: boolean }): TestSpan[] {
  const traceId = newTraceId();
  const [root, c, api, sc, cc] = Array.from({ length: 5 }, newSpanId);
  return [
    { service: 'd-web', name: 'GET /', kind: 'SERVER', traceId, spanId: root!, startMs: t, durationMs: 30 },
    { service: 'd-web', name: 'GET api', kind: 'CLIENT', traceId, spanId: c!, parentSpanId: root, startMs: t + 2, durationMs: 22 },
    { service: 'd-api', name: 'GET /items', kind: 'SERVER', traceId, spanId: api!, parentSpanId: c, startMs: t + 3, durationMs: 20, error: opts.error },
    ...(opts.store ? [
      { service: 'd-api', name: 'GET store', kind: 'CLIENT', traceId, spanId: sc!, parentSpanId: api, startMs: t + 5, durationMs: 12 },
      { service: 'd-store', name: 'GET /s', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: sc, startMs: t + 6, durationMs: 10 },
    ] as TestSpan[] : []),
    ...(opts.cache ? [
      { service: 'd-api', name: 'GET cache', kind: 'CLIENT', traceId, spanId: cc!, parentSpanId: api, startMs: t + 18, durationMs: 6 },
      { service: 'd-cache', name: 'GET /c', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: cc, startMs: t + 18.5, durationMs: 5 },
    ] as TestSpan[] : []),
  ];
}

// Components as `name type team [api]`, then APIs as `name team`.
const CATALOG = [
  ...['frontend website web-team storefront-api', 'payment service payments-team payments-api', 'fraud service payments-team fraud-api', 'orders service orders-team orders-api', 'ledger service ledger-team'].map((s) => {
    const [name, type, team, api] = s.split(' ');
    return `---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: ${name} }
spec: { type: ${type}, lifecycle: production, owner: group:default/${team}${api ? `, providesApis: [${api}]` : ''} }
`;
  }),
  ...['storefront-api web-team', 'payments-api payments-team', 'fraud-api risk-team', 'orders-api orders-team'].map((s) => {
    const [name, team] = s.split(' ');
    return `---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: { name: ${name} }
spec:
  type: openapi
  lifecycle: production
  owner: group:default/${team}
  definition: |
    openapi: 3.0.3
    info: { title: ${name}, version: '1' }
    paths:
      /x:
        get: { responses: { '200': { description: ok } } }
`;
  }),
].join('');

before(async () => {
  px = await startTestPlexus();
  const dir = mkdtempSync(join(tmpdir(), 'plexus-investigate-'));
  writeFileSync(join(dir, 'catalog-info.yaml'), CATALOG);
  const imported = await importCatalog(px.store, [join(dir, 'catalog-info.yaml')]);
  assert.deepEqual(imported.errors, []);
  const spans: TestSpan[] = [];
  for (let i = 0; i < 10; i++) spans.push(...checkout(base + 5_000 + i * 1000));
  for (let i = 0; i < 4; i++) spans.push(...refund(base + 20_000 + i * 1000, i < 3));
  for (let i = 0; i < 2; i++) spans.push(...order(base + 30_000 + i * 1000));
  for (let i = 0; i < 3; i++) spans.push(...home(base + 40_000 + i * 1000));
  // fraud's own root spans (called directly, no parent).
  for (let i = 0; i < 2; i++) spans.push({ service: 'fraud', name: 'POST /check', kind: 'SERVER', traceId: newTraceId(), spanId: newSpanId(), startMs: base + 50_000 + i * 1000, durationMs: 5 });
  // Before: 6 calls d-web -> d-api, 4 of them on to d-store. After (twice as long): 12 calls, 3 failing, 4 to d-store, 3 to d-cache.
  for (let i = 0; i < 6; i++) spans.push(...diffTrace(t1 + 60_000 + i * 1000, { store: i < 4 }));
  for (let i = 0; i < 12; i++) spans.push(...diffTrace(t2 + 60_000 + i * 1000, { error: i < 3, store: i < 4, cache: i >= 9 }));
  const r = await postOtlpJson(px.otlpUrl, otlpJson(spans));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await px.recompute();
});
after(async () => {
  await px?.close();
});

test('criticalPath: the planted slow fraud check takes 300 of the 340 ms; the parallel recommend call is not on the path', async () => {
  const d = await px.gql(`query($from: DateTime!, $to: DateTime!) {
    criticalPath(service: "frontend", operation: "GET /checkout", from: $from, to: $to) {
      service operation sampledSpans totalSpans meanDurationMs p95DurationMs
      contributors { service operation share meanSelfMs p95SelfMs spans }
      callDepth { max p50 deepestChain } } }`, main);
  const cp = d.criticalPath;
  assert.deepEqual([cp.sampledSpans, cp.totalSpans, cp.meanDurationMs, cp.p95DurationMs], [10, 10, 340, 340]);
  // By hand, per trace (ms): from the end, 336-340 frontend; payment's 26-336 (its client 1+1, POST /pay 332-335 and 27-28 and 29-30,
  // the publish 28-29, the fraud client 30-31 and 331-332, fraud 31-331); then frontend 24-26, the cart client 2-3 and 23-24,
  // cart 3-23, frontend 0-2. recommend (26-100) ended after payment's call started: parallel, off the path.
  const truth: Array<[string, string, number]> = [
    ['fraud', 'POST /check', 300],
    ['cart', 'GET /cart', 20],
    ['frontend', 'GET /checkout', 8],
    ['payment', 'POST /pay', 5],
    ['frontend', 'POST cart', 2],
    ['frontend', 'POST payment', 2],
    ['payment', 'POST fraud', 2],
    ['payment', 'payments publish', 1],
  ];
  assert.equal(truth.reduce((a, [, , ms]) => a + ms, 0), 340);
  const got = cp.contributors as Array<{ service: string; operation: string; share: number; meanSelfMs: number; p95SelfMs: number; spans: number }>;
  assert.deepEqual(got.map((c) => [c.service, c.operation]), truth.map(([s, o]) => [s, o]));
  got.forEach((c, i) => {
    const ms = truth[i]![2];
    assert.ok(Math.abs(c.share - ms / 340) <= 0.05 * (ms / 340), `${c.service} ${c.operation} share ${c.share} vs ${ms / 340}`);
    assert.ok(Math.abs(c.meanSelfMs - ms) < 1e-6 && Math.abs(c.p95SelfMs - ms) < 1e-6, `${c.service} ${c.operation} self ${c.meanSelfMs}/${c.p95SelfMs}`);
    assert.equal(c.spans, 10);
  });
  // Synchronous chains: frontend -> cart, -> recommend, -> payment -> fraud. ledger -> audit hangs off a topic: not counted (it would be 3).
  assert.deepEqual(cp.callDepth, { max: 2, p50: 2, deepestChain: ['frontend', 'payment', 'fraud'] });

  // The sample is the first entry spans by trace-id hash: with a limit of 3, these three.
  const sampled = await sampleEntrySpans(px.store, parseWindow(main.from, main.to, 7), 'frontend', 'GET /checkout', 3);
  const first = await px.store.query<{ id: string }>(sql`SELECT SpanId AS id FROM otel_traces WHERE ServiceName = 'frontend' AND SpanName = 'GET /checkout'
    ORDER BY cityHash64(TraceId), TraceId, SpanId LIMIT 3`);
  assert.deepEqual(sampled.map((o) => [o.operation, o.total, o.samples.map((x) => x.tree.spans[x.entry]!.spanId)]), [['GET /checkout', 10, first.map((r) => r.id)]]);

  const none = await px.gql(`query($from: DateTime!, $to: DateTime!) { criticalPath(service: "frontend", operation: "GET /nothing", from: $from, to: $to) { sampledSpans totalSpans contributors { service } callDepth { max deepestChain } } }`, main);
  assert.deepEqual(none.criticalPath, { sampledSpans: 0, totalSpans: 0, contributors: [], callDepth: { max: 0, deepestChain: [] } });
});

test('Trace.criticalPath: one checkout trace\'s segments in time order, summing to the root\'s 340 ms', async () => {
  const d = await px.gql(`query($id: ID!) { trace(id: $id) { durationMs spans { spanId name service } criticalPath { spanId startMs durationMs } } }`, { id: checkoutTraces[0] });
  const name = new Map(d.trace.spans.map((s: { spanId: string; service: string; name: string }) => [s.spanId, `${s.service} ${s.name}`]));
  // The trace ends with ledger's consumer at 360 ms; the path is the root's 340.
  assert.equal(d.trace.durationMs, 360);
  assert.deepEqual(d.trace.criticalPath.map((s: { spanId: string; startMs: number; durationMs: number }) => `${name.get(s.spanId)} ${s.startMs}+${s.durationMs}`), [
    'frontend GET /checkout 0+2',
    'frontend POST cart 2+1',
    'cart GET /cart 3+20',
    'frontend POST cart 23+1',
    'frontend GET /checkout 24+2',
    'frontend POST payment 26+1',
    'payment POST /pay 27+1',
    'payment payments publish 28+1',
    'payment POST /pay 29+1',
    'payment POST fraud 30+1',
    'fraud POST /check 31+300',
    'payment POST fraud 331+1',
    'payment POST /pay 332+3',
    'frontend POST payment 335+1',
    'frontend GET /checkout 336+4',
  ]);
});

test('ServiceStats.callDepths: one entry per entry operation, entryPoint where it was a trace root', async () => {
  const d = await px.gql(`query($from: DateTime!, $to: DateTime!) {
    frontend: service(name: "frontend", from: $from, to: $to) { callDepths { operation kind sampledSpans entryPoint callDepth { max p50 deepestChain } } }
    fraud: service(name: "fraud", from: $from, to: $to) { callDepths { operation kind sampledSpans entryPoint callDepth { max p50 deepestChain } } } }`, main);
  assert.deepEqual(d.frontend.callDepths, [
    { operation: 'GET /checkout', kind: 'SERVER', sampledSpans: 10, entryPoint: true, callDepth: { max: 2, p50: 2, deepestChain: ['frontend', 'payment', 'fraud'] } },
    { operation: 'GET /home', kind: 'SERVER', sampledSpans: 3, entryPoint: true, callDepth: { max: 1, p50: 1, deepestChain: ['frontend', 'cart'] } },
  ]);
  // POST /check: 10 from checkout, 3 from refunds, 2 as roots.
  assert.deepEqual(d.fraud.callDepths, [
    { operation: 'POST /check', kind: 'SERVER', sampledSpans: 15, entryPoint: true, callDepth: { max: 0, p50: 0, deepestChain: ['fraud'] } },
    { operation: 'fraud-requests process', kind: 'CONSUMER', sampledSpans: 2, entryPoint: false, callDepth: { max: 0, p50: 0, deepestChain: ['fraud'] } },
  ]);
});

test('graphDiff: exactly the new d-cache edge and node added, nothing removed, moves measured on rates', async () => {
  const d = await px.gql(`query($b: WindowInput!, $a: WindowInput!) { graphDiff(before: $b, after: $a) {
    added { nodes { id name kind } edges { id source target sourceKind targetKind figures { calls callRate errors errorRate p95 } } }
    removed { nodes { id } edges { id } }
    changed { id source target before { calls callRate errorRate p95 } after { calls callRate errors errorRate p95 } change } } }`, { b: w1, a: w2 });
  const g = d.graphDiff;
  assert.deepEqual(g.added.nodes, [{ id: 'service:d-cache', name: 'd-cache', kind: 'SERVICE' }]);
  assert.equal(g.added.edges.length, 1);
  const added = g.added.edges[0];
  assert.deepEqual([added.id, added.source, added.target, added.sourceKind, added.targetKind, added.figures.calls, added.figures.errors], ['service:d-api->service:d-cache', 'd-api', 'd-cache', 'SERVICE', 'SERVICE', 3, 0]);
  assert.equal(added.figures.callRate, 3 / 1200);
  assert.deepEqual(g.removed, { nodes: [], edges: [] });
  // d-web -> d-api: 6 calls in 10 min, then 12 in 20 (same rate, same 20 ms), errors 0 -> 3/12: 10 x 0.25 = 2.5.
  // d-api -> d-store: 4 calls in each, so the rate halves: |log2(1/2)| = 1.
  assert.deepEqual(g.changed.map((e: { id: string; before: { calls: number }; after: { calls: number; errors: number } }) => [e.id, e.before.calls, e.after.calls, e.after.errors]), [
    ['service:d-web->service:d-api', 6, 12, 3],
    ['service:d-api->service:d-store', 4, 4, 0],
  ]);
  assert.ok(Math.abs(g.changed[0].change - 2.5) < 1e-9, `web->api change ${g.changed[0].change}`);
  assert.ok(Math.abs(g.changed[1].change - 1) < 1e-9, `api->store change ${g.changed[1].change}`);
  assert.equal(g.changed[0].before.p95, g.changed[0].after.p95);
});

const IMPACT = `query($service: String!, $from: DateTime!, $to: DateTime!) { impact(service: $service, from: $from, to: $to) {
  service upstream { service depth calls owner }
  entryPoints { service operation traces affectedTraces share }
  apis { ref name service owner }
  teams { ref services } } }`;

test('impact of fraud: its synchronous callers with depths, the entry points through it, their APIs and teams; the topic path is not among them', async () => {
  const d = await px.gql(IMPACT, { service: 'fraud', ...main });
  const i = d.impact;
  // orders reaches fraud only through the fraud-requests topic: not upstream, and its traces are not affected.
  assert.deepEqual(i.upstream, [
    { service: 'payment', depth: 1, calls: 13, owner: 'group:default/payments-team' },
    { service: 'frontend', depth: 2, calls: 10, owner: 'group:default/web-team' },
  ]);
  assert.deepEqual(i.entryPoints, [
    { service: 'frontend', operation: 'GET /checkout', traces: 10, affectedTraces: 10, share: 1 },
    { service: 'payment', operation: 'POST /refund', traces: 4, affectedTraces: 3, share: 0.75 },
    { service: 'fraud', operation: 'POST /check', traces: 2, affectedTraces: 2, share: 1 },
  ]);
  assert.deepEqual(i.apis, [
    { ref: 'api:default/fraud-api', name: 'fraud-api', service: 'fraud', owner: 'group:default/risk-team' },
    { ref: 'api:default/payments-api', name: 'payments-api', service: 'payment', owner: 'group:default/payments-team' },
    { ref: 'api:default/storefront-api', name: 'storefront-api', service: 'frontend', owner: 'group:default/web-team' },
  ]);
  assert.deepEqual(i.teams, [
    { ref: 'group:default/payments-team', services: ['fraud', 'payment'] },
    { ref: 'group:default/web-team', services: ['frontend'] },
  ]);
});

test('impact of audit: only ledger calls it, and ledger is reached from checkout through a topic, so no entry point is affected', async () => {
  const d = await px.gql(IMPACT, { service: 'audit', ...main });
  assert.deepEqual(d.impact.upstream, [{ service: 'ledger', depth: 1, calls: 10, owner: 'group:default/ledger-team' }]);
  assert.deepEqual(d.impact.entryPoints, []);
  assert.deepEqual(d.impact.apis, []);
  assert.deepEqual(d.impact.teams, [{ ref: 'group:default/ledger-team', services: ['ledger'] }]);
  const unknown = await px.gqlRaw(IMPACT, { service: 'no-such-service', ...main });
  assert.equal(unknown.errors?.[0]?.extensions?.code, 'NOT_FOUND');
});
