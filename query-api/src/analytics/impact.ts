import { sql, param, timestampBetween, type Store } from '@plexus/store';
import { currentRows } from '@plexus/catalog';
import { syncChildren, type DepthSpan } from './call-depth.ts';
import type { SpanTree } from './critical-path.ts';
import { epochSeconds, factTree, groupByTrace, FACT_COLUMNS, SAMPLE_LIMIT, SKEW_MS, type FactRow } from './entry-sample.ts';
import { summaryRange } from './trace-search.ts';
import type { TimeWindow } from './window.ts';

/** A service that reaches the failing one through synchronous calls. */
export interface Upstream {
  service: string;
  /** Fewest hops from it to the failing service. */
  depth: number;
  /** Its calls to services one hop nearer (the failing service itself at depth 1). */
  calls: number;
}

/** One service-to-service call edge, by name. */
export interface ServiceCall {
  caller: string;
  callee: string;
  calls: number;
}

/**
 * Every service that reaches `service` over the given call edges, by reverse
 * breadth-first search: depth is the fewest hops. Nearest first, then busiest,
 * then by name. The caller passes only synchronous (service-to-service) edges.
 */
export function upstreamOf(edges: readonly ServiceCall[], service: string): Upstream[] {
  const callersOf = new Map<string, ServiceCall[]>();
  for (const e of edges) {
    if (e.caller === e.callee) continue;
    const list = callersOf.get(e.callee);
    if (list) list.push(e);
    else callersOf.set(e.callee, [e]);
  }
  const seen = new Set<string>([service]);
  const out: Upstream[] = [];
  let frontier = new Set<string>([service]);
  for (let depth = 1; frontier.size > 0; depth++) {
    const level = new Map<string, number>();
    for (const callee of frontier) {
      for (const e of callersOf.get(callee) ?? []) {
        if (!seen.has(e.caller)) level.set(e.caller, (level.get(e.caller) ?? 0) + e.calls);
      }
    }
    for (const s of level.keys()) seen.add(s);
    out.push(...[...level].map(([s, calls]) => ({ service: s, depth, calls })).sort((a, b) => b.calls - a.calls || a.service.localeCompare(b.service)));
    frontier = new Set(level.keys());
  }
  return out;
}

/** A trace root whose traffic may pass through the service. */
export interface EntryPointImpact {
  service: string;
  operation: string;
  traces: number;
  affectedTraces: number;
  share: number;
}

/**
 * Trace roots in the window per (service, operation), and how many of those
 * traces reach `service` synchronously (a span of it on a chain from the root
 * with no CONSUMER span and no PRODUCER parent). Roots are counted from the
 * span facts; the traces the service is in from trace_summaries (one row per
 * trace, not its spans): exact for traces without a message hop
 * (HasAsync), where every span is reached synchronously; traces with one are
 * walked over a sample of at most SAMPLE_LIMIT per entry point (by trace-id
 * hash) and scaled. A trace belongs to the window its start falls in. Only
 * entry points with affected traces, most affected first.
 */
export async function readEntryPoints(store: Store, w: TimeWindow, service: string): Promise<EntryPointImpact[]> {
  const fromMs = w.from.getTime();
  const toMs = w.to.getTime();
  const summaries = summaryRange(w);
  // Only the traces the service is in are grouped (their summary rows are few); a trace counts in the window its start falls in.
  const reaching = sql`
    SELECT any(TraceId) AS TraceId, argMinMerge(Root) AS root, max(HasAsync) AS async, toUnixTimestamp64Milli(max(End)) AS endMs
    FROM trace_summaries
    WHERE ${summaries} AND TraceKey IN (SELECT TraceKey FROM trace_summaries WHERE ${summaries} AND has(Services, ${service}))
    GROUP BY TraceKey
    HAVING max(HasRoot) = 1 AND toUnixTimestamp64Milli(min(Start)) >= ${param('Int64', fromMs)} AND toUnixTimestamp64Milli(min(Start)) < ${param('Int64', toMs)}`;
  const [roots, reached] = await Promise.all([
    store.query<{ service: string; operation: string; traces: string }>(sql`
      SELECT ServiceName AS service, SpanName AS operation, count() AS traces FROM otel_span_facts
      WHERE ParentSpanId = '' AND ${timestampBetween(epochSeconds(fromMs), epochSeconds(toMs))}
      GROUP BY service, operation`),
    store.query<{ service: string; operation: string; sync: string; mixed: string; endMs: string }>(sql`
      SELECT root.1 AS service, root.2 AS operation, countIf(NOT async) AS sync, countIf(async) AS mixed, toString(max(endMs)) AS endMs
      FROM (${reaching}) GROUP BY service, operation`),
  ]);
  const byRoot = new Map(reached.map((r) => [`${r.service}\u0000${r.operation}`, r]));
  const counts = roots.map((r) => ({ ...r, sync: '0', mixed: '0', endMs: '0', ...byRoot.get(`${r.service}\u0000${r.operation}`) }));
  const walked = new Map<string, { n: number; affected: number }>();
  if (counts.some((c) => Number(c.mixed) > 0)) {
    // A sampled trace's spans: from a little before the window (clock skew) to the latest trace end.
    const lastEnd = Math.max(...reached.map((c) => Number(c.endMs)));
    const spansOfTraces = timestampBetween(epochSeconds(fromMs - SKEW_MS), epochSeconds(Math.max(toMs, lastEnd) + SKEW_MS));
    const rows = await store.query<FactRow>(sql`
      SELECT ${FACT_COLUMNS} FROM otel_span_facts
      WHERE ${spansOfTraces} AND TraceId IN (SELECT TraceId FROM (
        SELECT TraceId, root FROM (${reaching}) WHERE async
        ORDER BY cityHash64(TraceId), TraceId LIMIT ${param('UInt32', SAMPLE_LIMIT)} BY root))`);
    const fromNs = BigInt(w.from.getTime()) * 1_000_000n;
    const toNs = BigInt(w.to.getTime()) * 1_000_000n;
    for (const trace of groupByTrace(rows)) {
      const tree = factTree(trace);
      const hits = new Map<string, boolean>();
      trace.forEach((r, i) => {
        const ns = BigInt(r.ns);
        if (r.parentSpanId !== '' || ns < fromNs || ns >= toNs) return;
        const key = `${r.service}\u0000${r.name}`;
        hits.set(key, (hits.get(key) ?? false) || reachesSync(tree, i, service));
      });
      for (const [key, hit] of hits) {
        const c = walked.get(key) ?? { n: 0, affected: 0 };
        walked.set(key, { n: c.n + 1, affected: c.affected + (hit ? 1 : 0) });
      }
    }
  }
  return counts
    .map((c) => {
      const traces = Number(c.traces);
      const sample = walked.get(`${c.service}\u0000${c.operation}`);
      const affectedTraces = Number(c.sync) + (sample && sample.n > 0 ? (Number(c.mixed) * sample.affected) / sample.n : 0);
      return { service: c.service, operation: c.operation, traces, affectedTraces, share: traces > 0 ? affectedTraces / traces : 0 };
    })
    .filter((e) => e.affectedTraces > 0)
    .sort((a, b) => b.affectedTraces - a.affectedTraces || a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation));
}

/** Whether a span of `service` is at or below `from` along synchronous links. */
function reachesSync(tree: SpanTree<DepthSpan>, from: number, service: string): boolean {
  const stack = [from];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (tree.spans[i]!.service === service) return true;
    stack.push(...syncChildren(tree, i));
  }
  return false;
}

/** Name and owner of catalog entities by ref. */
export async function entityNames(store: Store, refs: readonly string[]): Promise<Map<string, { name: string; owner: string | null }>> {
  if (refs.length === 0) return new Map();
  const rows = await store.query<{ ref: string; name: string; owner: string }>(sql`
    SELECT Ref AS ref, any(Name) AS name, any(Owner) AS owner FROM (${currentRows('entities')}) WHERE Ref IN ${[...refs]} GROUP BY Ref`);
  return new Map(rows.map((r) => [r.ref, { name: r.name, owner: r.owner || null }]));
}
