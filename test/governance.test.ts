// The demo plants one of each governance finding; with its catalog and its
// traffic, Plexus must report exactly those (and nothing that contradicts them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { importCatalog } from '@plexus/catalog';
import { DEMO_CATALOG } from '../cli/src/demo/demo-catalog.ts';
import { runDemo } from '../cli/src/demo/run-demo.ts';
import { startTestPlexus, type TestPlexus } from './harness.ts';

let px: TestPlexus;
let findings: Array<{ kind: string; entityRef: string | null; service: string | null; method: string | null; path: string | null; counterpart: string | null }>;

before(async () => {
  px = await startTestPlexus();
  await importCatalog(px.store, [DEMO_CATALOG]);
  await runDemo({ endpoint: px.otlpUrl, backfillMinutes: 3, durationSeconds: 0, seed: 11, log: () => {} });
  await px.recompute();
  const now = Date.now();
  const d = await px.gql(`query($from: DateTime!, $to: DateTime!) { governance(from: $from, to: $to) { findings { kind severity message entityRef service method path counterpart } } }`,
    { from: new Date(now - 15 * 60_000).toISOString(), to: new Date(now + 60_000).toISOString() });
  findings = d.governance.findings;
});
after(async () => {
  await px?.close();
});

const of = (kind: string) => findings.filter((f) => f.kind === kind);

test('shadow endpoint: catalog serves POST /products/batch, which catalog-api does not declare', () => {
  assert.deepEqual(of('SHADOW_ENDPOINT').map((f) => `${f.service} ${f.method} ${f.path}`), ['catalog POST /products/batch']);
});

test('unused API: loyalty-api, and only it', () => {
  assert.deepEqual(of('UNUSED_API').map((f) => f.entityRef), ['api:default/loyalty-api']);
});

// Counterparts are the callers of that operation: checkout calls inventory too, but only POST /reservations.
test('deprecated operation still called: inventory GET /stock/{sku}, by exactly the services that call it', () => {
  const d = of('DEPRECATED_IN_USE');
  assert.ok(d.length > 0);
  assert.ok(d.every((f) => f.entityRef === 'api:default/inventory-api' && f.method === 'GET' && f.path === '/stock/{sku}'));
  assert.deepEqual(d.map((f) => f.counterpart).sort(), ['cart', 'storefront-bff']);
});

test('undeclared dependency: checkout calls inventory without declaring inventory-api', () => {
  assert.deepEqual(of('UNDECLARED_DEPENDENCY').map((f) => `${f.service} -> ${f.counterpart}`), ['checkout -> component:default/inventory']);
});

test('uncataloged service: recommendation; every component has a real owner', () => {
  assert.deepEqual(of('UNCATALOGED_SERVICE').map((f) => f.service), ['recommendation']);
  assert.deepEqual(of('NO_OWNER'), []);
});
