// Trace search (issue 6) on a real Plexus: ~60 planned traces sent over
// OTLP/HTTP (test/trace-search-landscape.ts); every filter alone and combined
// returns exactly the traces whose one span matches them all, in both orders,
// page after page; summaries, trace(id) and the latency heatmap agree with
// what was sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '@plexus/store';
import { startTestPlexus, postOtlpJson, type TestPlexus } from './harness.ts';
import { planLandscape, otlpBody, expectedIds, summaryOf, type Filter, type PlanTrace } from './trace-search-landscape.ts';

let px: TestPlexus;
// Whole 5-minute steps, half an hour ago, so the heatmap's cells line up with the window.
const base = Math.floor((Date.now() - 40 * 60_000) / 300_000) * 300_000;
const traces: PlanTrace[] = planLandscape(base + 1_000);
const win = { from: new Date(base).toISOString(), to: new Date(base + 30 * 60_000).toISOString() };
const [fromMs, toMs] = [Date.parse(win.from), Date.parse(win.to)];

before(async () => {
  px = await startTestPlexus();
  const spans = traces.flatMap((t) => t.spans);
  for (const post of [0, 1]) {
    const r = await postOtlpJson(px.otlpUrl, otlpBody(spans.filter((s) => s.post === post)));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    // The second post must be a separate insert, so trace 0 gets two summary rows.
    await px.recompute();
  }
});
after(async () => {
  await px?.close();
});

const SEARCH = `query($from: DateTime!, $to: DateTime!, $service: String, $operation: String, $spanKind: String, $minDurationMs: Float,
  $maxDurationMs: Float, $status: SpanStatus, $attributes: [AttributeFilter!], $orderBy: TraceOrder, $first: Int, $after: String) {
  traces(from: $from, to: $to, service: $service, operation: $operation, spanKind: $spanKind, minDurationMs: $minDurationMs,
    maxDurationMs: $maxDurationMs, status: $status, attributes: $attributes, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    edges { cursor node { traceId rootService rootOperation rootMissing startTime durationMs spanCount errorCount services } }
    pageInfo { hasNextPage endCursor } } }`;

interface Page {
  totalCount: number;
  edges: Array<{ cursor: string; node: ReturnType<typeof summaryOf> }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

async function search(vars: Filter & { orderBy?: string; first?: number; after?: string; from?: string; to?: string }): Promise<Page> {
  return (await px.gql(SEARCH, { ...win, first: 100, ...vars })).traces;
}

/**
 * Asserts a search returns exactly the planned traces, in order, with their exact count.
 * The plan must give the search something to find, unless `empty` says finding nothing is the point.
 */
async function assertSearch(f: Filter, label: string, window = win, empty = false): Promise<string[]> {
  const want = expectedIds(traces, Date.parse(window.from), Date.parse(window.to), f);
  assert.equal(want.length === 0, empty, `${label}: the plan has ${want.length} matching traces`);
  const got = await search({ ...f, ...window });
  assert.equal(got.totalCount, want.length, `${label}: totalCount`);
  assert.deepEqual(got.edges.map((e) => e.node.traceId), want, label);
  return want;
}

const byId = new Map(traces.map((t) => [t.id, t]));

test('each filter alone returns exactly the traces with a matching span in the window', async () => {
  const all = await assertSearch({}, 'no filter');
  assert.equal(all.length, 61, 'the 60 planned traces and the orphan; the old trace is outside');
  assert.equal((await assertSearch({ service: 'payments' }, 'service')).length, 41);
  await assertSearch({ operation: 'POST /orders' }, 'operation');
  await assertSearch({ spanKind: 'CONSUMER' }, 'spanKind CONSUMER');
  assert.equal((await assertSearch({ spanKind: 'INTERNAL' }, 'spanKind INTERNAL')).length, 20);
  await assertSearch({ minDurationMs: 300 }, 'minDurationMs');
  await assertSearch({ maxDurationMs: 3 }, 'maxDurationMs');
  // The orphan's payments span lasts exactly 10 ms: bounds are [min, max).
  assert.ok((await assertSearch({ minDurationMs: 10, maxDurationMs: 10.5 }, 'a range starting exactly at a duration')).includes('deadbeef000000000000000000000001'));
  assert.ok(!(await assertSearch({ service: 'payments', maxDurationMs: 10 }, 'a range ending exactly at a duration')).includes('deadbeef000000000000000000000001'));
  for (const status of ['ERROR', 'OK', 'UNSET'] as const) await assertSearch({ status }, `status ${status}`);
  assert.equal((await assertSearch({ attributes: [{ key: 'customer.tier', value: 'gold' }] }, 'span attribute')).length, 31);
  assert.equal((await assertSearch({ attributes: [{ key: 'region', value: 'eu' }] }, 'resource attribute')).length, 6);
  await assertSearch({ attributes: [{ key: 'service.name', value: 'frontend' }] }, 'service.name as a resource attribute');
  await assertSearch({ service: 'nobody' }, 'an unknown service', win, true);
});

test('combined filters apply to one span: matches on different spans of a trace do not count', async () => {
  await assertSearch({ service: 'payments', status: 'ERROR' }, 'service + status');
  await assertSearch({ service: 'payments', spanKind: 'SERVER', minDurationMs: 100, maxDurationMs: 500 }, 'service + kind + duration range');
  await assertSearch({ service: 'orders', operation: 'POST /orders', attributes: [{ key: 'customer.tier', value: 'gold' }] }, 'service + operation + attribute');
  await assertSearch({ attributes: [{ key: 'customer.tier', value: 'gold' }, { key: 'db.system', value: 'postgresql' }] }, 'two attributes on one span');
  // Every checkout trace with a gold tier has a frontend span and a gold orders span, but no frontend span is gold.
  const gold = expectedIds(traces, fromMs, toMs, { attributes: [{ key: 'customer.tier', value: 'gold' }] });
  assert.ok(gold.some((id) => byId.get(id)!.spans.some((s) => s.service === 'frontend')));
  assert.deepEqual(await assertSearch({ service: 'frontend', attributes: [{ key: 'customer.tier', value: 'gold' }] }, 'frontend + gold', win, true), []);
  // Trace 3's frontend root failed; its payments span did not.
  const t3 = traces[3]!;
  assert.deepEqual(t3.spans.filter((s) => s.status === 'ERROR').map((s) => s.service), ['frontend']);
  assert.ok(!(await assertSearch({ service: 'payments', status: 'ERROR' }, 'payments errors')).includes(t3.id));
  // Region eu is on payments' resource, never on an orders span.
  assert.deepEqual(await assertSearch({ service: 'orders', attributes: [{ key: 'region', value: 'eu' }] }, 'orders + eu', win, true), []);
});

test('a narrower window keeps the traces with a span starting inside it, also one that started before it', async () => {
  // From 1 ms after trace 29's root starts (its other spans start later) to trace 45's start.
  const cut = { from: new Date(traces[29]!.spans[0]!.startMs + 1).toISOString(), to: new Date(traces[45]!.spans[0]!.startMs).toISOString() };
  const ids = await assertSearch({}, 'window cut at trace 30', cut);
  assert.ok(ids.includes(traces[29]!.id) && !ids.includes(traces[45]!.id) && !ids.includes(traces[28]!.id), ids.join(' '));
  await assertSearch({ service: 'payments' }, 'payments in the cut window', cut);
});

test('summaries are exact: root (or the earliest span when it is missing), span and error counts, services, duration', async () => {
  const page = await search({});
  assert.equal(page.edges.length, 61);
  for (const e of page.edges) assert.deepEqual(e.node, summaryOf(byId.get(e.node.traceId)!), e.node.traceId);
  const orphan = page.edges.find((e) => e.node.rootMissing)!.node;
  assert.deepEqual([orphan.traceId, orphan.rootService, orphan.rootOperation], ['deadbeef000000000000000000000001', 'orders', 'POST /orders']);
  // Trace 0 came in two posts: one trace, all five spans.
  const split = page.edges.find((e) => e.node.traceId === traces[0]!.id)!.node;
  assert.deepEqual([split.spanCount, split.services], [5, ['frontend', 'orders', 'payments']]);
  const rows = await px.store.query<{ n: string }>(sql`SELECT count() AS n FROM trace_summaries WHERE TraceId = ${traces[0]!.id}`);
  assert.equal(rows[0]!.n, '2', 'two summary rows, grouped into one trace');
});

test('orderBy NEWEST and DURATION, and paging by 7 gives every trace once, in order', async () => {
  const durations = traces.slice(0, 61).map((t) => summaryOf(t).durationMs);
  assert.equal(new Set(durations).size, durations.length, 'the plan has no duration ties');
  for (const orderBy of ['NEWEST', 'DURATION'] as const) {
    const want = expectedIds(traces, fromMs, toMs, {}, orderBy);
    const got: string[] = [];
    let after: string | undefined;
    for (let pages = 0; ; pages++) {
      assert.ok(pages < 20, 'paging ends');
      const page = await search({ orderBy, first: 7, ...(after ? { after } : {}) });
      assert.equal(page.totalCount, 61);
      assert.ok(page.edges.length <= 7);
      got.push(...page.edges.map((e) => e.node.traceId));
      assert.equal(page.pageInfo.endCursor, page.edges.at(-1)?.cursor ?? null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    assert.deepEqual(got, want, orderBy);
  }
  // A filtered search pages the same way.
  const want = expectedIds(traces, fromMs, toMs, { service: 'payments' }, 'DURATION');
  const first = await search({ service: 'payments', orderBy: 'DURATION', first: 7 });
  const second = await search({ service: 'payments', orderBy: 'DURATION', first: 7, after: first.pageInfo.endCursor! });
  assert.deepEqual([...first.edges, ...second.edges].map((e) => e.node.traceId), want.slice(0, 14));
});

test('trace(id) returns exactly the spans sent, from both posts', async () => {
  for (const t of [traces[0]!, byId.get('deadbeef000000000000000000000001')!]) {
    const d = await px.gql(`query($id: ID!) { trace(id: $id) { spanCount spans { spanId parentSpanId missingParent service name kind durationMs status attributes { key value } } } }`, { id: t.id });
    const want = [...t.spans].sort((a, b) => a.startMs - b.startMs).map((s) => ({
      spanId: s.spanId, parentSpanId: s.parentSpanId, missingParent: s.parentSpanId !== '' && !t.spans.some((p) => p.spanId === s.parentSpanId),
      service: s.service, name: s.name, kind: s.kind, durationMs: s.durationMs, status: s.status,
      attributes: Object.entries(s.attributes).map(([key, value]) => ({ key, value })).sort((a, b) => a.key.localeCompare(b.key)),
    }));
    assert.deepEqual(d.trace.spans, want, t.id);
    assert.equal(d.trace.spanCount, t.spans.length);
    // Without attributes, events or links asked for (the waterfall's first request), the same tree.
    const tree = await px.gql(`query($id: ID!) { trace(id: $id) { spans { spanId parentSpanId missingParent service name kind durationMs status } } }`, { id: t.id });
    assert.deepEqual(tree.trace.spans, want.map(({ attributes: _, ...rest }) => rest));
  }
});

test('every heatmap cell counts what a search of its region (SERVER spans, [lo, hi), its step) finds', async () => {
  const d = await px.gql(`query($from: DateTime!, $to: DateTime!) { service(name: "payments", from: $from, to: $to) {
    latencyHeatmap(step: 300, buckets: 12) { step bounds cells { time bucket count } } } }`, win);
  const h = d.service.latencyHeatmap;
  assert.equal(h.step, 300);
  const pays = traces.flatMap((t) => t.spans).filter((s) => s.service === 'payments' && s.startMs >= fromMs && s.startMs < toMs);
  const [min, max] = [Math.min(...pays.map((s) => s.durationMs)), Math.max(...pays.map((s) => s.durationMs))];
  assert.ok(h.bounds.length <= 12 && h.bounds.length >= 6, `log-spaced over three decades: ${h.bounds}`);
  assert.ok(h.bounds[0] <= min && h.bounds.at(-1) <= max && h.bounds.every((b: number, i: number) => i === 0 || b > h.bounds[i - 1]), `${h.bounds} for ${min}..${max}`);
  assert.equal(h.cells.reduce((n: number, c: { count: number }) => n + c.count, 0), pays.length, 'every payments span is in a cell');
  for (const c of h.cells as Array<{ time: string; bucket: number; count: number }>) {
    const lo = h.bounds[c.bucket];
    const hi = h.bounds[c.bucket + 1];
    const t = Date.parse(c.time);
    const region = { from: new Date(t).toISOString(), to: new Date(t + 300_000).toISOString(), service: 'payments', spanKind: 'SERVER' as const, minDurationMs: lo, ...(hi === undefined ? {} : { maxDurationMs: hi }) };
    const found = await search(region);
    assert.equal(found.totalCount, c.count, `cell ${c.time} [${lo}, ${hi ?? '∞'})`);
    // And the plan agrees with both.
    assert.equal(pays.filter((s) => s.startMs >= t && s.startMs < t + 300_000 && s.durationMs >= lo && (hi === undefined || s.durationMs < hi)).length, c.count);
  }
});

test('bad arguments are refused with BAD_USER_INPUT and say why', async () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ first: 101 }, /first must be between 0 and 100/],
    [{ spanKind: 'SERVERISH' }, /spanKind must be one of/],
    [{ minDurationMs: 10, maxDurationMs: 5 }, /minDurationMs \(10\) must not be more than maxDurationMs \(5\)/],
    [{ minDurationMs: -1 }, /minDurationMs must be a duration/],
    [{ after: 'bm90IGEgY3Vyc29y' }, /"after" is not a cursor/],
    [{ from: win.to, to: win.from }, /must be after/],
  ];
  for (const [vars, why] of cases) {
    const r = await px.gqlRaw(SEARCH, { ...win, ...vars });
    assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(vars));
    assert.match(r.errors![0]!.message, why);
  }
  const newest = await search({ first: 1 });
  const r = await px.gqlRaw(SEARCH, { ...win, orderBy: 'DURATION', after: newest.pageInfo.endCursor });
  assert.match(r.errors?.[0]?.message ?? '', /ordered by NEWEST, not DURATION/);
  const heat = await px.gqlRaw(`query($from: DateTime!, $to: DateTime!) { service(name: "payments", from: $from, to: $to) { latencyHeatmap(buckets: 61) { step } } }`, win);
  assert.equal(heat.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
});
