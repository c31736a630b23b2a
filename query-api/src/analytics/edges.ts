import { sql, type Store } from '@plexus/store';
import { rowsInWindow } from './window-rows.ts';
import { mergeLatency, toLatency, rate, type Latency } from './latency.ts';
import type { TimeWindow } from './window.ts';

export type NodeKind = 'SERVICE' | 'EXTERNAL' | 'DATABASE' | 'TOPIC';

/** One aggregated edge over a window. */
export interface EdgeStats {
  sourceName: string;
  sourceKind: NodeKind;
  targetName: string;
  targetKind: NodeKind;
  calls: number;
  errors: number;
  errorRate: number;
  callRate: number;
  latency: Latency;
  sources: string[];
}

/** Every edge seen in the window, from the per-minute recomputed rows. */
export async function readEdges(store: Store, w: TimeWindow): Promise<EdgeStats[]> {
  const rows = await store.query<{ s: string; sk: NodeKind; t: string; tk: NodeKind; calls: string; errors: string; q: number[] }>(sql`
    SELECT Source AS s, SourceKind AS sk, Target AS t, TargetKind AS tk, sum(Count) AS calls, sum(Errors) AS errors, ${mergeLatency} AS q
    FROM (${rowsInWindow('edges', w)})
    GROUP BY Source, SourceKind, Target, TargetKind
    ORDER BY s, t`);
  return rows.map((r) => {
    const calls = Number(r.calls);
    const errors = Number(r.errors);
    return {
      sourceName: r.s, sourceKind: r.sk, targetName: r.t, targetKind: r.tk,
      calls, errors, errorRate: calls > 0 ? errors / calls : 0, callRate: rate(calls, w.seconds),
      latency: toLatency(r.q, calls), sources: ['traces'],
    };
  });
}
