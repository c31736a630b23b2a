import type { ApiContext } from '../context.ts';
import { parseWindow, type TimeWindow } from '../analytics/window.ts';
import { parseTraceSearch, searchTraces, type TraceSearchArgs } from '../analytics/trace-search.ts';
import { readLatencyHeatmap } from '../analytics/latency-heatmap.ts';

/** The ServiceStats fields this file reads from its parent. */
interface ServiceParent {
  name: string;
  window: TimeWindow;
}

export const traceSearchResolvers = {
  Query: {
    async traces(_: unknown, args: TraceSearchArgs & { from: string; to: string }, ctx: ApiContext) {
      const search = parseTraceSearch(args, parseWindow(args.from, args.to, ctx.retentionDays));
      const page = await searchTraces(ctx.store, search);
      const last = page.traces[page.traces.length - 1];
      return {
        totalCount: page.totalCount,
        edges: page.traces.map((t) => ({ cursor: t.cursor, node: t.summary })),
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: last?.cursor ?? null },
      };
    },
  },
  ServiceStats: {
    latencyHeatmap: (parent: ServiceParent, args: { step?: number | null; buckets?: number | null }, ctx: ApiContext) =>
      readLatencyHeatmap(ctx.store, parent.window, parent.name, args.step, args.buckets),
  },
};
