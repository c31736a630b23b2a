// The map in a real browser: Debian's chromium driven by playwright-core, the
// demo shop sent through the real OTLP endpoint, screenshots kept as artifacts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startDemoBrowser, type DemoBrowser } from './demo-browser.ts';

// The demo landscape as documented in cli/src/demo/landscape.ts.
const NODES = [
  ...['web-gateway', 'storefront-bff', 'auth', 'catalog', 'search', 'pricing', 'recommendation', 'cart', 'checkout', 'payment', 'inventory', 'shipping', 'notification'].map((n) => `service:${n}`),
  'database:postgresql', 'database:redis', 'external:api.stripe.com', 'topic:orders',
];
const EDGES = [
  'web-gateway>storefront-bff', 'web-gateway>auth', 'web-gateway>cart', 'web-gateway>checkout',
  'storefront-bff>search', 'storefront-bff>catalog', 'storefront-bff>pricing', 'storefront-bff>inventory', 'storefront-bff>recommendation',
  'recommendation>catalog', 'cart>inventory', 'cart>pricing', 'checkout>cart', 'checkout>inventory', 'checkout>payment',
].map((e) => e.split('>').map((n) => `service:${n}`).join(' -> '))
  .concat(['service:checkout -> topic:orders', 'topic:orders -> service:shipping', 'topic:orders -> service:notification',
    'service:catalog -> database:postgresql', 'service:cart -> database:postgresql', 'service:inventory -> database:postgresql',
    'service:cart -> database:redis', 'service:pricing -> database:redis', 'service:payment -> external:api.stripe.com']);

let demo: DemoBrowser;
let page: Page;

before(async () => {
  demo = await startDemoBrowser({ viewport: { width: 1600, height: 1000 } });
  page = demo.page;
});

after(async () => {
  await demo?.close();
});

test('the map draws every node and edge of the data sent', async () => {
  await page.goto(`${demo.px.url}/map?from=now-15m&to=now`);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="map-node"]').length >= n, NODES.length, { timeout: 30_000 });
  const nodes = await page.$$eval('[data-testid="map-node"]', (els) => [...new Set(els.map((e) => `${e.getAttribute('data-node-id')}|${e.getAttribute('data-kind')}`))]);
  assert.deepEqual(nodes.map((n) => n.split('|')[0]).sort(), [...NODES].sort());
  for (const n of nodes) {
    const [id, kind] = n.split('|');
    assert.equal(kind, id!.split(':')[0]!.toUpperCase(), `kind of ${id}`);
  }
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="map-edge"]').length >= n, EDGES.length, { timeout: 10_000 });
  const edges = await page.$$eval('[data-testid="map-edge"]', (els) => [...new Set(els.map((e) => `${e.getAttribute('data-source')} -> ${e.getAttribute('data-target')}`))]);
  assert.deepEqual(edges.sort(), [...EDGES].sort());
  await demo.screenshot('map.png', { readme: true });
});

test('clicking a service opens its page with charts and its neighbours', async () => {
  await page.locator('[data-testid="map-node"][data-node-id="service:checkout"]').first().click();
  await page.waitForURL(/\/services\/checkout/, { timeout: 10_000 });
  await page.locator('[data-testid="service-page"]').waitFor({ timeout: 10_000 });
  await page.locator('[data-testid="service-charts"] canvas').first().waitFor({ timeout: 10_000 });
  const text = await page.locator('[data-testid="service-page"]').innerText();
  for (const neighbour of ['web-gateway', 'payment', 'inventory', 'orders']) assert.ok(text.includes(neighbour), `service page lists ${neighbour}`);
  assert.match(new URL(page.url()).search, /from=/, 'time range stays in the URL');
  await demo.screenshot('service.png', { readme: true, fullPage: true });
});

test('the services list shows every service, sorts by a column, and links to each page', async () => {
  await page.goto(`${demo.px.url}/services?from=now-15m&to=now`);
  const table = page.locator('[data-testid="services-table"]');
  await table.waitFor({ timeout: 10_000 });
  const names = async () => table.locator('tbody tr td.name a').allInnerTexts();
  const services = NODES.filter((n) => n.startsWith('service:')).map((n) => n.slice('service:'.length));
  assert.deepEqual((await names()).sort(), [...services].sort());
  // Sort by p95: slowest first, so the demo's slow path (recommendation, p95 near 400 ms) leads.
  await table.locator('th', { hasText: 'p95' }).locator('button').click();
  await page.waitForURL(/sort=/);
  assert.equal((await names())[0], 'recommendation');
  const p95 = (await table.locator('tbody tr td:nth-child(5)').allInnerTexts()).map((t) => parseFloat(t.replace(/[^0-9.]/g, '')));
  assert.deepEqual(p95, [...p95].sort((x, y) => y - x), `p95 column sorted descending: ${p95.join(', ')}`);
  await demo.screenshot('services.png', { readme: true });
  await table.locator('a', { hasText: 'payment' }).click();
  await page.waitForURL(/\/services\/payment/);
  await page.locator('[data-testid="service-page"]').waitFor();
});

test('the catalog: search with facets, an API page with its deprecated operation', async () => {
  await page.goto(`${demo.px.url}/catalog`);
  const results = page.locator('[data-testid="catalog-results"]');
  await results.waitFor({ timeout: 10_000 });
  await page.locator('[data-testid="catalog-search"]').fill('inventory');
  await page.waitForURL(/q=inventory/);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="catalog-results"] tbody tr').length === 2);
  const refs = await results.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ref')));
  assert.deepEqual(refs.sort(), ['api:default/inventory-api', 'component:default/inventory']);
  await demo.screenshot('catalog.png');
  await results.locator('a', { hasText: 'inventory-api' }).first().click();
  await page.locator('[data-testid="entity-page"]').waitFor();
  const ops = await page.locator('[data-testid="entity-operations"]').innerText();
  assert.match(ops, /\/stock\/\{sku\}/);
  assert.match(ops, /deprecated/i);
  const relations = await page.locator('[data-testid="entity-relations"]').innerText();
  assert.match(relations, /inventory/);
  assert.match(relations, /checkout-team/);
  await demo.screenshot('catalog-entity.png', { readme: true, fullPage: true });
});

test('governance lists the findings the demo plants, with links to their evidence', async () => {
  await page.goto(`${demo.px.url}/governance?from=now-15m&to=now`);
  const table = page.locator('[data-testid="governance-table"]');
  await table.waitFor({ timeout: 15_000 });
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({ kind: tr.getAttribute('data-kind'), text: (tr as HTMLElement).innerText })));
  const find = (kind: string, needle: string) => rows.some((r) => r.kind === kind && r.text.includes(needle));
  assert.ok(find('SHADOW_ENDPOINT', '/products/batch'), JSON.stringify(rows));
  assert.ok(find('UNUSED_API', 'loyalty-api'));
  assert.ok(find('DEPRECATED_IN_USE', '/stock/{sku}'));
  assert.ok(find('UNDECLARED_DEPENDENCY', 'checkout'));
  assert.ok(find('UNCATALOGED_SERVICE', 'recommendation'));
  await demo.screenshot('governance.png', { readme: true });
  await table.locator('tr[data-kind="UNUSED_API"] a', { hasText: 'loyalty-api' }).first().click();
  await page.waitForURL(/\/catalog\/api\/default\/loyalty-api/);
  await page.locator('[data-testid="entity-page"]').waitFor();
});
