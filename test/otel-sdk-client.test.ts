// An independent OTLP client (the OpenTelemetry JS SDK and its protobuf and
// JSON exporters) sends a seeded random landscape; the expected graph and RED
// are tallied from the generation plan, never from Plexus code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode, trace, ROOT_CONTEXT, type Tracer, type Context } from '@opentelemetry/api';
import { TracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { startTestPlexus, type TestPlexus } from './harness.ts';
import { mulberry32 as prng } from '../cli/src/demo/prng.ts';

let px: TestPlexus;
before(async () => {
  px = await startTestPlexus();
});
after(async () => {
  await px?.close();
});


interface Truth {
  edges: Map<string, { calls: number; errors: number; durations: number[] }>;
  services: Map<string, { requests: number; errors: number }>;
}

const tally = (t: Truth, source: string, target: string, error: boolean, ms: number) => {
  const e = t.edges.get(`${source}->${target}`) ?? { calls: 0, errors: 0, durations: [] };
  e.calls++;
  if (error) e.errors++;
  e.durations.push(ms);
  t.edges.set(`${source}->${target}`, e);
};
const entry = (t: Truth, service: string, error: boolean) => {
  const s = t.services.get(service) ?? { requests: 0, errors: 0 };
  s.requests++;
  if (error) s.errors++;
  t.services.set(service, s);
};

function providers(exporter: ProtoExporter | JsonExporter, names: string[]) {
  // Everything is generated before the first export: the queue must hold it all, or the SDK drops spans.
  const processor = new BatchSpanProcessor({ exporter, maxQueueSize: 100_000, maxExportBatchSize: 512, scheduledDelayMillis: 50 });
  const map = new Map<string, { tracer: Tracer; provider: TracerProvider }>();
  for (const name of names) {
    const provider = new TracerProvider({ resource: resourceFromAttributes({ 'service.name': name }), spanProcessors: [processor] });
    map.set(name, { tracer: provider.getTracer('sdk-client-test'), provider });
  }
  return map;
}

const SERVICES = ['s-gateway', 's-orders', 's-stock', 's-mailer'];

/** One request: gateway -> orders -> (stock | db) and sometimes a message to a topic consumed by mailer. */
function request(tracers: Map<string, { tracer: Tracer }>, rnd: () => number, t0: number, truth: Truth): void {
  const tr = (s: string) => tracers.get(s)!.tracer;
  const at = (ms: number) => new Date(t0 + ms);
  const span = (service: string, name: string, kind: SpanKind, parent: Context, start: number, dur: number, attrs: Record<string, string | number> = {}, error = false) => {
    const s = tr(service).startSpan(name, { kind, startTime: at(start), attributes: attrs }, parent);
    if (error) s.setStatus({ code: SpanStatusCode.ERROR });
    s.end(at(start + dur));
    return trace.setSpan(ROOT_CONTEXT, s);
  };
  const ordersFails = rnd() < 0.1;
  const ordersMs = 5 + Math.round(rnd() * 200);
  const gw = span('s-gateway', 'POST /orders', SpanKind.SERVER, ROOT_CONTEXT, 0, ordersMs + 20, { 'http.request.method': 'POST' }, ordersFails);
  entry(truth, 's-gateway', ordersFails);
  const call = span('s-gateway', 'POST', SpanKind.CLIENT, gw, 5, ordersMs + 10, { 'server.address': 's-orders' }, ordersFails);
  const orders = span('s-orders', 'POST /orders', SpanKind.SERVER, call, 8, ordersMs, { 'http.response.status_code': ordersFails ? 500 : 201 });
  // the orders server span has unset status; HTTP 500 makes it an error
  entry(truth, 's-orders', ordersFails);
  tally(truth, 'service:s-gateway', 'service:s-orders', ordersFails, ordersMs);
  if (rnd() < 0.5) {
    const stockMs = 1 + Math.round(rnd() * 30);
    const c = span('s-orders', 'GET', SpanKind.CLIENT, orders, 10, stockMs + 2, { 'server.address': 's-stock' });
    span('s-stock', 'GET /stock', SpanKind.SERVER, c, 11, stockMs);
    entry(truth, 's-stock', false);
    tally(truth, 'service:s-orders', 'service:s-stock', false, stockMs);
  } else {
    const dbMs = 1 + Math.round(rnd() * 10);
    span('s-orders', 'INSERT', SpanKind.CLIENT, orders, 10, dbMs, { 'db.system': 'mysql' });
    tally(truth, 'service:s-orders', 'database:mysql', false, dbMs);
  }
  if (rnd() < 0.3) {
    const p = span('s-orders', 'order-events send', SpanKind.PRODUCER, orders, 12, 2, { 'messaging.destination.name': 'order-events', 'messaging.operation.type': 'send' });
    tally(truth, 'service:s-orders', 'topic:order-events', false, 2);
    const mailMs = 3 + Math.round(rnd() * 50);
    span('s-mailer', 'order-events process', SpanKind.CONSUMER, p, 40, mailMs, { 'messaging.destination.name': 'order-events' });
    entry(truth, 's-mailer', false);
    tally(truth, 'topic:order-events', 'service:s-mailer', false, mailMs);
  }
}

/** True when `got` is within 1% of an exact q-quantile of `values` (either rank convention). */
function nearQuantile(values: number[], q: number, got: number): boolean {
  const v = [...values].sort((a, b) => a - b);
  const lo = v[Math.floor(q * (v.length - 1))]!;
  const hi = v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)]!;
  return got >= Math.min(lo, hi) * 0.99 && got <= Math.max(lo, hi) * 1.01;
}

test('SDK exports over OTLP/protobuf and OTLP/JSON give exactly the graph and RED of DESIGN.md §5', async () => {
  const truth: Truth = { edges: new Map(), services: new Map() };
  const rnd = prng(20261122);
  const base = Math.floor(Date.now() / 60_000) * 60_000 - 20 * 60_000;
  for (const [exporter, offset] of [[new ProtoExporter({ url: `${px.otlpUrl}/v1/traces` }), 0], [new JsonExporter({ url: `${px.otlpUrl}/v1/traces` }), 5 * 60_000]] as const) {
    const tracers = providers(exporter, SERVICES);
    for (let i = 0; i < 600; i++) request(tracers, rnd, base + offset + i * 400, truth);
    for (const { provider } of tracers.values()) await provider.forceFlush();
    await tracers.get(SERVICES[0]!)!.provider.shutdown();
  }
  await px.recompute();
  const win = { from: new Date(base - 60_000).toISOString(), to: new Date(base + 15 * 60_000).toISOString() };
  const d = await px.gql(`query($from: DateTime!, $to: DateTime!) {
    dependencyGraph(from: $from, to: $to) { nodes { id kind } edges { source target calls errors latency { p50 p95 p99 } } }
    services(from: $from, to: $to) { name requests errors }
  }`, win);

  const got = new Map<string, { calls: number; errors: number; latency: { p50: number; p95: number; p99: number } }>(d.dependencyGraph.edges.map((e: { source: string; target: string }) => [`${e.source}->${e.target}`, e]));
  assert.deepEqual([...got.keys()].sort(), [...truth.edges.keys()].sort());
  for (const [key, want] of truth.edges) {
    const e = got.get(key)!;
    assert.equal(e.calls, want.calls, `${key} calls`);
    assert.equal(e.errors, want.errors, `${key} errors`);
    for (const [q, v] of [[0.5, e.latency.p50], [0.95, e.latency.p95], [0.99, e.latency.p99]] as const) {
      assert.ok(nearQuantile(want.durations, q, v), `${key} p${q * 100} = ${v}`);
    }
  }
  const services = new Map(d.services.map((s: { name: string; requests: number; errors: number }) => [s.name, { requests: s.requests, errors: s.errors }]));
  assert.deepEqual(services, truth.services);
  const kinds = Object.fromEntries(d.dependencyGraph.nodes.map((n: { id: string; kind: string }) => [n.id, n.kind]));
  assert.deepEqual(kinds, {
    'service:s-gateway': 'SERVICE', 'service:s-orders': 'SERVICE', 'service:s-stock': 'SERVICE', 'service:s-mailer': 'SERVICE',
    'database:mysql': 'DATABASE', 'topic:order-events': 'TOPIC',
  });
});
