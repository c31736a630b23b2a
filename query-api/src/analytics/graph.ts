import type { EdgeStats, NodeKind } from './edges.ts';
import type { Red } from './red.ts';
import type { Latency } from './latency.ts';
import { authoritative, SOURCE_PRECEDENCE } from './source-edges.ts';

export interface GraphNode {
  id: string;
  name: string;
  kind: NodeKind;
  requests: number;
  errors: number;
  errorRate: number;
  latency: Latency;
}

export interface GraphEdge extends EdgeStats {
  id: string;
  source: string;
  target: string;
  /** Consumer-group lag on a topic edge, when Kafka saw it (kafka-edges.ts). */
  lag?: number | null;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The stable node id: kind and name. */
export function nodeId(kind: NodeKind, name: string): string {
  return `${kind.toLowerCase()}:${name}`;
}

const NO_LATENCY: Latency = { p50: null, p95: null, p99: null };

/**
 * Builds the dependency graph from edges and per-service RED. A virtual node
 * named like a real service (peer.service pointing at an instrumented service)
 * is folded into that service. Where several sources saw an edge, the
 * authoritative one's figures stand (source-edges.ts). With `focus`, keeps nodes within `depth` hops
 * up- or downstream of it.
 */
export function buildGraph(edgeStats: EdgeStats[], red: Map<string, Red>, focus?: { service: string; depth: number }): Graph {
  const services = new Set<string>(red.keys());
  for (const e of edgeStats) {
    if (e.sourceKind === 'SERVICE') services.add(e.sourceName);
    if (e.targetKind === 'SERVICE') services.add(e.targetName);
  }
  const resolve = (kind: NodeKind, name: string): NodeKind => (kind === 'EXTERNAL' && services.has(name) ? 'SERVICE' : kind);

  // Rows of one source fold by adding (a virtual and a real node of the same
  // service); rows of different sources saw the same calls, so one is chosen.
  const families = new Map<string, Map<string, GraphEdge>>();
  for (const e of edgeStats) {
    const sourceKind = resolve(e.sourceKind, e.sourceName);
    const targetKind = resolve(e.targetKind, e.targetName);
    const source = nodeId(sourceKind, e.sourceName);
    const target = nodeId(targetKind, e.targetName);
    if (source === target) continue;
    const id = `${source}->${target}`;
    const family = e.sources[0] ?? 'traces';
    const byFamily = families.get(id) ?? new Map<string, GraphEdge>();
    families.set(id, byFamily);
    const prev = byFamily.get(family);
    // Two rows can fold into one edge (virtual + real); keep the busier one's latency.
    if (prev) {
      const calls = prev.calls + e.calls;
      const errors = prev.errors + e.errors;
      byFamily.set(family, { ...prev, calls, errors, errorRate: calls ? errors / calls : 0, callRate: prev.callRate + e.callRate, latency: prev.calls >= e.calls ? prev.latency : e.latency });
    } else {
      byFamily.set(family, { ...e, sourceKind, targetKind, id, source, target });
    }
  }
  const edges = new Map<string, GraphEdge>();
  for (const [id, byFamily] of families) {
    const candidates = [...byFamily.values()];
    const chosen = authoritative(candidates, (c) => c.calls, (c) => c.sources[0] ?? 'traces');
    const seen = new Set(candidates.flatMap((c) => c.sources));
    const sources = [...SOURCE_PRECEDENCE.filter((s) => seen.has(s)), ...[...seen].filter((s) => !(SOURCE_PRECEDENCE as readonly string[]).includes(s))];
    const lag = chosen.lag ?? candidates.map((c) => c.lag).find((l) => l != null);
    edges.set(id, { ...chosen, sources, ...(lag !== undefined ? { lag } : {}) });
  }

  const nodes = new Map<string, GraphNode>();
  const addNode = (kind: NodeKind, name: string) => {
    const id = nodeId(kind, name);
    if (nodes.has(id)) return;
    const r = kind === 'SERVICE' ? red.get(name) : undefined;
    nodes.set(id, { id, name, kind, requests: r?.requests ?? 0, errors: r?.errors ?? 0, errorRate: r?.errorRate ?? 0, latency: r?.latency ?? NO_LATENCY });
  };
  for (const name of red.keys()) addNode('SERVICE', name);
  for (const e of edges.values()) {
    addNode(e.sourceKind, e.sourceName);
    addNode(e.targetKind, e.targetName);
  }
  // Non-service nodes have no entry spans: their traffic is what they receive.
  for (const e of edges.values()) {
    const n = nodes.get(e.target)!;
    if (n.kind !== 'SERVICE') {
      n.requests += e.calls;
      n.errors += e.errors;
      n.errorRate = n.requests ? n.errors / n.requests : 0;
    }
  }
  const graph = { nodes: [...nodes.values()], edges: [...edges.values()] };
  return focus ? neighbourhood(graph, nodeId('SERVICE', focus.service), focus.depth) : graph;
}

function neighbourhood(g: Graph, start: string, depth: number): Graph {
  const keep = new Set<string>([start]);
  for (const direction of ['down', 'up'] as const) {
    let frontier = [start];
    for (let hop = 0; hop < depth && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const e of g.edges) {
        const [from, to] = direction === 'down' ? [e.source, e.target] : [e.target, e.source];
        if (frontier.includes(from) && !keep.has(to)) {
          keep.add(to);
          next.push(to);
        }
      }
      frontier = next;
    }
  }
  return { nodes: g.nodes.filter((n) => keep.has(n.id)), edges: g.edges.filter((e) => keep.has(e.source) && keep.has(e.target)) };
}
