// Sources in a real browser, on the landscape of test/mixed-landscape.ts: Kong access logs
// (kong -> orders, 10 calls), an Istio exposition endpoint read twice (reviews -> ratings only in
// the mesh; productpage -> reviews in the mesh and in traces) and a mesh target nothing listens on.
// The Sources page must say which target is down and why, and list the gateway; the map must
// name the sources of each edge and draw the gateway/mesh-only edges in their own style.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { TestPlexus } from '../harness.ts';
import { startMixedLandscape, type MixedLandscape } from '../mixed-landscape.ts';
import { ensureUiBuilt } from '../../cli/src/ui-build.ts';
import { requireChromium, launchChromium, saveScreenshot } from './chromium.ts';

let landscape: MixedLandscape;
let px: TestPlexus;
let now: number;
let browser: Browser;
let page: Page;

before(async () => {
  requireChromium();
  ensureUiBuilt(() => {});
  landscape = await startMixedLandscape();
  ({ px, now } = landscape);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 760 } });
});

after(async () => {
  await browser?.close();
  await landscape?.close();
});

test('the Sources page: bookinfo up, broken down with its error first, kong with its 10 calls', async () => {
  // The error text is the collector's own words; the page must show exactly them.
  const api = await px.gql(`{ sources(from: "${new Date(now - 900_000).toISOString()}", to: "${new Date(now + 60_000).toISOString()}") { meshTargets { name lastError } } }`);
  const brokenError = api.sources.meshTargets.find((t: { name: string }) => t.name === 'broken').lastError as string;
  assert.match(brokenError, /ECONNREFUSED|refused/i);

  await page.goto(`${px.url}/sources?from=now-15m&to=now`);
  await page.locator('[data-testid="mesh-target-bookinfo"]').waitFor({ timeout: 15_000 });
  const rows = page.locator('[data-testid="mesh-targets-table"] tbody tr');
  assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid'))), ['mesh-target-broken', 'mesh-target-bookinfo'], 'down first');

  const broken = page.locator('[data-testid="mesh-target-broken"]');
  assert.equal(await broken.getAttribute('data-up'), 'false');
  assert.match(await broken.locator('[data-testid="mesh-target-status"]').innerText(), /down/);
  assert.equal(await broken.locator('[data-testid="mesh-target-error"]').innerText(), brokenError);
  assert.equal(await broken.locator('[data-testid="mesh-target-last-scrape"]').innerText(), 'never');
  assert.equal(await broken.locator('code.url').innerText(), landscape.brokenUrl);

  const bookinfo = page.locator('[data-testid="mesh-target-bookinfo"]');
  assert.equal(await bookinfo.getAttribute('data-up'), 'true');
  assert.match(await bookinfo.locator('[data-testid="mesh-target-status"]').innerText(), /up/);
  assert.equal(await bookinfo.locator('[data-testid="mesh-target-error"]').innerText(), '—');
  assert.match(await bookinfo.locator('[data-testid="mesh-target-last-scrape"]').innerText(), /^(just now|\d+ s ago|\d+ min ago)$/);
  assert.match(await page.locator('[data-testid="sources-summary"]').innerText(), /1 of 2 mesh targets down · 1 gateway in this window/);

  const gw = page.locator('[data-testid="gateway-kong"]');
  assert.equal(await page.locator('[data-testid="gateways-table"] tbody tr').count(), 1);
  assert.equal(await gw.locator('[data-testid="gateway-calls"]').innerText(), '10');
  assert.match(await gw.locator('td:nth-child(4)').innerText(), /20\s*%/, '2 of 10 calls failed');
  assert.equal(await gw.locator('td:nth-child(2) .chip').textContent(), 'kong');
  assert.deepEqual(await gw.locator('[data-testid="gateway-upstreams"] a').allInnerTexts(), ['orders']);
  assert.deepEqual(
    await gw.locator('[data-testid="gateway-upstreams"] a').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname)),
    ['/services/orders'],
  );
  assert.equal(await gw.locator('[data-testid="gateway-consumers"]').innerText(), '1');

  // The rail warns about the down target from every page.
  assert.match(await page.locator('[data-testid="rail-sources-down"]').innerText(), /1/);
  assert.match(await page.locator('nav.rail a[aria-current="page"]').innerText(), /^\s*Sources\b/);
  await saveScreenshot(page, 'sources.png', { readme: true });
});

test('the map names each edge’s sources and draws gateway/mesh-only edges dotted', async () => {
  await page.goto(`${px.url}/map?from=now-15m&to=now`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="map-edge"]').length >= 3, undefined, { timeout: 30_000 });
  const edges = await page.$$eval('[data-testid="map-edge"]', (els) =>
    els.map((e) => ({ edge: `${e.getAttribute('data-source')}->${e.getAttribute('data-target')}`, sources: e.getAttribute('data-sources'), only: e.getAttribute('data-source-only'), dash: getComputedStyle(e).strokeDasharray })),
  );
  assert.deepEqual(
    edges.sort((a, b) => a.edge.localeCompare(b.edge)),
    [
      { edge: 'service:kong->service:orders', sources: 'gateway', only: 'true', dash: '1.5px, 3.5px' },
      { edge: 'service:productpage->service:reviews', sources: 'traces,mesh', only: null, dash: 'none' },
      { edge: 'service:reviews->service:ratings', sources: 'mesh', only: 'true', dash: '1.5px, 3.5px' },
    ],
  );
  assert.equal(await page.locator('[data-testid="map-legend-source-only"]').innerText(), 'Gateway or mesh only');
  // Selecting the edge (a click on its label) opens the full label with the source chips.
  const label = page.locator('[data-testid="map-edge-label"][data-source="service:productpage"][data-target="service:reviews"]');
  await label.click();
  await label.locator('[data-testid="edge-sources"]').waitFor({ timeout: 5_000 });
  assert.deepEqual(await label.locator('[data-testid="edge-sources"] .chip').allTextContents(), ['traces', 'mesh']);
  assert.equal(await page.locator('[data-testid="map-edge-label"][data-source="service:kong"] [data-testid="edge-sources"]').count(), 0, 'only the selected edge shows its sources');
  await saveScreenshot(page, 'sources-map.png');
});
