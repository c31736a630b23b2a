import type { ApiContext } from '../context.ts';
import { parseWindow, userError, type TimeWindow } from '../analytics/window.ts';
import { readOperations, readSeries, seriesStep, serviceExists, type Red } from '../analytics/red.ts';
import { edgesOf, redOf } from './shared-reads.ts';
import { buildGraph, nodeId } from '../analytics/graph.ts';

/** A ServiceStats parent object: its own RED plus what nested fields need. */
interface ServiceParent extends Red {
  name: string;
  window: TimeWindow;
}

const ZERO: Red = { requests: 0, errors: 0, errorRate: 0, requestRate: 0, latency: { p50: null, p95: null, p99: null } };

/** Services that appear in the window: those with entry spans, and those only seen calling or being called. */
async function serviceParents(ctx: ApiContext, w: TimeWindow): Promise<ServiceParent[]> {
  const [red, edges] = await Promise.all([redOf(ctx, w), edgesOf(ctx, w)]);
  const graph = buildGraph(edges, red);
  return graph.nodes
    .filter((n) => n.kind === 'SERVICE')
    .map((n) => ({ ...(red.get(n.name) ?? ZERO), name: n.name, window: w }))
    .sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name));
}

export const servicesResolvers = {
  Query: {
    services: (_: unknown, args: { from: string; to: string }, ctx: ApiContext) => serviceParents(ctx, parseWindow(args.from, args.to, ctx.retentionDays)),
    async service(_: unknown, args: { name: string; from: string; to: string }, ctx: ApiContext): Promise<ServiceParent | null> {
      const w = parseWindow(args.from, args.to, ctx.retentionDays);
      const red = await redOf(ctx, w);
      const found = red.get(args.name);
      if (found) return { ...found, name: args.name, window: w };
      if (!(await serviceExists(ctx.store, args.name))) throw userError(`no service named ${JSON.stringify(args.name)} has been seen by any source`, 'NOT_FOUND');
      const edges = await edgesOf(ctx, w);
      const seen = edges.some((e) => (e.sourceKind === 'SERVICE' && e.sourceName === args.name) || (e.targetKind === 'SERVICE' && e.targetName === args.name));
      return seen ? { ...ZERO, name: args.name, window: w } : null;
    },
  },
  ServiceStats: {
    series(parent: ServiceParent, args: { step?: number | null }, ctx: ApiContext) {
      return readSeries(ctx.store, parent.window, parent.name, seriesStep(args.step, parent.window));
    },
    operations: (parent: ServiceParent, _: unknown, ctx: ApiContext) => readOperations(ctx.store, parent.window, parent.name),
    async upstream(parent: ServiceParent, _: unknown, ctx: ApiContext) {
      const g = buildGraph(await edgesOf(ctx, parent.window), new Map());
      return g.edges.filter((e) => e.target === nodeId('SERVICE', parent.name));
    },
    async downstream(parent: ServiceParent, _: unknown, ctx: ApiContext) {
      const g = buildGraph(await edgesOf(ctx, parent.window), new Map());
      return g.edges.filter((e) => e.source === nodeId('SERVICE', parent.name));
    },
  },
};
