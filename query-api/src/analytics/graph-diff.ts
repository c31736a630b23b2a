import type { Graph, GraphEdge, GraphNode } from './graph.ts';
import type { NodeKind } from './edges.ts';

export interface EdgeFigures {
  calls: number;
  callRate: number;
  errors: number;
  errorRate: number;
  p95: number | null;
}

export interface DiffEdge {
  id: string;
  source: string;
  target: string;
  sourceKind: NodeKind;
  targetKind: NodeKind;
  figures: EdgeFigures;
}

export interface ChangedEdge extends Omit<DiffEdge, 'figures'> {
  before: EdgeFigures;
  after: EdgeFigures;
  change: number;
}

export interface GraphDiffPart {
  nodes: Array<Pick<GraphNode, 'id' | 'name' | 'kind'>>;
  edges: DiffEdge[];
}

export interface GraphDiff {
  added: GraphDiffPart;
  removed: GraphDiffPart;
  changed: ChangedEdge[];
}

const figures = (e: GraphEdge): EdgeFigures => ({ calls: e.calls, callRate: e.callRate, errors: e.errors, errorRate: e.errorRate, p95: e.latency.p95 });
const named = (e: GraphEdge) => ({ id: e.id, source: e.sourceName, target: e.targetName, sourceKind: e.sourceKind, targetKind: e.targetKind });
const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** |log2(after/before)|, or 0 when either side is missing or zero (no ratio to take). */
function logRatio(before: number | null, after: number | null): number {
  if (before == null || after == null || before <= 0 || after <= 0) return 0;
  return Math.abs(Math.log2(after / before));
}

/**
 * How much an edge moved between two windows: the largest of |log2| of the
 * call-rate and p95 ratios, and 10 x the change in error rate (so +10 points
 * of errors weighs like a doubling). Rates, not totals: windows may differ in length.
 */
export function edgeChange(before: EdgeFigures, after: EdgeFigures): number {
  return Math.max(logRatio(before.callRate, after.callRate), logRatio(before.p95, after.p95), 10 * Math.abs(after.errorRate - before.errorRate));
}

/** Nodes and edges only in one graph, and the edges in both with their move; largest move first, then id. */
export function diffGraphs(before: Graph, after: Graph): GraphDiff {
  const only = <T extends { id: string }>(a: T[], b: T[]) => {
    const ids = new Set(b.map((x) => x.id));
    return a.filter((x) => !ids.has(x.id)).sort(byId);
  };
  const part = (a: Graph, b: Graph): GraphDiffPart => ({
    nodes: only(a.nodes, b.nodes).map((n) => ({ id: n.id, name: n.name, kind: n.kind })),
    edges: only(a.edges, b.edges).map((e) => ({ ...named(e), figures: figures(e) })),
  });
  const earlier = new Map(before.edges.map((e) => [e.id, e]));
  const changed: ChangedEdge[] = [];
  for (const e of after.edges) {
    const b = earlier.get(e.id);
    if (!b) continue;
    const x = figures(b);
    const y = figures(e);
    changed.push({ ...named(e), before: x, after: y, change: edgeChange(x, y) });
  }
  changed.sort((a, b) => b.change - a.change || byId(a, b));
  return { added: part(after, before), removed: part(before, after), changed };
}
