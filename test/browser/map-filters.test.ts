// Owners on the map, in a real browser: the team/system/domain filters and the hover card of a
// service, on the demo shop (its traffic sent through OTLP, its catalog imported).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startDemoBrowser, type DemoBrowser } from './demo-browser.ts';


const ALL_SERVICES = ['web-gateway', 'storefront-bff', 'auth', 'catalog', 'search', 'pricing', 'recommendation', 'cart', 'checkout', 'payment', 'inventory', 'shipping', 'notification'];
const ALL_NODES = [...ALL_SERVICES.map((s) => `service:${s}`), 'database:postgresql', 'database:redis', 'external:api.stripe.com', 'topic:orders'];

// cli/src/demo/catalog/components.yaml: checkout-team owns cart, checkout, payment, inventory,
// shipping and notification (and loyalty, which sends no traffic). In cli/src/demo/landscape.ts
// they touch: cart -> postgresql, redis; inventory -> postgresql; checkout -> topic orders, which
// shipping and notification consume; payment -> api.stripe.com.
const CHECKOUT_TEAM_NODES = [
  ...['cart', 'checkout', 'payment', 'inventory', 'shipping', 'notification'].map((s) => `service:${s}`),
  'database:postgresql', 'database:redis', 'topic:orders', 'external:api.stripe.com',
];
// Every landscape edge whose two ends are both in that set.
const CHECKOUT_TEAM_EDGES = [
  'service:cart -> service:inventory', 'service:checkout -> service:cart', 'service:checkout -> service:inventory', 'service:checkout -> service:payment',
  'service:checkout -> topic:orders', 'topic:orders -> service:shipping', 'topic:orders -> service:notification',
  'service:cart -> database:postgresql', 'service:inventory -> database:postgresql', 'service:cart -> database:redis', 'service:payment -> external:api.stripe.com',
];
// system storefront: web-gateway, storefront-bff, auth, catalog, search, pricing; catalog uses
// postgresql, pricing uses redis (recommendation, called by storefront-bff, is not cataloged).
const STOREFRONT_NODES = [
  ...['web-gateway', 'storefront-bff', 'auth', 'catalog', 'search', 'pricing'].map((s) => `service:${s}`),
  'database:postgresql', 'database:redis',
];

let demo: DemoBrowser;
let page: Page;

before(async () => {
  demo = await startDemoBrowser({ viewport: { width: 1600, height: 1000 } });
  page = demo.page;
});

after(async () => {
  await demo?.close();
});

const nodeIds = () =>
  page.$$eval('[data-testid="map-node"]', (els) => [...new Set(els.map((e) => e.getAttribute('data-node-id') ?? ''))].sort());
const edgeIds = () =>
  page.$$eval('[data-testid="map-edge"]', (els) => [...new Set(els.map((e) => `${e.getAttribute('data-source')} -> ${e.getAttribute('data-target')}`))].sort());

/** Waits until the map shows exactly `ids` (a filter change lays the map out again). */
async function waitForNodes(ids: readonly string[]): Promise<void> {
  const want = [...ids].sort().join('\n');
  await page
    .waitForFunction(
      (w) => [...new Set([...document.querySelectorAll('[data-testid="map-node"]')].map((e) => e.getAttribute('data-node-id')))].sort().join('\n') === w,
      want,
      { timeout: 30_000 },
    )
    .catch(async () => assert.deepEqual(await nodeIds(), [...ids].sort(), 'nodes on the map'));
}

const options = (testid: string) =>
  page.$$eval(`[data-testid="${testid}"] option`, (os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent?.trim() ?? '']));
const node = (id: string) => page.locator(`[data-testid="map-node"][data-node-id="${id}"]`).first();
const card = () => page.locator('[data-testid="map-node-card"]');
const cardText = async (key: string) => (await card().locator(`[data-testid="map-node-card-${key}"]`).innerText()).trim();

test('the team filter keeps exactly checkout-team services, what they touch, and the edges among those', async () => {
  await page.goto(`${demo.px.url}/map?from=now-15m&to=now`);
  await waitForNodes(ALL_NODES);
  // Options come from the services on the map, with counts; uncataloged recommendation is "No team".
  assert.deepEqual(await options('map-filter-team'), [
    ['', 'Any'],
    ['group:default/checkout-team', 'checkout-team (6)'],
    ['group:default/platform-team', 'platform-team (2)'],
    ['group:default/storefront-team', 'storefront-team (4)'],
    ['none', 'No team (1)'],
  ]);
  await page.selectOption('[data-testid="map-filter-team"]', 'group:default/checkout-team');
  await page.waitForURL(/[?&]team=group:default\/checkout-team(&|$)/);
  await waitForNodes(CHECKOUT_TEAM_NODES);
  assert.deepEqual(await nodeIds(), [...CHECKOUT_TEAM_NODES].sort());
  await page.waitForFunction(
    (n) => new Set([...document.querySelectorAll('[data-testid="map-edge"]')].map((e) => e.getAttribute('data-edge-id'))).size === n,
    CHECKOUT_TEAM_EDGES.length,
    { timeout: 10_000 },
  );
  assert.deepEqual(await edgeIds(), [...CHECKOUT_TEAM_EDGES].sort());
  // The other selects narrow to what the team's services have.
  assert.deepEqual(await options('map-filter-system'), [['', 'Any'], ['system:default/ordering', 'ordering (6)']]);
  assert.deepEqual(await options('map-filter-domain'), [['', 'Any'], ['domain:default/shop', 'shop (6)']]);
});

test('hovering cart shows its owner, system and domain, without moving anything; moving to checkout does not flicker', async () => {
  const boxes = () => page.$$eval('[data-testid="map-node"]', (els) => els.map((e) => JSON.stringify(e.getBoundingClientRect())).sort().join());
  const before = await boxes();
  await node('service:cart').hover();
  await card().and(page.locator('[data-node-id="service:cart"]')).waitFor({ timeout: 5_000 });
  assert.equal(await cardText('owner'), 'checkout-team');
  assert.equal(await card().locator('[data-testid="map-node-card-owner"]').getAttribute('data-ref'), 'group:default/checkout-team');
  assert.equal(await cardText('system'), 'ordering');
  assert.equal(await cardText('domain'), 'shop');
  assert.equal(await cardText('component'), 'cart');
  const ownerHref = await card().locator('[data-testid="map-node-card-owner"] a').getAttribute('href');
  assert.equal(new URL(ownerHref!, demo.px.url).pathname, '/catalog/group/default/checkout-team');
  assert.match(await card().innerText(), /Requests\s+[\d.]+\s*req\/s/);
  assert.equal(await boxes(), before, 'opening the card moves no node');
  await demo.screenshot('map-owners.png', { readme: true });

  // Count every time the card leaves the DOM while the pointer crosses to another service.
  await page.evaluate(() => {
    const w = window as unknown as { cardGone: number };
    w.cardGone = 0;
    new MutationObserver(() => {
      if (!document.querySelector('[data-testid="map-node-card"]')) w.cardGone++;
    }).observe(document.querySelector('[data-testid="map-canvas"]')!, { childList: true, subtree: true });
  });
  const to = await node('service:checkout').boundingBox();
  assert.ok(to);
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
  await card().and(page.locator('[data-node-id="service:checkout"]')).waitFor({ timeout: 5_000 });
  assert.equal(await page.evaluate(() => (window as unknown as { cardGone: number }).cardGone), 0, 'the card stayed open');

  await page.keyboard.press('Escape');
  await card().waitFor({ state: 'detached', timeout: 2_000 });
});

test('keyboard focus on a service opens its card; leaving the map closes it', async () => {
  await page.mouse.move(5, 5);
  await page.locator('.svelte-flow__node[data-id="service:payment"]').focus();
  await card().and(page.locator('[data-node-id="service:payment"]')).waitFor({ timeout: 2_000 });
  assert.equal(await cardText('owner'), 'checkout-team');
  await page.locator('[data-testid="map-filter-team"]').focus();
  await card().waitFor({ state: 'detached', timeout: 2_000 });
});

test('clear filters brings every node back; recommendation is not in the catalog', async () => {
  await page.locator('[data-testid="map-filter-clear"]').click();
  await page.waitForURL((u) => !u.searchParams.has('team'));
  await waitForNodes(ALL_NODES);
  await node('service:recommendation').hover();
  await card().and(page.locator('[data-node-id="service:recommendation"]')).waitFor({ timeout: 5_000 });
  assert.equal(await card().getAttribute('data-cataloged'), 'false');
  assert.match(await card().locator('[data-testid="map-node-card-uncataloged"]').innerText(), /^Not in the catalog\./);
  assert.equal(await card().locator('[data-testid="map-node-card-owner"]').count(), 0);
});

test('system and domain filters from the URL; a short team name selects the same as its ref', async () => {
  await page.goto(`${demo.px.url}/map?from=now-15m&to=now&system=system:default/storefront`);
  await waitForNodes(STOREFRONT_NODES);
  assert.equal(await page.locator('[data-testid="map-filter-system"]').inputValue(), 'system:default/storefront');
  await page.goto(`${demo.px.url}/map?from=now-15m&to=now&domain=domain:default/shop`);
  await waitForNodes(ALL_NODES.filter((id) => id !== 'service:recommendation'));
  await page.goto(`${demo.px.url}/map?from=now-15m&to=now&team=checkout-team`);
  await waitForNodes(CHECKOUT_TEAM_NODES);
  assert.equal(await page.locator('[data-testid="map-filter-team"]').inputValue(), 'group:default/checkout-team');
  await page.goto(`${demo.px.url}/map?from=now-15m&to=now&team=none`);
  await waitForNodes(['service:recommendation']);
});

test('colour by team: a colour per team (sorted by ref), a legend entry per team, in the URL', async () => {
  await page.goto(`${demo.px.url}/map?from=now-15m&to=now`);
  await waitForNodes(ALL_NODES);
  await page.locator('[data-testid="map-colour-team"]').check();
  await page.waitForURL(/[?&]colour=team/);
  await page.locator('[data-testid="map-legend-teams"]').waitFor({ timeout: 5_000 });
  const teams = await page.$$eval('[data-testid="map-node"]', (els) =>
    Object.fromEntries(els.map((e) => [e.getAttribute('data-node-id'), e.getAttribute('data-team')])),
  );
  // checkout-team 0, platform-team 1, storefront-team 2; none for recommendation and non-services.
  assert.equal(teams['service:cart'], '0');
  assert.equal(teams['service:web-gateway'], '1');
  assert.equal(teams['service:search'], '2');
  assert.equal(teams['service:recommendation'], null);
  assert.equal(teams['database:postgresql'], null);
  const legend = await page.locator('[data-testid="map-legend-teams"] [data-ref]').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-ref')} ${(r as HTMLElement).innerText.replace(/\s+/g, ' ').trim()}`));
  assert.deepEqual(legend, ['group:default/checkout-team checkout-team 6', 'group:default/platform-team platform-team 2', 'group:default/storefront-team storefront-team 4']);
  await demo.screenshot('map-colour-team.png');
});
