import type { ApiContext } from '../context.ts';
import { parseWindow, userError, type TimeWindow } from '../analytics/window.ts';
import { buildGraph, type Graph, type GraphEdge } from '../analytics/graph.ts';
import { readKafkaEdges, mergeKafkaEdges } from '../analytics/kafka-edges.ts';
import { catalogOfNodes, edgesOf, redOf } from './shared-reads.ts';

/** The dependency graph of a window from every source (Kafka included), as dependencyGraph shows it; graphDiff compares two of these. */
export async function windowGraph(ctx: ApiContext, w: TimeWindow, focus?: { service: string; depth: number }): Promise<Graph> {
  const [red, edges, catalog] = await Promise.all([redOf(ctx, w), edgesOf(ctx, w), catalogOfNodes(ctx)]);
  // Services Kafka identities may name: those in traffic, and cataloged ones.
  const cataloged = [...catalog.keys()].filter((id) => id.startsWith('service:')).map((id) => id.slice('service:'.length));
  const services = new Set([...red.keys(), ...edges.flatMap((e) => [e.sourceKind === 'SERVICE' ? e.sourceName : '', e.targetKind === 'SERVICE' ? e.targetName : '']), ...cataloged]);
  const kafka = await readKafkaEdges(ctx.store, w, services);
  return buildGraph(mergeKafkaEdges(edges, kafka), red, focus);
}

export const graphResolvers = {
  Query: {
    async dependencyGraph(_: unknown, args: { from: string; to: string; service?: string | null; depth?: number | null }, ctx: ApiContext) {
      const w = parseWindow(args.from, args.to, ctx.retentionDays);
      const depth = args.depth ?? 2;
      if (depth < 0 || depth > 20) throw userError(`depth must be between 0 and 20, got ${depth}`, 'BAD_USER_INPUT');
      return windowGraph(ctx, w, args.service ? { service: args.service, depth } : undefined);
    },
  },
  Edge: {
    messageRate: (e: GraphEdge) => (e.sourceKind === 'TOPIC' || e.targetKind === 'TOPIC' ? e.callRate : null),
    lag: (e: GraphEdge) => e.lag ?? null,
  },
};
