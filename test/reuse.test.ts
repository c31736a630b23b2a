// Consumers, traffic and reuse of the demo's APIs, from its real traffic and
// catalog. Who calls what is read off the demo landscape (cli/src/demo/landscape.ts);
// call counts are recounted from the raw spans, independently of the aggregates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_API_CONSUMERS } from './demo-truth.ts';
import { sql } from '@plexus/store';
import { importCatalog } from '@plexus/catalog';
import { DEMO_CATALOG } from '../cli/src/demo/demo-catalog.ts';
import { runDemo } from '../cli/src/demo/run-demo.ts';
import { startTestPlexus, type TestPlexus } from './harness.ts';

let px: TestPlexus;
let win: { from: string; to: string };

before(async () => {
  px = await startTestPlexus();
  await importCatalog(px.store, [DEMO_CATALOG]);
  await runDemo({ endpoint: px.otlpUrl, backfillMinutes: 3, durationSeconds: 0, seed: 7, log: () => {} });
  await px.recompute();
  const now = Date.now();
  win = { from: new Date(now - 15 * 60_000).toISOString(), to: new Date(now + 60_000).toISOString() };
});
after(async () => {
  await px?.close();
});

/** Server spans of `callee` per calling service, for the given span names, counted from otel_traces. */
async function rawCalls(callee: string, names: string[]): Promise<Record<string, number>> {
  const rows = await px.store.query<{ caller: string; n: string }>(sql`
    SELECT p.ServiceName AS caller, count() AS n
    FROM otel_traces AS c INNER JOIN otel_traces AS p ON p.TraceId = c.TraceId AND p.SpanId = c.ParentSpanId
    WHERE c.ServiceName = ${callee} AND c.SpanName IN ${names} AND c.SpanKind IN ('Server', 'SPAN_KIND_SERVER') AND p.ServiceName != ${callee}
    GROUP BY caller`);
  return Object.fromEntries(rows.map((r) => [r.caller, Number(r.n)]));
}

test('inventory-api: exactly its three consumers, with their teams, operations and exact call counts', async () => {
  const d = await px.gql(`query($from: DateTime, $to: DateTime) { entity(ref: "api:inventory-api") {
    consumers(from: $from, to: $to) { service component team calls errors operations latency { p95 } }
    traffic(from: $from, to: $to) { calls series { calls } }
    reuse(from: $from, to: $to) { consumers previousConsumers teams trend { consumers calls } }
    lastSeen } }`, win);
  const consumers = d.entity.consumers as Array<{ service: string; component: string | null; team: string | null; calls: number; operations: string[]; latency: { p95: number | null } }>;
  const raw = await rawCalls('inventory', ['GET /stock/{sku}', 'POST /reservations']);
  assert.deepEqual(Object.fromEntries(consumers.map((c) => [c.service, c.calls])), raw);
  assert.deepEqual(consumers.map((c) => c.service).sort(), ['cart', 'checkout', 'storefront-bff']);
  assert.deepEqual(consumers.map((c) => c.calls), [...consumers.map((c) => c.calls)].sort((a, b) => b - a), 'busiest first');
  const byService = Object.fromEntries(consumers.map((c) => [c.service, c]));
  assert.deepEqual(byService.checkout!.operations, ['POST /reservations']);
  assert.deepEqual(byService.cart!.operations, ['GET /stock/{sku}']);
  assert.equal(byService.cart!.team, 'group:default/checkout-team');
  assert.equal(byService['storefront-bff']!.component, 'component:default/storefront');
  assert.ok(consumers.every((c) => c.latency.p95 !== null && c.latency.p95 > 0));

  const total = Object.values(raw).reduce((a, b) => a + b, 0);
  assert.equal(d.entity.traffic.calls, total);
  assert.equal(d.entity.traffic.series.reduce((a: number, p: { calls: number }) => a + p.calls, 0), total);
  assert.equal(d.entity.reuse.consumers, 3);
  assert.equal(d.entity.reuse.previousConsumers, 0);
  // storefront (storefront-team) and cart, checkout (checkout-team).
  assert.equal(d.entity.reuse.teams, 2);
  assert.equal(d.entity.reuse.trend.reduce((a: number, p: { calls: number }) => a + p.calls, 0), total);
  assert.equal(Math.max(...d.entity.reuse.trend.map((p: { consumers: number }) => p.consumers)), 3);
  // Over a day the series steps by whole hours and reads hour rollups: the same calls, in fewer buckets.
  const day = { from: new Date(Date.now() - 24 * 3_600_000).toISOString(), to: win.to };
  const daily = await px.gql(`query($from: DateTime, $to: DateTime) { entity(ref: "api:inventory-api") { traffic(from: $from, to: $to) { calls series { time calls } } } }`, day);
  assert.equal(daily.entity.traffic.calls, total);
  assert.equal(daily.entity.traffic.series.reduce((a: number, p: { calls: number }) => a + p.calls, 0), total);
  assert.ok(daily.entity.traffic.series.every((p: { time: string }) => new Date(p.time).getTime() % 3_600_000 === 0), 'hour buckets');
  const lastSeen = new Date(d.entity.lastSeen).getTime();
  assert.ok(Date.now() - lastSeen < 3 * 60_000, `lastSeen ${d.entity.lastSeen}`);
});

test('reuse: APIs ranked by distinct consumers, the single-consumer ones, and operations two APIs declare', async () => {
  const d = await px.gql(`query($from: DateTime!, $to: DateTime!) { reuse(from: $from, to: $to) {
    apis { api { ref } consumers teams calls consumerServices }
    singleConsumer { api { ref } }
    duplicates { method path apis { ref } } } }`, win);
  const consumers = Object.fromEntries(d.reuse.apis.map((a: { api: { ref: string }; consumerServices: string[] }) => [a.api.ref.replace('api:default/', ''), a.consumerServices]));
  assert.deepEqual(consumers, DEMO_API_CONSUMERS);
  assert.equal(d.reuse.apis[0].api.ref, 'api:default/inventory-api');
  const counts = d.reuse.apis.map((a: { consumers: number }) => a.consumers);
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
  assert.deepEqual(d.reuse.singleConsumer.map((a: { api: { ref: string } }) => a.api.ref).sort(),
    ['auth-api', 'catalog-api', 'checkout-api', 'payments-api', 'search-api', 'storefront-api'].map((n) => `api:default/${n}`));
  const pricing = d.reuse.apis.find((a: { api: { ref: string } }) => a.api.ref === 'api:default/pricing-api');
  const rawPricing = await rawCalls('pricing', ['GET /prices/{sku}', 'POST /prices/batch']);
  assert.equal(pricing.calls, Object.values(rawPricing).reduce((a, b) => a + b, 0));
  // The BFF re-declares the catalog's product reads.
  assert.deepEqual(d.reuse.duplicates.map((x: { method: string; path: string; apis: Array<{ ref: string }> }) => `${x.method} ${x.path} ${x.apis.map((a) => a.ref).join(',')}`), [
    'GET /products api:default/catalog-api,api:default/storefront-api',
    'GET /products/{} api:default/catalog-api,api:default/storefront-api',
  ]);
});

test('components: declared and observed APIs side by side; groups list what they own', async () => {
  const d = await px.gql(`query($from: DateTime!, $to: DateTime!) {
    checkout: entity(ref: "component:checkout") { consumesApis(from: $from, to: $to) { api declared observed calls entity { ref } } providesApis(from: $from, to: $to) { api declared observed } }
    loyalty: entity(ref: "component:loyalty") { providesApis(from: $from, to: $to) { api declared observed calls } }
    team: entity(ref: "group:platform-team") { owns { ref } }
    apis: entity(ref: "group:platform-team") { owns(kind: "API") { ref } }
    inventory: entity(ref: "api:inventory-api") { definition }
    cart: service(name: "cart", from: $from, to: $to) { owner system domain }
    graph: dependencyGraph(from: $from, to: $to) { nodes { id component owner } } }`, win);
  assert.deepEqual(d.checkout.consumesApis.map((u: { api: string; declared: boolean; observed: boolean }) => `${u.api} ${u.declared} ${u.observed}`), [
    'api:default/cart-api true true',
    // Called but not declared: the undeclared dependency governance reports.
    'api:default/inventory-api false true',
    'api:default/payments-api true true',
  ]);
  assert.ok(d.checkout.consumesApis.every((u: { calls: number; observed: boolean; entity: { ref: string } | null }) => (u.observed ? u.calls > 0 : u.calls === 0) && u.entity !== null));
  assert.deepEqual(d.checkout.providesApis, [{ api: 'api:default/checkout-api', declared: true, observed: true }]);
  assert.deepEqual(d.loyalty.providesApis, [{ api: 'api:default/loyalty-api', declared: true, observed: false, calls: 0 }]);
  assert.deepEqual(d.team.owns.map((e: { ref: string }) => e.ref), ['api:default/auth-api', 'component:default/auth', 'component:default/web-gateway', 'domain:default/shop', 'resource:default/shop-db']);
  assert.deepEqual(d.apis.owns.map((e: { ref: string }) => e.ref), ['api:default/auth-api']);
  // The definition as imported: the $text placeholder resolved to the spec file.
  assert.match(d.inventory.definition, /\/stock\/\{sku\}:/);
  assert.deepEqual(d.cart, { owner: 'group:default/checkout-team', system: 'system:default/ordering', domain: 'domain:default/shop' });
  // The orders topic is the Resource of type kafka-topic named orders; databases stay unowned.
  const node = (id: string) => d.graph.nodes.find((n: { id: string }) => n.id === id);
  assert.deepEqual(node('topic:orders'), { id: 'topic:orders', component: 'resource:default/orders', owner: 'group:default/checkout-team' });
  assert.deepEqual(node('database:postgresql'), { id: 'database:postgresql', component: null, owner: null });
});
