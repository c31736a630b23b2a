// Traffic meets the catalog: services carry their component, owner and system.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { importCatalog } from '@plexus/catalog';
import { DEMO_CATALOG } from '../cli/src/demo/demo-catalog.ts';
import { startTestPlexus, postOtlpJson, type TestPlexus } from './harness.ts';
import { otlpJson, newTraceId, newSpanId, windowAround } from './spans.ts';

let px: TestPlexus;
before(async () => {
  px = await startTestPlexus();
  await importCatalog(px.store, [DEMO_CATALOG]);
});
after(async () => {
  await px?.close();
});

test('services match components by annotation or by name; uncataloged ones stay unowned', async () => {
  const base = Math.floor(Date.now() / 60_000) * 60_000 - 2 * 60_000;
  const traceId = newTraceId();
  const call = newSpanId();
  const root = newSpanId();
  const r = await postOtlpJson(px.otlpUrl, otlpJson([
    { service: 'storefront-bff', name: 'GET /products', kind: 'SERVER', traceId, spanId: root, startMs: base, durationMs: 50 },
    { service: 'storefront-bff', name: 'GET', kind: 'CLIENT', traceId, spanId: call, parentSpanId: root, startMs: base + 1, durationMs: 40, attributes: { 'server.address': 'recommendation' } },
    { service: 'recommendation', name: 'GET /recommendations/{sku}', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: call, startMs: base + 2, durationMs: 30 },
    { service: 'cart', name: 'GET /cart', kind: 'SERVER', traceId: newTraceId(), spanId: newSpanId(), startMs: base, durationMs: 5 },
  ]));
  assert.equal(r.status, 200);
  await px.recompute();
  const d = await px.gql(`query($from: DateTime!, $to: DateTime!) {
    dependencyGraph(from: $from, to: $to) { nodes { id component owner system } }
    services(from: $from, to: $to) { name component owner }
  }`, windowAround(base, 10));
  const nodes = Object.fromEntries(d.dependencyGraph.nodes.map((n: { id: string }) => [n.id, n]));
  assert.deepEqual(nodes['service:storefront-bff'], { id: 'service:storefront-bff', component: 'component:default/storefront', owner: 'group:default/storefront-team', system: 'system:default/storefront' });
  assert.deepEqual(nodes['service:cart'], { id: 'service:cart', component: 'component:default/cart', owner: 'group:default/checkout-team', system: 'system:default/ordering' });
  assert.deepEqual(nodes['service:recommendation'], { id: 'service:recommendation', component: null, owner: null, system: null });
  const owners = Object.fromEntries(d.services.map((s: { name: string; owner: string | null }) => [s.name, s.owner]));
  assert.deepEqual(owners, { 'storefront-bff': 'group:default/storefront-team', cart: 'group:default/checkout-team', recommendation: null });
});
