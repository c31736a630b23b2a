// API consumers, declared vs observed APIs, ownership and the reuse page in a real browser,
// on the demo shop: who calls what is read off cli/src/demo/landscape.ts and the demo catalog
// (cli/src/demo/catalog/), the same truth test/reuse.test.ts checks through GraphQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_API_CONSUMERS } from '../demo-truth.ts';
import type { Page } from 'playwright-core';
import { startDemoBrowser, type DemoBrowser } from './demo-browser.ts';

// 15 minutes: the demo's 4 minutes of traffic, and nothing in the 15 minutes before.
const RANGE = 'from=now-15m&to=now';

let demo: DemoBrowser;
let page: Page;

before(async () => {
  demo = await startDemoBrowser({ viewport: { width: 1440, height: 1000 } });
  page = demo.page;
});

after(async () => {
  await demo?.close();
});


test('inventory-api: exactly its three consumers, with teams and operations; reuse, traffic, last seen and spec', async () => {
  await page.goto(`${demo.px.url}/catalog/api/default/inventory-api?${RANGE}`);
  const consumers = page.locator('[data-testid="api-consumers"]');
  await consumers.locator('[data-testid="api-consumer-row"]').first().waitFor({ timeout: 20_000 });
  const rows = await consumers.locator('[data-testid="api-consumer-row"]').evaluateAll((trs) =>
    trs.map((tr) => ({ service: tr.getAttribute('data-service'), cells: [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim()) })),
  );
  assert.deepEqual(rows.map((r) => r.service).sort(), ['cart', 'checkout', 'storefront-bff']);
  const byService = Object.fromEntries(rows.map((r) => [r.service, r.cells]));
  // Team (column 2) and operations (column 6), per landscape.ts: checkout reserves, the others read stock.
  assert.equal(byService['cart']![1], 'checkout-team');
  assert.equal(byService['checkout']![1], 'checkout-team');
  assert.equal(byService['storefront-bff']![1], 'storefront-team');
  assert.equal(byService['checkout']![5], 'POST /reservations');
  assert.equal(byService['cart']![5], 'GET /stock/{sku}');
  // storefront-bff is the storefront component (plexus.dev/service-name).
  assert.match(byService['storefront-bff']![0]!, /^storefront-bff\s+\(storefront\)$/);
  const serviceLink = await consumers.locator('tr[data-service="cart"] a', { hasText: 'cart' }).first().getAttribute('href');
  assert.match(serviceLink ?? '', /^\/services\/cart\?from=now-15m&to=now$/);

  const reuse = page.locator('[data-testid="api-reuse"]');
  assert.equal(await reuse.locator('[data-testid="api-reuse-summary"]').innerText(), '3 consumers from 2 teams');
  assert.match(await reuse.locator('[data-testid="api-reuse-change"]').innerText(), /\+3 vs previous 15 min$/);
  await reuse.locator('canvas').first().waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('[data-testid="api-traffic"] canvas').count() >= 2, true, 'calls/errors and p95 charts');
  assert.match(await page.locator('[data-testid="api-last-seen"]').innerText(), /(just now|\d+ min ago)/);

  const spec = page.locator('[data-testid="api-spec"]');
  assert.match(await spec.locator('tr[data-deprecated="true"]').innerText(), /\/stock\/\{sku\}[\s\S]*deprecated/i);
  assert.equal(await spec.locator('tr[data-deprecated="false"] td.mono.path').innerText(), '/reservations');
  await spec.locator('details summary').click();
  assert.match(await spec.locator('[data-testid="api-definition"]').innerText(), /^openapi: 3\.0\.3\ninfo: \{ title: Inventory API/);
  await demo.screenshot('api-entity.png', { readme: true, fullPage: true });
});

test('checkout: inventory-api seen but not declared; storefront links to its service name', async () => {
  await page.goto(`${demo.px.url}/catalog/component/default/checkout?${RANGE}`);
  const apis = page.locator('[data-testid="component-apis"]');
  await apis.locator('[data-testid="component-api-row"]').first().waitFor({ timeout: 20_000 });
  const row = (side: string) =>
    apis.locator(`[data-side="${side}"] [data-testid="component-api-row"]`).evaluateAll((trs) =>
      trs.map((tr) => `${tr.getAttribute('data-api')} ${tr.getAttribute('data-status')} ${tr.querySelector('.status .label')?.textContent}`),
    );
  // Problems first: the undeclared dependency, then the declared ones by calls.
  const consumes = await row('consumes');
  assert.equal(consumes[0], 'api:default/inventory-api undeclared seen, not declared');
  assert.deepEqual(consumes.slice(1).sort(), [
    'api:default/cart-api ok declared and seen',
    'api:default/payments-api ok declared and seen',
  ]);
  assert.deepEqual(await row('provides'), ['api:default/checkout-api ok declared and seen']);
  await demo.screenshot('component-checkout.png', { fullPage: true });

  await page.goto(`${demo.px.url}/catalog/component/default/storefront?${RANGE}`);
  const link = page.locator('[data-testid="entity-service-link"]');
  await link.waitFor({ timeout: 10_000 });
  assert.match((await link.getAttribute('href')) ?? '', /^\/services\/storefront-bff\?/);
});

test('platform-team: what it owns, grouped by kind', async () => {
  await page.goto(`${demo.px.url}/catalog/group/default/platform-team?${RANGE}`);
  const owns = page.locator('[data-testid="entity-owns"]');
  await owns.locator('li a').first().waitFor({ timeout: 10_000 });
  const groups = await owns.locator('.group').evaluateAll((gs) =>
    gs.map((g) => `${g.getAttribute('data-kind')}: ${[...g.querySelectorAll('li a')].map((a) => a.textContent).join(',')}`),
  );
  assert.deepEqual(groups, ['domain: shop', 'component: auth,web-gateway', 'api: auth-api', 'resource: shop-db']);
});

test('reuse page: inventory-api first, the single-consumer APIs under the toggle, the two duplicated operations', async () => {
  await page.goto(`${demo.px.url}/reuse?${RANGE}`);
  const table = page.locator('[data-testid="reuse-table"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="reuse-row"]').length === 11, null, { timeout: 20_000 });
  const rows = () =>
    table.locator('[data-testid="reuse-row"]').evaluateAll((trs) =>
      trs.map((tr) => ({ api: tr.getAttribute('data-api'), consumers: Number(tr.getAttribute('data-consumers')), services: [...tr.querySelectorAll('td.services a')].map((a) => a.textContent) })),
    );
  const all = await rows();
  assert.deepEqual(all[0], { api: 'api:default/inventory-api', consumers: 3, services: ['cart', 'checkout', 'storefront-bff'] });
  assert.deepEqual(Object.fromEntries(all.map((r) => [r.api!.replace('api:default/', ''), r.services])), DEMO_API_CONSUMERS);
  const counts = all.map((r) => r.consumers);
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'ranked by distinct consumers');

  const dups = await page.locator('[data-testid="reuse-duplicate"]').evaluateAll((lis) =>
    lis.map((li) => `${li.getAttribute('data-op')} ${[...li.querySelectorAll('a')].map((a) => a.textContent).join(',')}`),
  );
  assert.deepEqual(dups, ['GET /products catalog-api,storefront-api', 'GET /products/{} catalog-api,storefront-api']);
  await demo.screenshot('reuse.png', { readme: true, fullPage: true });

  await page.locator('[data-toggle="single"]').click();
  await page.waitForURL(/single=1/);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="reuse-row"]').length === 6, null, { timeout: 5_000 });
  assert.deepEqual(
    (await rows()).map((r) => r.api).sort(),
    ['auth-api', 'catalog-api', 'checkout-api', 'payments-api', 'search-api', 'storefront-api'].map((n) => `api:default/${n}`),
  );
  await page.locator('[data-toggle="unused"]').click();
  await page.waitForURL((u) => u.searchParams.get('unused') === '1' && !u.searchParams.has('single'));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="reuse-row"]').length === 1, null, { timeout: 5_000 });
  assert.deepEqual((await rows()).map((r) => r.api), ['api:default/loyalty-api']);
});
