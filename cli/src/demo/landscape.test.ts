// Structural facts of the demo traffic, checked on the spans themselves (no server involved).
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { SERVICES } from './landscape.ts';
import { createDemoTraffic } from './traffic.ts';

const START = Date.UTC(2025, 0, 15, 12, 0, 0);

async function generate(seed: number, traces: number): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const traffic = createDemoTraffic(seed, new SimpleSpanProcessor({ exporter }));
  const next = traffic.arrivals(START, 20);
  for (let i = 0; i < traces; i++) traffic.buildTrace(next());
  await traffic.tracers.forceFlush();
  const spans = exporter.getFinishedSpans().slice();
  await traffic.tracers.shutdown();
  return spans;
}

const service = (span: ReadableSpan): string => String(span.resource.attributes['service.name']);
const id = (span: ReadableSpan): string => span.spanContext().spanId;
const traceId = (span: ReadableSpan): string => span.spanContext().traceId;
const ms = (t: readonly [number, number]): number => t[0] * 1000 + t[1] / 1e6;
const duration = (span: ReadableSpan): number => ms(span.endTime) - ms(span.startTime);
const isDb = (span: ReadableSpan): boolean => span.attributes['db.system'] !== undefined;
const peer = (span: ReadableSpan): unknown => span.attributes['server.address'] ?? span.attributes['net.peer.name'];
const isExternalHttp = (span: ReadableSpan): boolean => span.kind === SpanKind.CLIENT && !isDb(span) && !String(peer(span)).endsWith('.svc.cluster.local');

function p95(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.95)] ?? NaN;
}

/** The dependency edges Plexus should derive, following DESIGN.md section 5. */
function edgesOf(spans: ReadableSpan[]): Set<string> {
  const byId = new Map(spans.map((s) => [id(s), s]));
  const hasRemoteChild = new Set<string>();
  for (const s of spans) {
    const parent = s.parentSpanContext === undefined ? undefined : byId.get(s.parentSpanContext.spanId);
    if (parent !== undefined && service(parent) !== service(s)) hasRemoteChild.add(id(parent));
  }
  const edges = new Set<string>();
  for (const s of spans) {
    const parent = s.parentSpanContext === undefined ? undefined : byId.get(s.parentSpanContext.spanId);
    if (s.kind === SpanKind.SERVER && parent !== undefined && service(parent) !== service(s)) edges.add(`${service(parent)} -> ${service(s)}`);
    if (s.kind === SpanKind.CLIENT && !hasRemoteChild.has(id(s))) {
      const target = s.attributes['peer.service'] ?? s.attributes['db.system'] ?? peer(s);
      edges.add(`${service(s)} -> ${String(target)}`);
    }
    if (s.kind === SpanKind.PRODUCER) edges.add(`${service(s)} -> ${String(s.attributes['messaging.destination.name'])}`);
    if (s.kind === SpanKind.CONSUMER) edges.add(`${String(s.attributes['messaging.destination.name'])} -> ${service(s)}`);
  }
  return edges;
}

const EXPECTED_EDGES = [
  'web-gateway -> storefront-bff', 'web-gateway -> auth', 'web-gateway -> cart', 'web-gateway -> checkout',
  'storefront-bff -> search', 'storefront-bff -> catalog', 'storefront-bff -> pricing', 'storefront-bff -> inventory', 'storefront-bff -> recommendation',
  'recommendation -> catalog', 'cart -> inventory', 'cart -> pricing',
  'checkout -> cart', 'checkout -> inventory', 'checkout -> payment', 'checkout -> orders',
  'orders -> shipping', 'orders -> notification',
  'catalog -> postgresql', 'cart -> postgresql', 'inventory -> postgresql', 'cart -> redis', 'pricing -> redis',
  'payment -> api.stripe.com',
];

describe('demo landscape traffic', () => {
  let spans: ReadableSpan[] = [];
  let byId = new Map<string, ReadableSpan>();
  let children = new Map<string, ReadableSpan[]>();

  before(async () => {
    spans = await generate(42, 3000);
    byId = new Map(spans.map((s) => [id(s), s]));
    children = new Map();
    for (const s of spans) {
      const parentId = s.parentSpanContext?.spanId;
      if (parentId !== undefined) children.set(parentId, [...(children.get(parentId) ?? []), s]);
    }
  });

  it('gives every service its own resource in namespace shop, environment demo', () => {
    assert.deepEqual(new Set(spans.map(service)), new Set(SERVICES.map((s) => s.name)));
    for (const s of spans) {
      assert.equal(s.resource.attributes['service.namespace'], 'shop');
      assert.equal(s.resource.attributes['deployment.environment.name'], 'demo');
    }
  });

  it('yields exactly the documented dependency edges', () => {
    assert.deepEqual([...edgesOf(spans)].sort(), EXPECTED_EDGES.slice().sort());
  });

  it('answers every CLIENT call to an internal service with exactly one SERVER span in the callee', () => {
    const internal = spans.filter((s) => s.kind === SpanKind.CLIENT && !isDb(s) && !isExternalHttp(s));
    assert.ok(internal.length > 1000);
    for (const client of internal) {
      const kids = children.get(id(client)) ?? [];
      assert.equal(kids.length, 1, `${service(client)} ${client.name}`);
      const [server] = kids as [ReadableSpan];
      assert.equal(server.kind, SpanKind.SERVER);
      assert.equal(traceId(server), traceId(client));
      assert.equal(`${service(server)}.shop.svc.cluster.local`, peer(client));
      assert.equal(server.status.code === SpanStatusCode.ERROR, client.status.code === SpanStatusCode.ERROR);
    }
  });

  it('nests children inside their parents, leaving room for the network', () => {
    for (const s of spans) {
      const parent = s.parentSpanContext === undefined ? undefined : byId.get(s.parentSpanContext.spanId);
      if (parent === undefined) continue;
      assert.ok(ms(s.startTime) >= ms(parent.startTime), `${s.name} starts before its parent`);
      // Consumers run after the producer has returned, so only synchronous children must end first.
      if (s.kind !== SpanKind.CONSUMER) assert.ok(ms(s.endTime) <= ms(parent.endTime), `${s.name} ends after ${parent.name}`);
      if (s.kind === SpanKind.SERVER) assert.ok(ms(s.startTime) > ms(parent.startTime) && ms(s.endTime) < ms(parent.endTime));
    }
  });

  it('reaches postgresql from catalog, cart and inventory, and redis from cart and pricing, with no child spans', () => {
    const db = spans.filter(isDb);
    for (const s of db) {
      assert.equal(s.kind, SpanKind.CLIENT);
      assert.equal(children.get(id(s)), undefined);
      assert.ok(typeof s.attributes['db.namespace'] === 'string' && typeof s.attributes['db.operation.name'] === 'string');
    }
    const callers = (system: string): string[] => [...new Set(db.filter((s) => s.attributes['db.system'] === system).map(service))].sort();
    assert.deepEqual(callers('postgresql'), ['cart', 'catalog', 'inventory']);
    assert.deepEqual(callers('redis'), ['cart', 'pricing']);
  });

  it('calls the payment provider from payment only, without a child span or peer.service', () => {
    const external = spans.filter(isExternalHttp);
    assert.ok(external.length > 0);
    for (const s of external) {
      assert.equal(service(s), 'payment');
      assert.equal(s.attributes['server.address'], 'api.stripe.com');
      assert.equal(s.attributes['http.request.method'], 'POST');
      assert.equal(s.attributes['peer.service'], undefined);
      assert.equal(children.get(id(s)), undefined);
    }
  });

  it('publishes to orders and consumes it as a child in shipping and through a span link in notification', () => {
    const producers = spans.filter((s) => s.kind === SpanKind.PRODUCER);
    const consumers = spans.filter((s) => s.kind === SpanKind.CONSUMER);
    assert.ok(producers.length > 50);
    assert.equal(consumers.length, producers.length * 2);
    for (const p of producers) {
      assert.equal(service(p), 'checkout');
      assert.equal(p.attributes['messaging.system'], 'kafka');
      assert.equal(p.attributes['messaging.destination.name'], 'orders');
      assert.equal(p.attributes['messaging.operation.type'], 'send');
    }
    for (const c of consumers) {
      assert.equal(c.attributes['messaging.system'], 'kafka');
      assert.equal(c.attributes['messaging.destination.name'], 'orders');
      assert.equal(c.attributes['messaging.operation.type'], 'process');
      if (service(c) === 'shipping') {
        const parent = byId.get(c.parentSpanContext?.spanId ?? '');
        assert.equal(parent?.kind, SpanKind.PRODUCER);
        assert.equal(traceId(c), traceId(parent));
        assert.equal(c.links.length, 0);
      } else {
        assert.equal(service(c), 'notification');
        assert.equal(c.parentSpanContext, undefined);
        assert.equal(c.links.length, 1);
        const linked = byId.get(c.links[0]?.context.spanId ?? '');
        assert.equal(linked?.kind, SpanKind.PRODUCER);
        assert.notEqual(traceId(c), traceId(linked));
      }
    }
  });

  it('fails about 3% of payments with 502 and carries the failure up to the checkout client span', () => {
    const payments = spans.filter((s) => s.kind === SpanKind.SERVER && service(s) === 'payment');
    const failed = payments.filter((s) => s.status.code === SpanStatusCode.ERROR);
    const rate = failed.length / payments.length;
    assert.ok(rate > 0.005 && rate < 0.08, `payment error rate ${rate}`);
    for (const s of failed) {
      assert.equal(s.attributes['http.response.status_code'], 502);
      const client = byId.get(s.parentSpanContext?.spanId ?? '');
      assert.equal(service(client as ReadableSpan), 'checkout');
      assert.equal(client?.status.code, SpanStatusCode.ERROR);
      assert.equal(client?.attributes['http.response.status_code'], 502);
    }
    const inventoryErrors = spans.filter((s) => service(s) === 'inventory' && s.kind === SpanKind.SERVER && s.attributes['http.status_code'] === 500);
    assert.ok(inventoryErrors.length > 0, 'inventory never answered 500');
  });

  it('makes recommendation the slow path (p95 near 400 ms) while leaf services stay fast', () => {
    const serverP95 = (name: string): number => p95(spans.filter((s) => s.kind === SpanKind.SERVER && service(s) === name).map(duration));
    const slow = serverP95('recommendation');
    assert.ok(slow > 300 && slow < 500, `recommendation p95 ${slow}`);
    for (const name of ['auth', 'catalog', 'pricing', 'inventory', 'cart', 'search']) {
      const fast = serverP95(name);
      assert.ok(fast > 2 && fast < 60, `${name} p95 ${fast}`);
    }
  });

  it('mixes old and new HTTP semantic conventions', () => {
    const authServer = spans.find((s) => service(s) === 'auth' && s.kind === SpanKind.SERVER);
    assert.equal(authServer?.attributes['http.method'], 'POST');
    assert.equal(authServer?.attributes['http.status_code'], 200);
    assert.equal(authServer?.attributes['http.request.method'], undefined);
    const inventoryDb = spans.find((s) => service(s) === 'inventory' && isDb(s));
    assert.equal(typeof inventoryDb?.attributes['net.peer.name'], 'string');
    const gatewayToAuth = byId.get(authServer?.parentSpanContext?.spanId ?? '');
    assert.equal(gatewayToAuth?.attributes['http.request.method'], 'POST');
  });

  it('repeats itself exactly for the same seed and differs for another', async () => {
    const fingerprint = (list: ReadableSpan[]): string =>
      JSON.stringify(list.map((s) => [traceId(s), id(s), s.parentSpanContext?.spanId, service(s), s.name, s.kind, s.startTime, s.endTime, s.attributes, s.status, s.links.map((l) => l.context.spanId)]));
    const [a, b, c] = await Promise.all([generate(7, 200), generate(7, 200), generate(8, 200)]);
    assert.equal(fingerprint(a), fingerprint(b));
    assert.notEqual(fingerprint(a), fingerprint(c));
  });
});
