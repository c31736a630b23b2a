// Latency investigation in a real browser (issue 6), on the demo shop: the service page's latency
// heatmap and the traces of a dragged region, an entry point's critical-path bar and call depth,
// what breaks if inventory fails (and its blast radius on the map), and the map's diff mode with
// one new edge posted into the current window. The UI must show exactly what the GraphQL API
// answers for the same arguments, and that answer is checked against cli/src/demo/landscape.ts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startDemoBrowser, type DemoBrowser } from './demo-browser.ts';
import { postOtlpJson } from '../harness.ts';
import { newSpanId, newTraceId, otlpJson, type TestSpan } from '../spans.ts';

let demo: DemoBrowser;
let page: Page;
/** A whole minute just after the demo's traffic ended; windows below are aligned to it. */
let end: number;
/** The service page's window: the demo's four minutes with room on both sides. */
let win: { from: string; to: string };

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

before(async () => {
  demo = await startDemoBrowser({ viewport: { width: 1600, height: 1000 } });
  page = demo.page;
  end = Math.floor(Date.now() / MINUTE) * MINUTE;
  win = { from: iso(end - 10 * MINUTE), to: iso(end + 2 * MINUTE) };
});

after(async () => {
  await demo?.close();
});

const servicePage = (name: string, extra = '') => `${demo.px.url}/services/${encodeURIComponent(name)}?from=${win.from}&to=${win.to}${extra}`;

test('the latency heatmap has the cells the API returns, and a dragged region lists exactly its traces', async () => {
  const d = await demo.px.gql(
    `query($from: DateTime!, $to: DateTime!) { service(name: "storefront-bff", from: $from, to: $to) { latencyHeatmap { step bounds cells { time bucket count } } } }`,
    win,
  );
  const heat = d.service.latencyHeatmap as { step: number; bounds: number[]; cells: { time: string; bucket: number; count: number }[] };
  const nonZero = heat.cells.filter((c) => c.count > 0);
  assert.ok(nonZero.length > 0, 'the demo gives storefront-bff entry spans');

  await page.goto(servicePage('storefront-bff'));
  const heatmap = page.locator('[data-testid="heatmap"]');
  await heatmap.waitFor({ timeout: 30_000 });
  const cells = await page.$$eval('[data-testid="heatmap-cell"]', (els) => els.map((e) => Number(e.getAttribute('data-count'))));
  assert.equal(cells.length, nonZero.length, 'one cell per non-empty (time, bucket)');
  assert.ok(cells.every((c) => c > 0));
  assert.equal(
    cells.reduce((a, b) => a + b, 0),
    nonZero.reduce((a, c) => a + c.count, 0),
  );

  // Drag along the row of the busiest cell, across the whole time axis.
  const busiest = page.locator('[data-testid="heatmap-cell"]').nth(cells.indexOf(Math.max(...cells)));
  const row = Number(await busiest.getAttribute('data-row'));
  const cellBox = (await busiest.boundingBox())!;
  const plot = (await page.locator('[data-testid="heatmap-plot"] rect.frame').boundingBox())!;
  const y = cellBox.y + cellBox.height / 2;
  await page.mouse.move(plot.x + 2, y);
  await page.mouse.down();
  await page.mouse.move(plot.x + plot.width / 2, y, { steps: 4 });
  await page.mouse.move(plot.x + plot.width - 2, y, { steps: 4 });
  await page.mouse.up();
  await page.waitForURL(/region=/);
  await page.locator('[data-testid="heatmap-selection"]').waitFor();

  const region = new URL(page.url()).searchParams.get('region')!.split(',');
  const [from, to, min, max] = region;
  assert.equal(min, row === 0 ? '' : String(heat.bounds[row]), 'lower bound: the row bucket (none for the first)');
  assert.equal(max, row + 1 >= heat.bounds.length ? '' : String(heat.bounds[row + 1]), 'upper bound: the next bucket');
  const vars = {
    from,
    to,
    service: 'storefront-bff',
    spanKind: 'SERVER',
    minDurationMs: min ? Number(min) : null,
    maxDurationMs: max ? Number(max) : null,
  };
  const t = await demo.px.gql(
    `query($from: DateTime!, $to: DateTime!, $service: String, $spanKind: String, $minDurationMs: Float, $maxDurationMs: Float) {
      traces(from: $from, to: $to, service: $service, spanKind: $spanKind, minDurationMs: $minDurationMs, maxDurationMs: $maxDurationMs, first: 20) {
        totalCount edges { node { traceId } } } }`,
    vars,
  );
  assert.ok(t.traces.totalCount > 0, 'the busiest row holds traces');

  const count = page.locator('[data-testid="region-count"]');
  await count.waitFor({ timeout: 20_000 });
  assert.equal(Number(await count.getAttribute('data-total')), t.traces.totalCount);
  const listed = await page.$$eval('[data-testid="region-trace-table"] [data-testid="trace-row"]', (els) => els.map((e) => e.getAttribute('data-trace-id')));
  assert.deepEqual(
    listed,
    t.traces.edges.map((e: { node: { traceId: string } }) => e.node.traceId),
  );

  await demo.screenshot('service-heatmap-region.png');

  const link = new URL((await page.locator('[data-testid="region-search-link"]').getAttribute('href'))!, demo.px.url);
  assert.equal(link.pathname, '/traces');
  assert.deepEqual(Object.fromEntries(link.searchParams), {
    from,
    to,
    service: 'storefront-bff',
    kind: 'SERVER',
    ...(min ? { minMs: min } : {}),
    ...(max ? { maxMs: max } : {}),
  });
});

test('an entry operation shows its critical-path bar (the contributors criticalPath returns) and its call depth', async () => {
  const op = 'GET /products/{id}';
  const d = await demo.px.gql(
    `query($from: DateTime!, $to: DateTime!, $op: String!) {
      criticalPath(service: "web-gateway", operation: $op, from: $from, to: $to) { contributors { service operation share } }
      service(name: "web-gateway", from: $from, to: $to) { callDepths { operation kind callDepth { max deepestChain } } } }`,
    { ...win, op },
  );
  const contributors = d.criticalPath.contributors as { service: string; operation: string; share: number }[];
  assert.ok(contributors.length > 1);
  // The product page waits on the slow recommendation model most of all (landscape: ~170 ms median self time).
  assert.equal(contributors[0]!.service, 'recommendation');
  const depth = (d.service.callDepths as { operation: string; kind: string; callDepth: { max: number; deepestChain: string[] } }[]).find(
    (x) => x.operation === op && x.kind === 'SERVER',
  )!;
  // web-gateway -> storefront-bff -> recommendation -> catalog (database calls are not service hops).
  assert.deepEqual(depth.callDepth, { max: 3, deepestChain: ['web-gateway', 'storefront-bff', 'recommendation', 'catalog'] });

  await page.goto(servicePage('web-gateway'));
  await page.locator('[data-testid="operations-table"]').waitFor({ timeout: 20_000 });
  await page.locator('[data-testid="operation-link"]', { hasText: op }).click();
  await page.waitForURL(/op=/);
  await page.locator('[data-testid="cp-segment"]').first().waitFor({ timeout: 20_000 });
  const segments = await page.$$eval('[data-testid="cp-segment"]', (els) => els.map((e) => [e.getAttribute('data-service'), e.getAttribute('data-operation')]));
  assert.equal(segments.length, contributors.length, 'one segment per contributor');
  assert.deepEqual(
    segments,
    contributors.map((c) => [c.service, c.operation]),
  );
  await page.locator('[data-testid="cp-segment"]').first().hover();
  const tip = await page.locator('[data-testid="cp-tooltip"]').innerText();
  assert.match(tip, new RegExp(`recommendation\\s*·\\s*${contributors[0]!.operation.replace(/[{}/]/g, '\\$&')}`));
  assert.match(tip, /self time, p95/);

  const shown = page.locator('[data-testid="operation-detail"] [data-testid="call-depth"]');
  assert.equal(await shown.getAttribute('data-max'), '3');
  assert.deepEqual(await shown.locator('[data-testid="call-chain"] a').allInnerTexts(), depth.callDepth.deepestChain);
  // The page scrolls inside the app's main column, so a tall viewport shows it down to the breakdown.
  await page.setViewportSize({ width: 1600, height: 1500 });
  await page.evaluate(() => document.getElementById('main')?.scrollTo(0, 0));
  await page.locator('[data-testid="cp-segment"]').first().hover();
  await demo.screenshot('service-investigation.png', { readme: true });
  await page.setViewportSize({ width: 1600, height: 1000 });
});

// landscape.ts: storefront-bff (product page stock), cart (POST /cart/items) and checkout (POST /checkout:
// reservations) call inventory; web-gateway calls all three. The async orders topic is not a way in.
const INVENTORY_UPSTREAM = [
  ['cart', 1],
  ['checkout', 1],
  ['storefront-bff', 1],
  ['web-gateway', 2],
];
// Service-to-service calls among inventory and its callers.
const INVENTORY_BLAST_EDGES = [
  'web-gateway>storefront-bff', 'web-gateway>cart', 'web-gateway>checkout',
  'storefront-bff>inventory', 'cart>inventory', 'checkout>cart', 'checkout>inventory',
].map((e) => e.split('>').map((s) => `service:${s}`).join('->')).sort();

test('what breaks if inventory fails lists exactly impact\'s upstream, and the map shows that blast radius', async () => {
  const d = await demo.px.gql(
    `query($from: DateTime!, $to: DateTime!) { impact(service: "inventory", from: $from, to: $to) {
      upstream { service depth } entryPoints { service operation } apis { name } teams { ref } } }`,
    win,
  );
  const upstream = (d.impact.upstream as { service: string; depth: number }[]).map((u) => [u.service, u.depth]).sort();
  assert.deepEqual(upstream, INVENTORY_UPSTREAM);
  // web-gateway's product page, cart and checkout entries reach inventory; the product list does not.
  assert.deepEqual(
    (d.impact.entryPoints as { service: string; operation: string }[]).map((e) => `${e.service} ${e.operation}`).sort(),
    ['web-gateway GET /products/{id}', 'web-gateway POST /cart/items', 'web-gateway POST /checkout'],
  );

  await page.goto(servicePage('inventory'));
  const block = page.locator('[data-testid="impact"]');
  await block.locator('[data-testid="impact-upstream-row"]').first().waitFor({ timeout: 20_000 });
  const rows = await block.locator('[data-testid="impact-upstream-row"]').evaluateAll((trs) =>
    trs.map((tr) => [tr.getAttribute('data-service'), Number(tr.getAttribute('data-depth'))]),
  );
  assert.deepEqual(rows.sort(), INVENTORY_UPSTREAM);
  assert.equal(await block.locator('[data-testid="impact-entry-points"] li').count(), 3);
  assert.deepEqual(
    (await block.locator('[data-testid="impact-apis"] a').allInnerTexts()).sort(),
    (d.impact.apis as { name: string }[]).map((a) => a.name).sort(),
  );
  assert.equal(await block.locator('[data-testid="impact-teams"] li').count(), d.impact.teams.length);

  await block.locator('[data-testid="impact-show-on-map"]').click();
  await page.waitForURL(/\/map\?.*impact=inventory/);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="map-node"][data-blast-depth]').length >= 5, null, { timeout: 30_000 });
  const inRadius = await page.$$eval('[data-testid="map-node"][data-blast-depth]', (els) =>
    [...new Set(els.map((e) => `${e.getAttribute('data-node-id')}:${e.getAttribute('data-blast-depth')}`))].sort(),
  );
  assert.deepEqual(inRadius, ['service:inventory:0', ...INVENTORY_UPSTREAM.map(([s, n]) => `service:${s}:${n}`)].sort());
  const blastEdges = await page.$$eval('[data-testid="map-edge"][data-blast="true"]', (els) =>
    [...new Set(els.map((e) => `${e.getAttribute('data-source')}->${e.getAttribute('data-target')}`))].sort(),
  );
  assert.deepEqual(blastEdges, INVENTORY_BLAST_EDGES);
  assert.equal(await page.locator('[data-testid="blast-summary"]').innerText(), 'blast radius of inventory: 4 upstream services, 3 entry points');
  await demo.screenshot('map-blast.png');

  await page.locator('[data-testid="blast-clear"]').click();
  await page.locator('[data-testid="blast-banner"]').waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="map-node"][data-blast-depth]').length === 0);
});

test('diff mode: one new caller in the current window is the only added edge, on the map and in the table', async () => {
  // The current window is the last two whole minutes of demo traffic, compared with the two before.
  const after = { from: end - 2 * MINUTE, to: end };
  const t0 = after.from + 30_000;
  const spans: TestSpan[] = [];
  for (let i = 0; i < 5; i++) {
    const traceId = newTraceId();
    const client = newSpanId();
    spans.push(
      { service: 'fraud-check', name: 'POST', kind: 'CLIENT', traceId, spanId: client, startMs: t0 + i * 1000, durationMs: 30, attributes: { 'http.request.method': 'POST', 'server.address': 'payment.shop.svc.cluster.local' } },
      { service: 'payment', name: 'POST /payments', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: client, startMs: t0 + i * 1000 + 1, durationMs: 25, attributes: { 'http.request.method': 'POST', 'http.route': '/payments' } },
    );
  }
  const r = await postOtlpJson(demo.px.otlpUrl, otlpJson(spans));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await demo.px.recompute();

  const NEW_EDGE = 'service:fraud-check->service:payment';
  const d = await demo.px.gql(
    `query($before: WindowInput!, $after: WindowInput!) { graphDiff(before: $before, after: $after) {
      added { nodes { id } edges { id } } removed { nodes { id } edges { id } } } }`,
    { before: { from: iso(after.from - 2 * MINUTE), to: iso(after.from) }, after: { from: iso(after.from), to: iso(after.to) } },
  );
  assert.deepEqual(d.graphDiff, { added: { nodes: [{ id: 'service:fraud-check' }], edges: [{ id: NEW_EDGE }] }, removed: { nodes: [], edges: [] } });

  // Taller than the other tests' viewport: the map keeps room beside the changes table for the screenshot.
  await page.setViewportSize({ width: 1600, height: 1200 });
  await page.goto(`${demo.px.url}/map?from=${iso(after.from)}&to=${iso(after.to)}&diff=prev`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="map-edge"][data-diff]').length > 0, null, { timeout: 30_000 });
  const added = await page.$$eval('[data-testid="map-edge"][data-diff="added"]', (els) => [...new Set(els.map((e) => e.getAttribute('data-edge-id')))]);
  assert.deepEqual(added, [NEW_EDGE]);
  assert.equal(await page.locator('[data-testid="map-edge"][data-diff="removed"]').count(), 0);
  const addedNodes = await page.$$eval('[data-testid="map-node"][data-diff]', (els) => els.map((e) => `${e.getAttribute('data-node-id')} ${e.getAttribute('data-diff')}`));
  assert.deepEqual(addedNodes, ['service:fraud-check added']);
  assert.equal(
    await page.locator(`[data-testid="map-edge-label"][data-diff="added"][data-source="service:fraud-check"]`).locator('.diff-chip').textContent(),
    'new',
  );

  const table = page.locator('[data-testid="map-diff-table"]');
  await table.waitFor({ timeout: 10_000 });
  const rows = await table.locator('[data-testid="diff-row"]').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-status'), tr.getAttribute('data-edge-id')]));
  assert.deepEqual(
    rows.filter(([status]) => status !== 'changed'),
    [['added', NEW_EDGE]],
  );
  assert.match(await table.locator('[data-testid="diff-row"][data-status="added"]').innerText(), /fraud-check[\s\S]*payment/);
  assert.ok(rows.length > 1, 'the demo edges in both windows are listed as changed');
  await demo.screenshot('map-diff.png', { readme: true });
});
