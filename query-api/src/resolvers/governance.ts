import type { ApiContext } from '../context.ts';
import { parseWindow } from '../analytics/window.ts';
import { buildGraph } from '../analytics/graph.ts';
import { indexOf, edgesOf, redOf } from './shared-reads.ts';
import { observedOperations } from '../analytics/api-usage.ts';
import { governanceFindings } from '../analytics/governance.ts';

export const governanceResolvers = {
  Query: {
    async governance(_: unknown, args: { from: string; to: string }, ctx: ApiContext) {
      const w = parseWindow(args.from, args.to, ctx.retentionDays);
      const [red, edges, observed, catalog] = await Promise.all([
        redOf(ctx, w),
        edgesOf(ctx, w),
        observedOperations(ctx.store, w),
        indexOf(ctx),
      ]);
      const graph = buildGraph(edges, red);
      const findings = governanceFindings({
        services: graph.nodes.filter((n) => n.kind === 'SERVICE' && n.requests > 0).map((n) => n.name),
        operations: observed.flatMap((o) => ('topic' in o || o.route === '' ? [] : [{ service: o.target, method: o.method, route: o.route, calls: o.calls, callers: o.callers }])),
        calls: graph.edges.filter((e) => e.sourceKind === 'SERVICE' && e.targetKind === 'SERVICE').map((e) => ({ caller: e.sourceName, callee: e.targetName, calls: e.calls })),
        ...catalog,
      });
      return { findings };
    },
  },
};
