import type { ApiContext } from '../context.ts';
import { parseWindow, userError, type TimeWindow } from '../analytics/window.ts';
import type { TraceView } from '../analytics/trace.ts';
import { traceCriticalPath } from '../analytics/critical-path.ts';
import { depthSummary, pathBreakdown } from '../analytics/path-breakdown.ts';
import { factTree, sampleEntrySpans } from '../analytics/entry-sample.ts';
import { diffGraphs } from '../analytics/graph-diff.ts';
import { buildGraph, nodeId } from '../analytics/graph.ts';
import { entityNames, readEntryPoints, upstreamOf } from '../analytics/impact.ts';
import { serviceExists } from '../analytics/red.ts';
import { windowGraph } from './graph.ts';
import { catalogOfNodes, edgesOf, indexOf } from './shared-reads.ts';

/** What ServiceStats resolvers receive (see services.ts). */
interface ServiceParent {
  name: string;
  window: TimeWindow;
}

const NS_PER_MS = 1e6;

/** The critical path of a trace read by readTrace, as segments in ms after the trace start. */
function criticalPathOf(trace: TraceView): Array<{ spanId: string; startMs: number; durationMs: number }> {
  if (trace.spans.length === 0) return [];
  const tree = factTree(trace.spans.map((s) => ({ ...s, ns: s.startTimeUnixNano, ms: s.durationMs })));
  const path = traceCriticalPath(tree);
  return (path?.segments ?? []).map((seg) => ({ spanId: tree.spans[seg.span]!.spanId, startMs: seg.start / NS_PER_MS, durationMs: (seg.end - seg.start) / NS_PER_MS }));
}

export const investigateResolvers = {
  Query: {
    async criticalPath(_: unknown, args: { service: string; operation: string; from: string; to: string }, ctx: ApiContext) {
      const w = parseWindow(args.from, args.to, ctx.retentionDays);
      const [op] = await sampleEntrySpans(ctx.store, w, args.service, args.operation);
      const breakdown = pathBreakdown(op?.samples ?? []);
      return { service: args.service, operation: args.operation, totalSpans: op?.total ?? 0, ...breakdown };
    },
    async graphDiff(_: unknown, args: { before: { from: string; to: string }; after: { from: string; to: string } }, ctx: ApiContext) {
      const before = parseWindow(args.before.from, args.before.to, ctx.retentionDays);
      const after = parseWindow(args.after.from, args.after.to, ctx.retentionDays);
      const [b, a] = await Promise.all([windowGraph(ctx, before), windowGraph(ctx, after)]);
      return diffGraphs(b, a);
    },
    async impact(_: unknown, args: { service: string; from: string; to: string }, ctx: ApiContext) {
      const w = parseWindow(args.from, args.to, ctx.retentionDays);
      const [edges, catalog, index, entryPoints] = await Promise.all([edgesOf(ctx, w), catalogOfNodes(ctx), indexOf(ctx), readEntryPoints(ctx.store, w, args.service)]);
      // Folded as on the map (a peer.service naming a real service is that service); topic hops are async and left out.
      const calls = buildGraph(edges, new Map()).edges
        .filter((e) => e.sourceKind === 'SERVICE' && e.targetKind === 'SERVICE')
        .map((e) => ({ caller: e.sourceName, callee: e.targetName, calls: e.calls }));
      const seen = calls.some((c) => c.caller === args.service || c.callee === args.service) || entryPoints.length > 0;
      if (!seen && !(await serviceExists(ctx.store, args.service))) throw userError(`no service named ${JSON.stringify(args.service)} has been seen by any source`, 'NOT_FOUND');
      const ownerOf = (service: string) => catalog.get(nodeId('SERVICE', service))?.owner ?? null;
      const upstream = upstreamOf(calls, args.service);
      // The failing service first, then its callers nearest first.
      const impacted = [args.service, ...upstream.map((u) => u.service)];
      const provided = impacted.flatMap((service) => (index.providedBy.get(service) ?? []).map((ref) => ({ ref, service })));
      const unique = provided.filter((p, i) => provided.findIndex((q) => q.ref === p.ref) === i);
      const names = await entityNames(ctx.store, unique.map((p) => p.ref));
      const rank = new Map(impacted.map((s, i) => [s, i]));
      const apis = unique
        .map((p) => ({ ref: p.ref, service: p.service, name: names.get(p.ref)?.name ?? p.ref.slice(p.ref.lastIndexOf('/') + 1), owner: names.get(p.ref)?.owner ?? null }))
        .sort((a, b) => rank.get(a.service)! - rank.get(b.service)! || a.ref.localeCompare(b.ref));
      const teams = new Map<string, string[]>();
      for (const service of impacted) {
        const owner = ownerOf(service);
        if (owner) teams.set(owner, [...(teams.get(owner) ?? []), service]);
      }
      return {
        service: args.service,
        upstream: upstream.map((u) => ({ ...u, owner: ownerOf(u.service) })),
        entryPoints,
        apis,
        teams: [...teams].map(([ref, services]) => ({ ref, services })).sort((a, b) => b.services.length - a.services.length || a.ref.localeCompare(b.ref)),
      };
    },
  },
  Trace: {
    criticalPath: (trace: TraceView) => criticalPathOf(trace),
  },
  ServiceStats: {
    async callDepths(parent: ServiceParent, _: unknown, ctx: ApiContext) {
      const ops = await sampleEntrySpans(ctx.store, parent.window, parent.name);
      return ops
        .sort((a, b) => b.total - a.total || a.operation.localeCompare(b.operation))
        .map((o) => ({ operation: o.operation, kind: o.kind, sampledSpans: o.samples.length, entryPoint: o.entryPoint, callDepth: depthSummary(o.samples) }));
    },
  },
};
