// What breaks if a service fails, on the map (`?impact=<service>`) and on the service page:
// the service and its synchronous callers by depth, and the call edges among them.
// Pure functions: they run under `node --test`.
import type { DependencyGraph } from './api.ts';
import type { Impact, ImpactedEntryPoint } from './investigate-api.ts';
import { nodeIdOf } from './graph-diff.ts';

export interface BlastRadius {
  /** Node id of the failing service. */
  target: string;
  /** Node id -> hops to the failing service (0 for the service itself). */
  depth: Map<string, number>;
  /** Edge ids between services of the blast radius (the calls the failure travels back along). */
  edges: Set<string>;
}

/** The blast radius of `impact` on graph `g`: its upstream services and the service-to-service edges among them. */
export function blastRadius(g: DependencyGraph, impact: Impact): BlastRadius {
  const target = nodeIdOf('SERVICE', impact.service);
  const depth = new Map<string, number>([[target, 0]]);
  for (const u of impact.upstream) {
    const id = nodeIdOf('SERVICE', u.service);
    if (!depth.has(id)) depth.set(id, u.depth);
  }
  const edges = new Set<string>();
  for (const e of g.edges) {
    if (e.sourceKind !== 'SERVICE' || e.targetKind !== 'SERVICE') continue;
    if (depth.has(e.source) && depth.has(e.target)) edges.add(e.id);
  }
  return { target, depth, edges };
}

/** Upstream services per depth, nearest first: the rings of the blast radius. */
export function byDepth(impact: Impact): { depth: number; services: string[] }[] {
  const rings = new Map<number, string[]>();
  for (const u of impact.upstream) rings.set(u.depth, [...(rings.get(u.depth) ?? []), u.service]);
  return [...rings].sort((a, b) => a[0] - b[0]).map(([depth, services]) => ({ depth, services: services.sort() }));
}

/** Entry points ordered for the share bars: largest share first, then most affected traces, then name. */
export function sortEntryPoints(eps: readonly ImpactedEntryPoint[]): ImpactedEntryPoint[] {
  return [...eps].sort(
    (a, b) =>
      b.share - a.share ||
      b.affectedTraces - a.affectedTraces ||
      (a.service + ' ' + a.operation).localeCompare(b.service + ' ' + b.operation),
  );
}

/** The banner text: `blast radius of inventory: 5 upstream services, 3 entry points`. */
export function blastSummary(impact: Impact): string {
  const n = impact.upstream.length;
  const m = impact.entryPoints.length;
  return `blast radius of ${impact.service}: ${n} upstream ${n === 1 ? 'service' : 'services'}, ${m} entry ${m === 1 ? 'point' : 'points'}`;
}
