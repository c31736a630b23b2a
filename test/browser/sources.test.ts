// Sources in a real browser, on the landscape of test/mixed-landscape.test.ts: Kong access logs
// (kong -> orders, 10 calls), an Istio exposition endpoint read twice (reviews -> ratings only in
// the mesh; productpage -> reviews in the mesh and in traces) and a mesh target nothing listens on.
// The Sources page must say which target is down and why, and list the gateway; the map must
// name the sources of each edge and draw the gateway/mesh-only edges in their own style.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestPlexus, postOtlpJson, type TestPlexus } from '../harness.ts';
import { otlpJson, newTraceId, newSpanId, type TestSpan } from '../spans.ts';
import { ensureUiBuilt } from '../../cli/src/ui-build.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

let px: TestPlexus;
let mesh: Server;
let browser: Browser;
let page: Page;
let exposition = '';
const now = Date.now();

/** Istio's destination-reported series between two workloads, as a sidecar exposes them. */
function istio(source: string, destination: string, ok: number, failed: number, buckets: Array<[string, number]>, sumMs: number): string {
  const labels = (code: string) => `reporter="destination",source_app="${source}",source_workload="${source}-v1",source_workload_namespace="default",destination_service_name="${destination}",destination_service_namespace="default",destination_workload="${destination}-v1",response_code="${code}"`;
  return [
    `istio_requests_total{${labels('200')}} ${ok}`,
    `istio_requests_total{${labels('503')}} ${failed}`,
    ...buckets.map(([le, n]) => `istio_request_duration_milliseconds_bucket{${labels('200')},le="${le}"} ${n}`),
    `istio_request_duration_milliseconds_sum{${labels('200')}} ${sumMs}`,
    `istio_request_duration_milliseconds_count{${labels('200')}} ${ok}`,
  ].join('\n');
}

const reading = (first: boolean) => [
  '# TYPE istio_requests_total counter',
  first
    ? istio('reviews', 'ratings', 100, 5, [['10', 50], ['25', 80], ['50', 100], ['+Inf', 100]], 2000)
    : istio('reviews', 'ratings', 130, 7, [['10', 60], ['25', 100], ['50', 130], ['+Inf', 130]], 2750),
  first
    ? istio('productpage', 'reviews', 50, 0, [['10', 0], ['25', 50], ['50', 50], ['+Inf', 50]], 1000)
    : istio('productpage', 'reviews', 62, 0, [['10', 0], ['25', 62], ['50', 62], ['+Inf', 62]], 1240),
  '',
].join('\n');

/** A Kong http-log record of a call to the orders service by the `mobile-app` consumer. */
const kong = (i: number, status: number, totalMs: number) => ({
  request: { method: 'GET', uri: `/orders/${1000 + i}`, url: `http://kong:8000/orders/${1000 + i}`, size: 120, headers: { host: 'kong:8000' } },
  response: { status, size: 512, headers: {} },
  latencies: { request: totalMs, proxy: totalMs - 2, kong: 2 },
  service: { name: 'orders', host: 'orders.default.svc.cluster.local', port: 8080, protocol: 'http' },
  route: { name: 'orders-route', paths: ['/orders'] },
  consumer: { username: 'mobile-app', id: 'c0ffee00-0000-4000-8000-000000000001' },
  client_ip: '10.0.0.9',
  started_at: now - 60_000 + i * 100,
});

async function screenshot(name: string, readme: boolean): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}` });
  if (readme && process.env.PLEXUS_UPDATE_SCREENSHOTS === '1') copyFileSync(`${ARTIFACTS}${name}`, `${SCREENSHOTS}${name}`);
}

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  ensureUiBuilt(() => {});
  mkdirSync(ARTIFACTS, { recursive: true });
  exposition = reading(true);
  mesh = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(exposition);
  });
  await new Promise<void>((r) => mesh.listen(0, '127.0.0.1', () => r()));
  const dir = mkdtempSync(join(tmpdir(), 'plexus-sources-ui-'));
  const url = `http://127.0.0.1:${(mesh.address() as AddressInfo).port}/stats/prometheus`;
  writeFileSync(join(dir, 'plexus.yaml'), `mesh:\n  intervalSeconds: 3600\n  targets:\n    - { url: "${url}", mesh: istio, name: bookinfo }\n    - { url: "http://127.0.0.1:1/stats/prometheus", mesh: istio, name: broken }\n`);
  px = await startTestPlexus({ PLEXUS_CONFIG: join(dir, 'plexus.yaml') });

  // Kong only: 8 answered, 2 failed upstream.
  const records = [...Array.from({ length: 8 }, (_, i) => kong(i, 200, 20)), kong(8, 502, 40), kong(9, 502, 40)];
  const res = await fetch(`${px.otlpUrl}/ingest/kong`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: records.map((r) => JSON.stringify(r)).join('\n') });
  assert.deepEqual(await res.json(), { accepted: 10, rejected: 0, errors: [] });

  // productpage -> reviews in traces (4 sampled calls) as well as in the mesh.
  const spans: TestSpan[] = [];
  for (let i = 0; i < 4; i++) {
    const traceId = newTraceId();
    const root = newSpanId();
    const client = newSpanId();
    const t = now - 90_000 + i * 1000;
    spans.push(
      { service: 'productpage', name: 'GET /productpage', kind: 'SERVER', traceId, spanId: root, startMs: t, durationMs: 30 },
      { service: 'productpage', name: 'GET /reviews/{id}', kind: 'CLIENT', traceId, spanId: client, parentSpanId: root, startMs: t + 1, durationMs: 22 },
      { service: 'reviews', name: 'GET /reviews/{id}', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: client, startMs: t + 2, durationMs: 20 },
    );
  }
  assert.equal((await postOtlpJson(px.otlpUrl, otlpJson(spans))).status, 200);

  // The second reading: its increase is the mesh's traffic (the first was the baseline at start).
  exposition = reading(false);
  await px.scrapeMesh();
  await px.recompute();

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 760 } });
});

after(async () => {
  await browser?.close();
  await px?.close();
  mesh?.close();
});

test('the Sources page: bookinfo up, broken down with its error first, kong with its 10 calls', async () => {
  // The error text is the collector's own words; the page must show exactly them.
  const api = await px.gql(`{ sources(from: "${new Date(now - 900_000).toISOString()}", to: "${new Date(now + 60_000).toISOString()}") { meshTargets { name lastError } } }`);
  const brokenError = api.sources.meshTargets.find((t: { name: string }) => t.name === 'broken').lastError as string;
  assert.match(brokenError, /ECONNREFUSED|fetch failed|refused/i);

  await page.goto(`${px.url}/sources?from=now-15m&to=now`);
  await page.locator('[data-testid="mesh-target-bookinfo"]').waitFor({ timeout: 15_000 });
  const rows = page.locator('[data-testid="mesh-targets-table"] tbody tr');
  assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid'))), ['mesh-target-broken', 'mesh-target-bookinfo'], 'down first');

  const broken = page.locator('[data-testid="mesh-target-broken"]');
  assert.equal(await broken.getAttribute('data-up'), 'false');
  assert.match(await broken.locator('[data-testid="mesh-target-status"]').innerText(), /down/);
  assert.equal(await broken.locator('[data-testid="mesh-target-error"]').innerText(), brokenError);
  assert.equal(await broken.locator('[data-testid="mesh-target-last-scrape"]').innerText(), 'never');
  assert.equal(await broken.locator('code.url').innerText(), 'http://127.0.0.1:1/stats/prometheus');

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
  await screenshot('sources.png', true);
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
  await page.screenshot({ path: `${ARTIFACTS}sources-map.png` });
});
