import { sql, histogramQuantile, type Store } from '@plexus/store';
import { minutesIn } from './window-rows.ts';
import type { TimeWindow } from './window.ts';
import { rate, type Latency } from './latency.ts';
import type { EdgeStats } from './edges.ts';
import type { Red } from './red.ts';

// Calls between services seen by gateways and meshes (source_edges), and the
// one rule that merges them with the traces' edges. Every source sees a subset
// of the same real calls: traces may be sampled, a mesh misses calls outside
// it, a gateway sees only what passes through it. So counts are never added
// across sources. Per edge and window the source that saw the most calls is
// authoritative for calls, errors and latency (ties: traces, then mesh, then
// gateway, the order of detail); `sources` names every source that saw it.

/** Sources in order of precedence when they saw the same number of calls. */
export const SOURCE_PRECEDENCE = ['traces', 'mesh', 'gateway', 'kafka'] as const;

/** One source's histogram: per-bucket counts by upper bound (ms), and every bound of its layout. */
export interface Histogram {
  counts: Map<number, number>;
  bounds: number[];
}

/** Calls per source, caller and callee over a window, with their histogram. */
export interface SourceEdgeRow {
  source: 'gateway' | 'mesh';
  caller: string;
  callee: string;
  calls: string;
  errors: string;
  b: [number[], string[]];
  bounds: number[];
}

const toNumber = (v: number | string): number => (typeof v === 'number' ? v : v === 'inf' ? Infinity : Number(v));

function histogramOf(rows: readonly SourceEdgeRow[]): Histogram {
  const counts = new Map<number, number>();
  const bounds = new Set<number>();
  for (const r of rows) {
    r.b[0].forEach((bound, i) => {
      const b = toNumber(bound);
      counts.set(b, (counts.get(b) ?? 0) + Number(r.b[1][i]));
    });
    for (const b of r.bounds) bounds.add(toNumber(b));
  }
  return { counts, bounds: [...bounds] };
}

/** p50/p95/p99 of a histogram, rounded like the traces' percentiles. */
export function histogramLatency(h: Histogram, calls: number): Latency {
  if (calls === 0) return { p50: null, p95: null, p99: null };
  const q = (p: number) => {
    const v = histogramQuantile(p, h.counts, h.bounds);
    return v === null || !Number.isFinite(v) ? null : Math.round(v * 1000) / 1000;
  };
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99) };
}

/** Reads source_edges over the window, one row per source, caller and callee. */
export async function readSourceEdgeRows(store: Store, w: TimeWindow): Promise<SourceEdgeRow[]> {
  return store.query<SourceEdgeRow>(sql`
    SELECT Source AS source, Caller AS caller, Callee AS callee, sum(Calls) AS calls, sum(Errors) AS errors,
      sumMap(Buckets) AS b, groupUniqArrayArray(Bounds) AS bounds
    FROM source_edges
    WHERE ${minutesIn(sql`Minute`, w)}
    GROUP BY source, caller, callee`);
}

/** Per-source edges between services from gateways and meshes; one row per source, caller and callee. */
export function sourceEdges(rows: readonly SourceEdgeRow[], w: TimeWindow): EdgeStats[] {
  return rows.filter((r) => r.callee !== '' && r.caller !== '').map((r) => {
    const calls = Number(r.calls);
    const errors = Number(r.errors);
    return {
      sourceName: r.caller, sourceKind: 'SERVICE', targetName: r.callee, targetKind: 'SERVICE',
      calls, errors, errorRate: calls > 0 ? errors / calls : 0, callRate: rate(calls, w.seconds),
      latency: histogramLatency(histogramOf([r]), calls), sources: [r.source],
    };
  });
}

/**
 * RED of services as gateways and meshes saw them: a service receives what
 * its inbound edges carry (per caller, the authoritative source's rows); a
 * gateway answers every call it logged, those that never reached an upstream
 * (401, no route) included.
 * Merged with the traces' RED by withSourceRed.
 */
export function sourceRed(rows: readonly SourceEdgeRow[], w: TimeWindow): Map<string, Red> {
  const answered = new Map<string, SourceEdgeRow[]>();
  const byEdge = new Map<string, SourceEdgeRow[]>();
  for (const r of rows) {
    // Everything a gateway logged, forwarded or not, is what it answered.
    if (r.source === 'gateway') add(answered, r.caller, r);
    if (r.callee === '' || r.caller === '') continue;
    const key = `${r.caller}\u0000${r.callee}`;
    add(byEdge, key, r);
  }
  const inbound = new Map<string, SourceEdgeRow[]>();
  for (const candidates of byEdge.values()) {
    const chosen = authoritative(candidates, (r) => Number(r.calls), (r) => r.source);
    add(inbound, chosen.callee, chosen);
  }
  const red = new Map<string, Red>();
  for (const [service, rs] of [...inbound, ...answered]) {
    const requests = rs.reduce((n, r) => n + Number(r.calls), 0);
    // A gateway that is also called through the mesh keeps the larger view.
    if ((red.get(service)?.requests ?? -1) >= requests) continue;
    const errors = rs.reduce((n, r) => n + Number(r.errors), 0);
    red.set(service, { requests, errors, errorRate: requests > 0 ? errors / requests : 0, requestRate: rate(requests, w.seconds), latency: histogramLatency(histogramOf(rs), requests) });
  }
  return red;
}

function add<T>(groups: Map<string, T[]>, key: string, item: T): void {
  const list = groups.get(key);
  if (list) list.push(item);
  else groups.set(key, [item]);
}

/** The candidate with the most calls; ties go to the source earliest in SOURCE_PRECEDENCE. */
export function authoritative<T>(candidates: readonly T[], calls: (c: T) => number, source: (c: T) => string): T {
  const rank = (c: T) => {
    const i = (SOURCE_PRECEDENCE as readonly string[]).indexOf(source(c));
    return i < 0 ? SOURCE_PRECEDENCE.length : i;
  };
  return candidates.reduce((best, c) => (calls(c) > calls(best) || (calls(c) === calls(best) && rank(c) < rank(best)) ? c : best));
}

/**
 * RED per service by the edges' rule: the entry spans' view, unless gateways
 * and meshes saw more requests (sampled traces), in which case theirs.
 */
export function withSourceRed(traces: ReadonlyMap<string, Red>, sources: ReadonlyMap<string, Red>): Map<string, Red> {
  const out = new Map(traces);
  for (const [name, red] of sources) if (red.requests > (out.get(name)?.requests ?? -1)) out.set(name, red);
  return out;
}
