// Query-phase specs for the latency investigation (issue 6): trace search over
// the generated day in several variants, a 10,000-span trace, graphDiff, and
// (without targets) criticalPath and impact.
// Each repetition moves the window's start back by a second: the day's data
// all lies after it, so the answer is the same, but ClickHouse's query
// condition cache (which remembers granules a filter skipped) cannot serve a
// repetition from the one before, as it could not serve a user's next search.
import type { QuerySpec } from './query-latency.ts';
import type { GeneratedSpans } from './generate-spans.ts';
import { expectedGraph } from './landscape.ts';
import { SLOW_PAYMENTS, CHECKOUT_42, type TraceSearchTruth } from './trace-search-truth.ts';

const TRACES = `query($from: DateTime!, $to: DateTime!, $service: String, $operation: String, $minDurationMs: Float, $status: SpanStatus,
  $attributes: [AttributeFilter!], $orderBy: TraceOrder) {
  traces(from: $from, to: $to, service: $service, operation: $operation, minDurationMs: $minDurationMs, status: $status,
    attributes: $attributes, orderBy: $orderBy, first: 20) {
    totalCount
    edges { cursor node { traceId rootService rootOperation rootMissing startTime durationMs spanCount errorCount services } }
    pageInfo { hasNextPage endCursor } } }`;
// The waterfall's first request (ui/src/lib/traces-api.ts TRACE_QUERY): attributes, events and links follow in a second one.
const WATERFALL = `query($id: ID!) { trace(id: $id) { id startTime durationMs spanCount errorCount services
  spans { spanId parentSpanId missingParent name service kind startTimeUnixNano durationMs status statusMessage }
  criticalPath { spanId startMs durationMs } } }`;
const GRAPH_DIFF = `query($bf: DateTime!, $bt: DateTime!, $af: DateTime!, $at: DateTime!) {
  graphDiff(before: { from: $bf, to: $bt }, after: { from: $af, to: $at }) {
    added { nodes { id } edges { id } } removed { nodes { id } edges { id } } changed { id change } } }`;

const HEATMAP = `query($name: String!, $from: DateTime!, $to: DateTime!) { service(name: $name, from: $from, to: $to) {
  requests latencyHeatmap { step bounds cells { time bucket count } } } }`;

const CRITICAL_PATH = `query($from: DateTime!, $to: DateTime!) { criticalPath(service: "api-gateway", operation: "POST /api/orders", from: $from, to: $to) {
  sampledSpans totalSpans p95DurationMs contributors { service operation share p95SelfMs } callDepth { max deepestChain } } }`;
const IMPACT = `query($from: DateTime!, $to: DateTime!) { impact(service: "payments", from: $from, to: $to) {
  upstream { service depth calls } entryPoints { service operation share } } }`;

const HOUR_MS = 3_600_000;

/** Services that reach `target` over the expected graph's service-to-service edges, with their fewest hops. */
function expectedUpstream(edges: ReadonlySet<string>, target: string): Map<string, number> {
  const calls = [...edges].map((e) => e.split('->')).filter(([a, b]) => a!.startsWith('service:') && b!.startsWith('service:'))
    .map(([a, b]) => [a!.slice(8), b!.slice(8)] as const);
  const depth = new Map<string, number>();
  let frontier = [target];
  for (let d = 1; frontier.length > 0; d++) {
    const next = calls.filter(([a, b]) => frontier.includes(b) && a !== target && !depth.has(a)).map(([a]) => a);
    for (const a of next) depth.set(a, d);
    frontier = [...new Set(next)];
  }
  return depth;
}

interface Node {
  traceId: string;
  startTime: string;
  durationMs: number;
  errorCount: number;
  services: string[];
}

/** Problems with a page of 20: its count, its order, and what every listed trace must have. */
function checkPage(d: any, total: number, order: 'NEWEST' | 'DURATION', each?: (n: Node) => string): string {
  const t = d.traces;
  if (t.totalCount !== total) return `totalCount ${t.totalCount}, expected ${total}`;
  const nodes = t.edges.map((e: { node: Node }) => e.node) as Node[];
  if (nodes.length !== Math.min(20, total)) return `${nodes.length} traces on the page`;
  const key = (n: Node) => (order === 'NEWEST' ? Date.parse(n.startTime) : n.durationMs);
  const unordered = nodes.findIndex((n, i) => i > 0 && key(n) > key(nodes[i - 1]!));
  if (unordered >= 0) return `trace ${unordered} is out of ${order} order`;
  const bad = each && nodes.map(each).find((p) => p !== '');
  return bad ?? '';
}

/** The specs; `big` is the 10,000-span trace added to the day. */
export function traceSearchSpecs(g: GeneratedSpans, truth: TraceSearchTruth, big: { id: string; spans: number }): QuerySpec[] {
  // The whole generated day (its last spans end a little after toMs).
  const day = (i: number) => ({ from: new Date(g.fromMs - (i + 1) * 1000).toISOString(), to: new Date(g.toMs + 120_000).toISOString() });
  const search = (name: string, vars: Record<string, unknown>, total: number, order: 'NEWEST' | 'DURATION', each?: (n: Node) => string): QuerySpec => ({
    name: `traces (24 h) ${name}`, target: 500, query: TRACES, variables: (i) => ({ ...day(i), orderBy: order, ...vars }),
    check: (d) => checkPage(d, total, order, each),
  });
  const expected = expectedGraph();
  return [
    search('no filter', {}, truth.all, 'NEWEST'),
    search('no filter, longest first', {}, truth.all, 'DURATION'),
    search('service=payments', { service: 'payments' }, truth.payments, 'NEWEST', (n) => (n.services.includes('payments') ? '' : `${n.traceId} has no payments span`)),
    search('service=api-gateway (every trace)', { service: 'api-gateway' }, truth.gateway, 'NEWEST'),
    search(`service+operation+minDurationMs=${SLOW_PAYMENTS.minDurationMs}`, SLOW_PAYMENTS, truth.slowPayments, 'DURATION', (n) => (n.durationMs >= SLOW_PAYMENTS.minDurationMs ? '' : `${n.traceId} lasts ${n.durationMs} ms`)),
    search('status=ERROR', { status: 'ERROR' }, truth.errors, 'NEWEST', (n) => (n.errorCount > 0 ? '' : `${n.traceId} has no error`)),
    search(`attribute ${CHECKOUT_42.key}=${CHECKOUT_42.value}`, { attributes: [CHECKOUT_42] }, truth.checkout42, 'NEWEST', (n) => (n.services.includes('checkout') ? '' : `${n.traceId} has no checkout span`)),
    {
      // Every entry span is in one cell: the cells add up to the service's requests (its entry spans, over whole minutes).
      name: 'service(name).latencyHeatmap (24 h)', query: HEATMAP, variables: (i) => ({ name: 'payments', ...day(i) }),
      check: (d) => {
        const h = d.service?.latencyHeatmap;
        if (!h) return 'no heatmap';
        const spans = h.cells.reduce((n: number, c: { count: number }) => n + c.count, 0);
        if (spans !== d.service.requests) return `cells hold ${spans} spans, the service has ${d.service.requests} requests`;
        return h.bounds.length >= 6 && h.bounds.length <= 24 ? '' : `${h.bounds.length} bounds`;
      },
    },
    {
      name: `trace(id) ${big.spans.toLocaleString('en-US')} spans`, target: 200, query: WATERFALL, variables: () => ({ id: big.id }),
      check: (d) => {
        const t = d.trace;
        if (!t) return `trace ${big.id} not found`;
        if (t.spanCount !== big.spans || t.spans.length !== big.spans) return `${t.spans.length} spans, expected ${big.spans}`;
        if (t.spans.some((s: { missingParent: boolean }) => s.missingParent)) return 'a span has a missing parent';
        return t.criticalPath.length > 0 ? '' : 'no critical path';
      },
    },
    {
      // Over the day's ~400,000 order traces: the sample is capped at 1,000 entry spans.
      name: 'criticalPath(api-gateway, POST /api/orders) (24 h)', query: CRITICAL_PATH, variables: (i) => day(i),
      check: (d) => {
        const c = d.criticalPath;
        if (c.sampledSpans !== Math.min(1000, c.totalSpans) || c.totalSpans < 1000) return `sampled ${c.sampledSpans} of ${c.totalSpans}`;
        const sum = c.contributors.reduce((n: number, x: { share: number }) => n + x.share, 0);
        return Math.abs(sum - 1) < 1e-6 && c.contributors.length > 1 ? '' : `${c.contributors.length} contributors, shares add up to ${sum}`;
      },
    },
    {
      name: 'impact(payments) (24 h)', query: IMPACT, variables: (i) => day(i),
      check: (d) => {
        const want = expectedUpstream(expected.edges, 'payments');
        const got = new Map<string, number>(d.impact.upstream.map((u: { service: string; depth: number }) => [u.service, u.depth]));
        const wrong = [...want].filter(([s, depth]) => got.get(s) !== depth);
        if (got.size !== want.size || wrong.length > 0) return `upstream ${[...got].map(([s, n]) => `${s}@${n}`).join(', ')}; expected ${[...want].map(([s, n]) => `${s}@${n}`).join(', ')}`;
        return d.impact.entryPoints.length > 0 ? '' : 'no entry points';
      },
    },
    {
      // Two 24 h windows 12 h apart: the earlier holds the first half of the day, so every edge is in both at half the rate.
      name: 'graphDiff (two 24 h windows)', target: 500, query: GRAPH_DIFF,
      variables: (i) => {
        const after = day(i);
        const shift = (iso: string) => new Date(Date.parse(iso) - 12 * HOUR_MS).toISOString();
        return { bf: shift(after.from), bt: shift(after.to), af: after.from, at: after.to };
      },
      check: (d) => {
        const diff = d.graphDiff;
        const moved = [diff.added.nodes, diff.added.edges, diff.removed.nodes, diff.removed.edges].map((l: unknown[]) => l.length);
        if (moved.some((n) => n > 0)) return `added/removed nodes and edges: ${moved.join('/')}, expected none`;
        const ids = new Set<string>(diff.changed.map((c: { id: string }) => c.id));
        const missing = [...expected.edges].filter((e) => !ids.has(e));
        return ids.size === expected.edges.size && missing.length === 0 ? '' : `${ids.size} changed edges, expected ${expected.edges.size} (missing ${missing.slice(0, 3).join(', ') || 'none'})`;
      },
    },
  ];
}
