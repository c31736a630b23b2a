import type { ApiContext } from '../context.ts';
import { parseWindow, userError } from '../analytics/window.ts';
import { readServiceRed } from '../analytics/red.ts';
import { readEdges } from '../analytics/edges.ts';
import { buildGraph } from '../analytics/graph.ts';

export const graphResolvers = {
  Query: {
    async dependencyGraph(_: unknown, args: { from: string; to: string; service?: string | null; depth?: number | null }, ctx: ApiContext) {
      const w = parseWindow(args.from, args.to, ctx.retentionDays);
      const depth = args.depth ?? 2;
      if (depth < 0 || depth > 20) throw userError(`depth must be between 0 and 20, got ${depth}`, 'BAD_USER_INPUT');
      const [red, edges] = await Promise.all([readServiceRed(ctx.store, w), readEdges(ctx.store, w)]);
      return buildGraph(edges, red, args.service ? { service: args.service, depth } : undefined);
    },
  },
};
