// DESIGN.md §5 edge rules, end to end: OTLP/JSON over HTTP -> otel_traces ->
// recompute job -> GraphQL. Every expectation is written out by hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, param } from '@plexus/store';
import { EdgeJob } from '@plexus/collector';
import { startTestPlexus, postOtlpJson, type TestPlexus } from './harness.ts';
import { otlpJson, newTraceId, newSpanId, windowAround, type TestSpan } from './spans.ts';

let px: TestPlexus;
before(async () => {
  px = await startTestPlexus();
});
after(async () => {
  await px?.close();
});

// Minute-aligned base a few minutes back, so spans land in known minutes.
const base = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
const win = windowAround(base, 30);

const GRAPH = `query($from: DateTime!, $to: DateTime!, $service: String, $depth: Int) {
  dependencyGraph(from: $from, to: $to, service: $service, depth: $depth) {
    nodes { id name kind requests errors }
    edges { source target calls errors latency { p50 p95 p99 } sources }
  }
}`;

async function send(spans: TestSpan[]): Promise<void> {
  const r = await postOtlpJson(px.otlpUrl, otlpJson(spans));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.partialSuccess, undefined);
}

async function graph(vars: Record<string, unknown> = {}) {
  await px.recompute();
  const d = await px.gql(GRAPH, { ...win, ...vars });
  return d.dependencyGraph as { nodes: Array<{ id: string; kind: string; requests: number; errors: number }>; edges: Array<{ source: string; target: string; calls: number; errors: number; latency: { p50: number; p95: number; p99: number }; sources: string[] }> };
}

const edge = (g: Awaited<ReturnType<typeof graph>>, source: string, target: string) => g.edges.find((e) => e.source === source && e.target === target);

test('server spans with a parent in another service make an edge; latency and errors are the child span\'s', async () => {
  const spans: TestSpan[] = [];
  for (let i = 0; i < 4; i++) {
    const traceId = newTraceId();
    const root = newSpanId();
    const client = newSpanId();
    spans.push(
      { service: 'r-gateway', name: 'GET /orders', kind: 'SERVER', traceId, spanId: root, startMs: base + 1000 + i, durationMs: 100 },
      { service: 'r-gateway', name: 'GET', kind: 'CLIENT', traceId, spanId: client, parentSpanId: root, startMs: base + 1010 + i, durationMs: 80, attributes: { 'server.address': 'r-orders' } },
      // the child's duration (10, 20, 30, 40 ms) is the edge latency; the 4th fails
      { service: 'r-orders', name: 'GET /orders', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: client, startMs: base + 1020 + i, durationMs: 10 * (i + 1), error: i === 3 },
    );
  }
  await send(spans);
  const g = await graph();
  const e = edge(g, 'service:r-gateway', 'service:r-orders');
  assert.ok(e, 'edge gateway -> orders');
  assert.equal(e.calls, 4);
  assert.equal(e.errors, 1);
  assert.deepEqual(e.sources, ['traces']);
  // With 4 calls every percentile is one of the observed child durations (±0.5% sketch error).
  for (const q of [e.latency.p50, e.latency.p99]) assert.ok([10, 20, 30, 40].some((v) => Math.abs(q - v) <= v * 0.005), `percentile ${q}`);
  assert.ok(e.latency.p50 <= e.latency.p95 && e.latency.p95 <= e.latency.p99);
  // the client span has a child in another service: no virtual edge to r-orders as EXTERNAL
  assert.equal(edge(g, 'service:r-gateway', 'external:r-orders'), undefined);
});

test('client spans without a child point at peer.service, db.system (DATABASE) or server.address (EXTERNAL)', async () => {
  const traceId = newTraceId();
  const root = newSpanId();
  await send([
    { service: 'v-payments', name: 'POST /pay', kind: 'SERVER', traceId, spanId: root, startMs: base + 2000, durationMs: 300 },
    { service: 'v-payments', name: 'SELECT', kind: 'CLIENT', traceId, spanId: newSpanId(), parentSpanId: root, startMs: base + 2001, durationMs: 5, attributes: { 'db.system': 'postgresql', 'server.address': 'pg.internal' } },
    { service: 'v-payments', name: 'POST', kind: 'CLIENT', traceId, spanId: newSpanId(), parentSpanId: root, startMs: base + 2010, durationMs: 200, attributes: { 'server.address': 'api.stripe.com', 'http.response.status_code': 502 } },
    // old semantic-convention name for the address
    { service: 'v-payments', name: 'GET', kind: 'CLIENT', traceId, spanId: newSpanId(), parentSpanId: root, startMs: base + 2020, durationMs: 7, attributes: { 'net.peer.name': 'fx.example.com' } },
    { service: 'v-payments', name: 'rpc', kind: 'CLIENT', traceId, spanId: newSpanId(), parentSpanId: root, startMs: base + 2030, durationMs: 9, attributes: { 'peer.service': 'ledger', 'server.address': 'ledger.internal' } },
  ]);
  const g = await graph();
  const db = edge(g, 'service:v-payments', 'database:postgresql');
  assert.equal(db?.calls, 1);
  assert.ok(Math.abs(db!.latency.p50 - 5) <= 0.05);
  const stripe = edge(g, 'service:v-payments', 'external:api.stripe.com');
  assert.equal(stripe?.calls, 1);
  assert.equal(stripe?.errors, 1, 'unset status with HTTP 502 is an error');
  assert.equal(edge(g, 'service:v-payments', 'external:fx.example.com')?.calls, 1);
  assert.equal(edge(g, 'service:v-payments', 'external:ledger')?.calls, 1);
  assert.equal(g.nodes.find((n) => n.id === 'database:postgresql')?.kind, 'DATABASE');
  assert.equal(g.nodes.find((n) => n.id === 'external:api.stripe.com')?.requests, 1);
});

test('messaging goes through a TOPIC node, tied by parent, by link, or not at all; never producer -> consumer', async () => {
  const traceId = newTraceId();
  const producer = newSpanId();
  const otherTrace = newTraceId();
  await send([
    { service: 'm-checkout', name: 'orders send', kind: 'PRODUCER', traceId, spanId: producer, startMs: base + 3000, durationMs: 3, attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': 'm-orders', 'messaging.operation.type': 'send' } },
    { service: 'm-shipping', name: 'orders process', kind: 'CONSUMER', traceId, spanId: newSpanId(), parentSpanId: producer, startMs: base + 3100, durationMs: 12, attributes: { 'messaging.destination.name': 'm-orders' } },
    { service: 'm-notify', name: 'orders process', kind: 'CONSUMER', traceId: otherTrace, spanId: newSpanId(), startMs: base + 3200, durationMs: 8, links: [{ traceId, spanId: producer }], attributes: { 'messaging.destination': 'm-orders', 'messaging.operation': 'process' } },
    { service: 'm-audit', name: 'orders receive', kind: 'CONSUMER', traceId: newTraceId(), spanId: newSpanId(), startMs: base + 3300, durationMs: 4, error: true, attributes: { 'messaging.destination.name': 'm-orders' } },
    // an older instrumentation publishing with a CLIENT span and the old operation name
    { service: 'm-legacy', name: 'publish', kind: 'CLIENT', traceId: newTraceId(), spanId: newSpanId(), startMs: base + 3400, durationMs: 2, attributes: { 'messaging.destination': 'm-orders', 'messaging.operation': 'publish' } },
  ]);
  const g = await graph();
  assert.equal(edge(g, 'service:m-checkout', 'topic:m-orders')?.calls, 1);
  assert.equal(edge(g, 'service:m-legacy', 'topic:m-orders')?.calls, 1);
  const shipping = edge(g, 'topic:m-orders', 'service:m-shipping');
  assert.equal(shipping?.calls, 1);
  assert.ok(Math.abs(shipping!.latency.p50 - 12) <= 0.12, 'consumer edge latency is the consumer span');
  assert.equal(edge(g, 'topic:m-orders', 'service:m-notify')?.calls, 1);
  assert.equal(edge(g, 'topic:m-orders', 'service:m-audit')?.errors, 1);
  assert.equal(edge(g, 'service:m-checkout', 'service:m-shipping'), undefined);
  assert.equal(g.nodes.find((n) => n.id === 'topic:m-orders')?.kind, 'TOPIC');
});

test('a late child removes the virtual edge its client span had and makes the real one', async () => {
  const traceId = newTraceId();
  const root = newSpanId();
  const client = newSpanId();
  await send([
    { service: 'l-web', name: 'GET /', kind: 'SERVER', traceId, spanId: root, startMs: base + 59_000, durationMs: 3000 },
    { service: 'l-web', name: 'GET', kind: 'CLIENT', traceId, spanId: client, parentSpanId: root, startMs: base + 59_500, durationMs: 2000, attributes: { 'server.address': 'l-cart.internal' } },
  ]);
  let g = await graph();
  assert.equal(edge(g, 'service:l-web', 'external:l-cart.internal')?.calls, 1);
  // the child starts in the next minute and arrives in a later request
  await send([{ service: 'l-cart', name: 'GET /cart', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: client, startMs: base + 60_100, durationMs: 1500 }]);
  g = await graph();
  assert.equal(edge(g, 'service:l-web', 'external:l-cart.internal'), undefined, 'virtual edge gone');
  assert.equal(edge(g, 'service:l-web', 'service:l-cart')?.calls, 1);
  assert.equal(g.nodes.some((n) => n.id === 'external:l-cart.internal'), false);
});

test('a late parent turns an orphan server span into an edge', async () => {
  const traceId = newTraceId();
  const client = newSpanId();
  await send([{ service: 'p-api', name: 'GET /x', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: client, startMs: base + 4000, durationMs: 20 }]);
  let g = await graph();
  assert.equal(g.edges.some((e) => e.target === 'service:p-api'), false);
  await send([{ service: 'p-caller', name: 'GET', kind: 'CLIENT', traceId, spanId: client, startMs: base + 3990, durationMs: 40, attributes: { 'server.address': 'p-api' } }]);
  g = await graph();
  assert.equal(edge(g, 'service:p-caller', 'service:p-api')?.calls, 1);
  assert.equal(edge(g, 'service:p-caller', 'external:p-api'), undefined);
});

test('services RED counts entry spans only; errors by status or HTTP >= 500 when unset', async () => {
  const spans: TestSpan[] = [];
  const add = (kind: TestSpan['kind'], extra: Partial<TestSpan> = {}) =>
    spans.push({ service: 'red-svc', name: kind === 'SERVER' ? 'GET /a' : 'work', kind, traceId: newTraceId(), spanId: newSpanId(), startMs: base + 5000 + spans.length, durationMs: 10, ...extra });
  for (let i = 0; i < 6; i++) add('SERVER');
  add('SERVER', { error: true });
  add('SERVER', { attributes: { 'http.status_code': 503 } });
  add('SERVER', { attributes: { 'http.response.status_code': 404 } });
  add('CONSUMER', { attributes: { 'messaging.destination.name': 'red-topic' } });
  add('CLIENT', { error: true, attributes: { 'server.address': 'x' } });
  add('INTERNAL');
  await send(spans);
  await px.recompute();
  const d = await px.gql(`query($from: DateTime!, $to: DateTime!) { services(from: $from, to: $to) { name requests errors errorRate } service(name: "red-svc", from: $from, to: $to) { requests operations { name kind requests errors } } }`, win);
  const s = d.services.find((x: { name: string }) => x.name === 'red-svc');
  assert.deepEqual(s, { name: 'red-svc', requests: 10, errors: 2, errorRate: 0.2 });
  assert.deepEqual(d.service.operations, [
    { name: 'GET /a', kind: 'SERVER', requests: 9, errors: 2 },
    { name: 'work', kind: 'CONSUMER', requests: 1, errors: 0 },
  ]);
});

test('edge percentiles are within 1% of exact over many calls', async () => {
  const traceId = newTraceId();
  const root = newSpanId();
  const spans: TestSpan[] = [{ service: 'q-caller', name: 'GET /', kind: 'SERVER', traceId, spanId: root, startMs: base + 6000, durationMs: 5000 }];
  const durations = Array.from({ length: 2000 }, (_, i) => i + 1);
  for (const d of durations) spans.push({ service: 'q-caller', name: 'call', kind: 'CLIENT', traceId, spanId: newSpanId(), parentSpanId: root, startMs: base + 6001, durationMs: d, attributes: { 'server.address': 'q-dep' } });
  await send(spans);
  const e = edge(await graph(), 'service:q-caller', 'external:q-dep')!;
  assert.equal(e.calls, 2000);
  // exact nearest-rank percentiles of 1..2000 ms
  for (const [got, exact] of [[e.latency.p50, 1000], [e.latency.p95, 1900], [e.latency.p99, 1980]] as const) {
    assert.ok(Math.abs(got - exact) <= exact * 0.01, `got ${got}, exact ${exact}`);
  }
});

test('calls in the last half second of a minute are counted in that minute', async () => {
  const traceId = newTraceId();
  const client = newSpanId();
  await send([
    { service: 'b-caller', name: 'GET', kind: 'CLIENT', traceId, spanId: client, startMs: base + 119_650, durationMs: 30, attributes: { 'server.address': 'b-callee' } },
    { service: 'b-callee', name: 'GET /b', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: client, startMs: base + 119_700, durationMs: 20 },
    { service: 'b-callee', name: 'GET /b', kind: 'SERVER', traceId: newTraceId(), spanId: newSpanId(), startMs: base + 119_999.5, durationMs: 1 },
  ]);
  const g = await graph();
  assert.equal(edge(g, 'service:b-caller', 'service:b-callee')?.calls, 1);
  assert.equal(g.nodes.find((n) => n.id === 'service:b-callee')?.requests, 2);
});

test('focus on a service keeps its neighbourhood within depth', async () => {
  const g = await graph({ service: 'r-orders', depth: 1 });
  assert.deepEqual(g.nodes.map((n) => n.id).sort(), ['service:r-gateway', 'service:r-orders']);
});

test('spans written straight into otel_traces by the OpenTelemetry Collector exporter are mapped too', async () => {
  const traceId = newTraceId();
  const client = newSpanId();
  const ts = (ms: number) => new Date(base + ms).toISOString().replace('T', ' ').replace('Z', '');
  // The exporter's own column list (exporter/clickhouseexporter traces_insert.sql), older enum spellings.
  const insert = (spanId: string, parent: string, service: string, kind: string, status: string, ms: number, attrs: Record<string, string>) => sql`
    INSERT INTO otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName, ResourceAttributes,
      ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode, StatusMessage, \`Events.Timestamp\`, \`Events.Name\`, \`Events.Attributes\`,
      \`Links.TraceId\`, \`Links.SpanId\`, \`Links.TraceState\`, \`Links.Attributes\`)
    VALUES (${param('DateTime64(9)', ts(ms))}, ${traceId}, ${spanId}, ${parent}, '', 'op', ${kind}, ${service}, map('service.name', ${service}),
      'exporter', '', ${param('Map(String, String)', attrs)}, ${param('UInt64', 7_000_000)}, ${status}, '', [], [], [], [], [], [], [])`;
  await px.store.command(insert(client, '', 'x-caller', 'SPAN_KIND_CLIENT', 'STATUS_CODE_UNSET', 7000, { 'server.address': 'x-callee' }));
  await px.store.command(insert(newSpanId(), client, 'x-callee', 'SPAN_KIND_SERVER', 'STATUS_CODE_ERROR', 7001, {}));
  const g = await graph();
  const e = edge(g, 'service:x-caller', 'service:x-callee');
  assert.equal(e?.calls, 1);
  assert.equal(e?.errors, 1);
  assert.ok(Math.abs(e!.latency.p50 - 7) <= 0.04);
  assert.equal(g.nodes.find((n) => n.id === 'service:x-callee')?.requests, 1);
});

test('hourly rollups give exactly what minute rows give', async () => {
  await px.recompute();
  const q = `query($from: DateTime!, $to: DateTime!) {
    dependencyGraph(from: $from, to: $to) { nodes { id requests errors latency { p50 p95 p99 } } edges { id calls errors latency { p50 p95 p99 } } }
    services(from: $from, to: $to) { name requests errors latency { p50 p95 p99 } }
  }`;
  // All data lies within base ± 3 min. This window is minutes only (no whole hour fits)…
  const minutes = await px.gql(q, { from: new Date(base - 4 * 60_000).toISOString(), to: new Date(base + 4 * 60_000).toISOString() });
  // …this one is mostly whole hours, read from the rollups.
  const hours = await px.gql(q, { from: new Date(base - 3 * 3600_000 - 90_000).toISOString(), to: new Date(base + 3 * 3600_000).toISOString() });
  const sort = (d: any) => ({
    nodes: [...d.dependencyGraph.nodes].sort((a, b) => a.id.localeCompare(b.id)),
    edges: [...d.dependencyGraph.edges].sort((a, b) => a.id.localeCompare(b.id)),
    services: [...d.services].sort((a, b) => a.name.localeCompare(b.name)),
  });
  assert.ok(minutes.dependencyGraph.edges.length >= 15);
  assert.deepEqual(sort(hours), sort(minutes));
  const [row] = await px.store.query<{ n: string }>(sql`SELECT count() AS n FROM service_edges_hourly WHERE Source != ''`);
  assert.ok(Number(row?.n) > 0, 'rollups exist');
});

test('busy minutes recomputed in shards of whole traces give exactly the same graph', async () => {
  await px.recompute();
  const q = `query($from: DateTime!, $to: DateTime!) { dependencyGraph(from: $from, to: $to) { nodes { id requests errors } edges { id calls errors latency { p50 p95 p99 } } } }`;
  const sorted = (d: any) => ({ nodes: [...d.dependencyGraph.nodes].sort((a, b) => a.id.localeCompare(b.id)), edges: [...d.dependencyGraph.edges].sort((a, b) => a.id.localeCompare(b.id)) });
  const whole = sorted(await px.gql(q, win));
  // Forget the watermark and recompute everything with at most 150 spans per statement (~2,100 spans: 14 shards, some empty since the 2,000-call trace is indivisible).
  await px.store.command(sql`INSERT INTO plexus_state (Key, Value, UpdatedAt) VALUES ('edges.watermark', '1970-01-01 00:00:00.000', now64(3) + 1)`);
  const { minutes } = await new EdgeJob(px.store, { lagMs: 0, maxSpansPerStatement: 150 }).runOnce();
  assert.equal(minutes, 2, 'all data lies in minutes base and base + 1');
  const [shards] = await px.store.query<{ n: string }>(sql`SELECT uniqExact(Shard) AS n FROM edge_operations_shards`);
  assert.ok(Number(shards?.n) >= 5, `the recompute really was sharded (${shards?.n} shards)`);
  assert.deepEqual(sorted(await px.gql(q, win)), whole);
});

test('bad arguments are GraphQL errors with codes, never stack traces', async () => {
  const bad = await px.gqlRaw(GRAPH, { from: win.to, to: win.from });
  assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  const old = await px.gqlRaw(GRAPH, { from: '2001-01-01T00:00:00Z', to: '2001-01-02T00:00:00Z' });
  assert.equal(old.errors?.[0]?.extensions?.code, 'OUT_OF_RETENTION');
  const unknown = await px.gqlRaw(`query($from: DateTime!, $to: DateTime!) { service(name: "no-such", from: $from, to: $to) { name } }`, win);
  assert.equal(unknown.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  const notDate = await px.gqlRaw(GRAPH, { from: 'yesterday', to: win.to });
  assert.equal(notDate.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  for (const r of [bad, old, unknown, notDate]) assert.doesNotMatch(JSON.stringify(r), /at \w+ \(|\.ts:\d+/);
});
