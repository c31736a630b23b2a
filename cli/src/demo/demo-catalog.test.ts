import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog, apiOperationsOf } from '@plexus/catalog';
import { DEMO_CATALOG } from './demo-catalog.ts';

test('the demo catalog reads without problems (truth counted independently with PyYAML)', async () => {
  const s = await loadCatalog([DEMO_CATALOG]);
  assert.deepEqual(s.errors, []);
  const kinds: Record<string, number> = {};
  for (const e of s.entities) kinds[e.entity.kind.toLowerCase()] = (kinds[e.entity.kind.toLowerCase()] ?? 0) + 1;
  assert.deepEqual(kinds, { location: 1, group: 3, user: 2, domain: 1, system: 2, resource: 2, component: 13, api: 11 });
  assert.equal(s.relations.length, 174);
});

test('the demo catalog plants what governance must find', async () => {
  const s = await loadCatalog([DEMO_CATALOG]);
  const ops = new Map<string, string[]>();
  for (const e of s.entities.filter((x) => x.entity.kind === 'API')) ops.set(e.ref, (await apiOperationsOf(e)).operations.map((o) => `${o.method} ${o.fullPath}${o.deprecated ? ' deprecated' : ''}`));
  assert.deepEqual(ops.get('api:default/catalog-api'), ['GET /products', 'GET /products/{id}'], 'POST /products/batch is served but undeclared: a shadow endpoint');
  assert.ok(ops.get('api:default/inventory-api')?.includes('GET /stock/{sku} deprecated'), 'a deprecated operation the demo still calls');
  assert.deepEqual(ops.get('api:default/loyalty-api'), ['GET /points/{customerId}'], 'an API nobody calls');
  const refs = s.entities.map((e) => e.ref);
  assert.ok(!refs.includes('component:default/recommendation'), 'a service seen in traffic but not cataloged');
  assert.ok(!s.relations.some((r) => r.source === 'component:default/checkout' && r.target === 'api:default/inventory-api'), 'checkout calls inventory without declaring it');
});
