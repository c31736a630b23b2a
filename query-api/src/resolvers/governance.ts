import { sql } from '@plexus/store';
import type { ApiContext } from '../context.ts';
import { parseWindow, windowKey } from '../analytics/window.ts';
import { readServiceRed } from '../analytics/red.ts';
import { readEdges } from '../analytics/edges.ts';
import { buildGraph } from '../analytics/graph.ts';
import { rowsInWindow } from '../analytics/window-rows.ts';
import { catalogForGovernance } from '../analytics/catalog.ts';
import { governanceFindings, httpOperation } from '../analytics/governance.ts';

export const governanceResolvers = {
  Query: {
    async governance(_: unknown, args: { from: string; to: string }, ctx: ApiContext) {
      const w = parseWindow(args.from, args.to, ctx.retentionDays);
      const [red, edges, ops, catalog] = await Promise.all([
        readServiceRed(ctx.store, w),
        ctx.once(`edges:${windowKey(w)}`, () => readEdges(ctx.store, w)),
        ctx.store.query<{ service: string; name: string; calls: string }>(sql`
          SELECT ServiceName AS service, SpanName AS name, sum(Count) AS calls FROM (${rowsInWindow('red', w)})
          WHERE SpanKind = 'SERVER' GROUP BY service, name`),
        catalogForGovernance(ctx.store),
      ]);
      const graph = buildGraph(edges, red);
      const findings = governanceFindings({
        services: graph.nodes.filter((n) => n.kind === 'SERVICE' && n.requests > 0).map((n) => n.name),
        operations: ops.flatMap((o) => {
          const http = httpOperation(o.name);
          return http ? [{ service: o.service, ...http, calls: Number(o.calls) }] : [];
        }),
        calls: graph.edges.filter((e) => e.sourceKind === 'SERVICE' && e.targetKind === 'SERVICE').map((e) => ({ caller: e.sourceName, callee: e.targetName, calls: e.calls })),
        ...catalog,
      });
      return { findings };
    },
  },
};
