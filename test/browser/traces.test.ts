// Trace search and the waterfall in a real browser, on the demo shop's traffic plus one
// generated 3,000-span trace (to see the virtualized rows at work). Counts are checked
// three ways: what the page shows, what GraphQL answers, and what the raw spans hold.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { sql, timestampBetween } from '@plexus/store';
import { startDemoBrowser, type DemoBrowser } from './demo-browser.ts';
import { postOtlpJson } from '../harness.ts';
import { otlpJson } from '../spans.ts';
import { generateTrace } from '../../bench/waterfall-render.ts';
import { OPERATIONS } from '../../cli/src/demo/landscape.ts';

// cli/src/demo/landscape.ts: checkout serves `POST /checkout` (called by web-gateway's `POST /checkout`).
const SERVICE = 'checkout';
const OPERATION = OPERATIONS.find((o) => o.service === SERVICE && o.name === 'POST /checkout')!.name;
const BIG = 3000;

interface GqlSpan {
  spanId: string;
  parentSpanId: string;
  startTimeUnixNano: string;
  status: string;
  attributes: Array<{ key: string; value: string }>;
}
interface GqlTrace {
  spanCount: number;
  spans: GqlSpan[];
  criticalPath: Array<{ spanId: string; startMs: number; durationMs: number }>;
}

let demo: DemoBrowser;
let page: Page;
let from: string;
let to: string;
let bigTraceId: string;

before(async () => {
  demo = await startDemoBrowser({ viewport: { width: 1600, height: 1000 } });
  page = demo.page;
  const big = generateTrace(BIG, Date.now() - 10 * 60_000, 5);
  bigTraceId = big.spans[0]!.traceId;
  const res = await postOtlpJson(demo.px.otlpUrl, otlpJson(big.spans));
  assert.equal(res.status, 200);
  await demo.px.recompute();
  // One absolute window for the page and for the checks: every demo span and the big trace lie in it.
  from = new Date(Date.now() - 30 * 60_000).toISOString();
  to = new Date(Date.now() + 5 * 60_000).toISOString();
});

after(async () => {
  await demo?.close();
});

/** Traces with a span of `service` (and `operation`, and span or resource attribute `attr`) starting in the window, from the raw spans. */
async function rawTraceCount(service: string, operation?: string, attr?: { key: string; value: string }): Promise<number> {
  const rows = await demo.px.store.query<{ n: string }>(sql`
    SELECT uniqExact(TraceId) AS n FROM otel_traces
    WHERE ServiceName = ${service} AND ${timestampBetween(sql`${Date.parse(from) / 1000}`, sql`${Date.parse(to) / 1000}`)}
      AND ${operation === undefined ? sql`1` : sql`SpanName = ${operation}`}
      AND ${attr === undefined ? sql`1` : sql`(SpanAttributes[${attr.key}] = ${attr.value} OR ResourceAttributes[${attr.key}] = ${attr.value})`}`);
  return Number(rows[0]!.n);
}

async function gqlTotal(vars: Record<string, unknown>): Promise<number> {
  const d = await demo.px.gql<{ traces: { totalCount: number } }>(
    `query($from: DateTime!, $to: DateTime!, $service: String, $operation: String, $attributes: [AttributeFilter!]) {
      traces(from: $from, to: $to, service: $service, operation: $operation, attributes: $attributes) { totalCount } }`,
    { from, to, ...vars },
  );
  return d.traces.totalCount;
}

async function readTrace(id: string): Promise<GqlTrace> {
  const d = await demo.px.gql<{ trace: GqlTrace }>(
    `query($id: ID!) { trace(id: $id) { spanCount spans { spanId parentSpanId startTimeUnixNano status attributes { key value } } criticalPath { spanId startMs durationMs } } }`,
    { id },
  );
  return d.trace;
}

/** Span ids in waterfall order, written out independently of the UI: children by start time (input order on ties), orphans at the top. */
function treeOrder(spans: GqlSpan[]): { order: string[]; below: Map<string, number>; topLevel: number } {
  const ids = new Set(spans.map((s) => s.spanId));
  const index = new Map(spans.map((s, i) => [s, i]));
  const kids = new Map<string, GqlSpan[]>();
  const top: GqlSpan[] = [];
  for (const s of spans) {
    if (s.parentSpanId && s.parentSpanId !== s.spanId && ids.has(s.parentSpanId)) kids.set(s.parentSpanId, [...(kids.get(s.parentSpanId) ?? []), s]);
    else top.push(s);
  }
  const byStart = (a: GqlSpan, b: GqlSpan) => {
    const d = BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano);
    return d < 0n ? -1 : d > 0n ? 1 : index.get(a)! - index.get(b)!;
  };
  const order: string[] = [];
  const below = new Map<string, number>();
  const visit = (s: GqlSpan): number => {
    order.push(s.spanId);
    let n = 0;
    for (const c of (kids.get(s.spanId) ?? []).sort(byStart)) n += 1 + visit(c);
    below.set(s.spanId, n);
    return n;
  };
  for (const s of top.sort(byStart)) visit(s);
  return { order, below, topLevel: top.length };
}

const waterfallRows = () => page.locator('[data-testid="waterfall"]').getAttribute('data-rows').then(Number);
/** Waits until the waterfall holds `n` rows. */
const waitRows = (n: number) => page.waitForFunction((k) => document.querySelector('[data-testid="waterfall"]')?.getAttribute('data-rows') === String(k), n, { timeout: 10_000 });
const drawn = () => page.locator('[data-testid="span-row"]').evaluateAll((rows) => rows.map((r) => ({ id: r.getAttribute('data-span-id')!, row: Number(r.getAttribute('data-row')) })));

/** The drawn rows are a contiguous run of the expected order, and their critical-path segments are all drawn. */
async function assertDrawnRows(order: string[], trace: GqlTrace, label: string): Promise<void> {
  const rows = await drawn();
  assert.ok(rows.length > 0, `${label}: rows drawn`);
  const first = rows[0]!.row;
  assert.deepEqual(rows.map((r) => r.id), order.slice(first, first + rows.length), `${label}: drawn rows ${first}..${first + rows.length - 1} in tree order`);
  const onRows = new Set(rows.map((r) => r.id));
  const expected = trace.criticalPath.filter((c) => onRows.has(c.spanId)).length;
  assert.equal(await page.locator('[data-testid="cp-segment"]').count(), expected, `${label}: critical-path segments of the drawn rows`);
}

test('/traces: a service filter, an operation and an attribute show the count GraphQL and the raw spans give', async () => {
  await page.goto(`${demo.px.url}/traces?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  const total = page.locator('[data-testid="trace-total"]');
  await total.waitFor({ timeout: 20_000 });
  const all = await gqlTotal({});
  await page.waitForFunction((n) => document.querySelector('[data-testid="trace-total"]')?.getAttribute('data-total') === String(n), all, { timeout: 10_000 });

  await page.locator('[data-testid="trace-filter-service"]').selectOption(SERVICE);
  await page.waitForURL(/service=checkout/);
  const expected = await rawTraceCount(SERVICE);
  assert.ok(expected > 20, `the demo sent more than a page of ${SERVICE} traces (${expected})`);
  assert.equal(await gqlTotal({ service: SERVICE }), expected, 'GraphQL totalCount = traces with a checkout span in the raw spans');
  await page.waitForFunction((n) => document.querySelector('[data-testid="trace-total"]')?.getAttribute('data-total') === String(n), expected, { timeout: 10_000 });
  const table = page.locator('[data-testid="traces-table"]');
  assert.equal(await table.locator('tbody tr').count(), 20, 'first page of 20');
  for (const services of await table.locator('tbody tr td.services').allInnerTexts()) assert.match(services, /checkout/);
  const ids = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-trace-id')));
  assert.equal(new Set(ids).size, 20);

  await page.locator('[data-testid="traces-more"]').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="traces-table"] tbody tr').length > 20, undefined, { timeout: 10_000 });
  assert.equal(await table.locator('tbody tr').count(), Math.min(40, expected), 'load more adds the next page');

  await page.locator('[data-testid="trace-filter-operation"]').selectOption(OPERATION);
  await page.waitForURL(/operation=POST/);
  const withOp = await rawTraceCount(SERVICE, OPERATION);
  assert.equal(await gqlTotal({ service: SERVICE, operation: OPERATION }), withOp);
  await page.waitForFunction((n) => document.querySelector('[data-testid="trace-total"]')?.getAttribute('data-total') === String(n), withOp, { timeout: 10_000 });

  // An attribute row: the route of checkout's server span, on the same span as the other filters.
  const attr = { key: 'http.route', value: '/checkout' };
  await page.locator('[data-testid="trace-attr-key"]').fill(attr.key);
  await page.locator('[data-testid="trace-attr-value"]').fill(attr.value);
  await page.locator('[data-testid="trace-attr-value"]').press('Enter');
  await page.waitForURL(/attr=http\.route%3D\/checkout/);
  const withAttr = await rawTraceCount(SERVICE, OPERATION, attr);
  assert.ok(withAttr > 0, 'checkout POST /checkout spans carry http.route');
  assert.equal(await gqlTotal({ service: SERVICE, operation: OPERATION, attributes: [attr] }), withAttr);
  await page.waitForFunction((n) => document.querySelector('[data-testid="trace-total"]')?.getAttribute('data-total') === String(n), withAttr, { timeout: 10_000 });
  assert.equal(await page.locator('[data-testid="trace-attr"]').count(), 1);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await demo.screenshot('trace-search.png', { readme: true });
});

test('the first trace: every span a row in tree order, collapse and expand, critical path drawn, span details', async () => {
  const first = page.locator('[data-testid="traces-table"] tbody tr').first();
  const id = (await first.getAttribute('data-trace-id'))!;
  await first.locator('td.root a').click();
  await page.waitForURL(new RegExp(`/traces/${id}\\?`));
  await page.locator('[data-testid="waterfall"][data-ready]').waitFor({ timeout: 20_000 });
  const trace = await readTrace(id);
  const { order, below, topLevel } = treeOrder(trace.spans);
  assert.equal(await waterfallRows(), trace.spanCount, 'one row per span');
  assert.equal(await page.locator('[data-testid="trace-span-count"]').getAttribute('data-count'), String(trace.spanCount));
  await assertDrawnRows(order, trace, 'expanded');
  assert.ok(trace.criticalPath.length > 0);

  // Collapse the second-level span with the largest subtree: exactly its descendants go.
  const target = order.filter((s) => below.get(s)! > 0).slice(1).sort((a, b) => below.get(b)! - below.get(a)!)[0]!;
  await page.locator(`[data-testid="span-row"][data-span-id="${target}"] [data-testid="span-caret"]`).click();
  await waitRows(trace.spanCount - below.get(target)!);
  const hidden = new Set(order.slice(order.indexOf(target) + 1, order.indexOf(target) + 1 + below.get(target)!));
  await assertDrawnRows(order.filter((s) => !hidden.has(s)), trace, 'one subtree collapsed');
  await page.locator(`[data-testid="span-row"][data-span-id="${target}"] [data-testid="span-caret"]`).click();
  await waitRows(trace.spanCount);

  await page.locator('[data-testid="collapse-all"]').click();
  await waitRows(topLevel); // collapse all leaves the top-level spans
  await page.locator('[data-testid="expand-all"]').click();
  await waitRows(trace.spanCount);

  // Critical path only: the spans with a segment, in tree order.
  await page.locator('[data-testid="critical-only"]').check();
  await page.waitForURL(/cp=1/);
  const onPath = new Set(trace.criticalPath.map((c) => c.spanId));
  await waitRows(onPath.size);
  await assertDrawnRows(order.filter((s) => onPath.has(s)), trace, 'critical path only');
  await page.locator('[data-testid="critical-only"]').uncheck();
  await waitRows(trace.spanCount);

  // Details of checkout's POST /checkout server span: its attributes as GraphQL has them.
  const span = trace.spans.find((s) => s.attributes.some((a) => a.key === 'http.route' && a.value === '/checkout'))!;
  await page.locator(`[data-testid="span-row"][data-span-id="${span.spanId}"] button.name`).click();
  await page.waitForURL(new RegExp(`span=${span.spanId}`));
  const details = page.locator(`[data-testid="span-details"][data-span-id="${span.spanId}"]`);
  await details.locator('[data-testid="span-attributes"]').waitFor({ timeout: 10_000 });
  const keys = await details.locator('[data-testid="span-attributes"] th').allInnerTexts();
  assert.deepEqual(keys, span.attributes.map((a) => a.key));
  assert.equal(await details.locator('[data-testid="span-status"]').innerText(), span.status);
  await demo.screenshot('trace-waterfall.png', { readme: true });
});

test('a 3,000-span trace: rows virtualized, yet the drawn ones are the tree order at any scroll position', async () => {
  await page.goto(`${demo.px.url}/traces/${bigTraceId}?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  await page.locator('[data-testid="waterfall"][data-ready]').waitFor({ timeout: 30_000 });
  const trace = await readTrace(bigTraceId);
  assert.equal(trace.spanCount, BIG);
  const { order } = treeOrder(trace.spans);
  assert.equal(await waterfallRows(), BIG);
  const drawnCount = await page.locator('[data-testid="span-row"]').count();
  assert.ok(drawnCount < 200, `only the rows in view are in the DOM (${drawnCount})`);
  await assertDrawnRows(order, trace, 'top');
  for (const fraction of [0.5, 1]) {
    await page.locator('[data-testid="waterfall-body"]').evaluate((el, f) => {
      el.scrollTop = f * (el.scrollHeight - el.clientHeight);
    }, fraction);
    await page.waitForFunction((f) => {
      const rows = document.querySelectorAll('[data-testid="span-row"]');
      const last = Number(rows[rows.length - 1]?.getAttribute('data-row'));
      return f < 1 ? last > 1000 : last === 2999;
    }, fraction);
    await assertDrawnRows(order, trace, `scrolled to ${fraction * 100}%`);
  }
});
