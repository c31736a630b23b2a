// Dependency graph -> layout input (ELK) -> Svelte Flow nodes and edges.
// Pure functions: no DOM, no Svelte, so they run under `node --test`.
import type { DependencyGraph, GraphEdge, GraphNode, NodeKind } from './api.ts';
import { NODE_KINDS } from './api.ts';
import { errorLevel, lagIsHigh, trafficWeight, type Level } from './thresholds.ts';

export interface Size {
  width: number;
  height: number;
}

export interface XY {
  x: number;
  y: number;
}

/** Node boxes per kind; the same numbers feed the layout and the rendered size. */
export const NODE_SIZE: Record<NodeKind, Size> = {
  SERVICE: { width: 168, height: 60 },
  DATABASE: { width: 156, height: 70 },
  EXTERNAL: { width: 172, height: 60 },
  TOPIC: { width: 164, height: 54 },
};

/**
 * Graphs with at most this many edges always show a compact edge label (calls/s, and the error
 * rate when degraded); the full label (with p95) appears on hover, focus or selection.
 */
export const ALWAYS_LABEL_MAX_EDGES = 30;

/** Space the layout reserves next to each edge for its compact label when labels are always shown. */
export const EDGE_LABEL_SIZE: Size = { width: 44, height: 16 };

/** An edge as routed by the layout: polyline points (start, bends, end) and the label centre. */
export interface EdgeRoute {
  points: XY[];
  label: XY | null;
  /** Where the edge's handles were when it was routed; if a node moves, the route is dropped. */
  sx: number;
  sy: number;
  tx: number;
  ty: number;
}

export interface Layout {
  nodes: Map<string, XY>;
  edges: Map<string, { points: XY[]; label: XY | null }>;
}

export interface MapNodeData extends Record<string, unknown> {
  name: string;
  kind: NodeKind;
  requests: number;
  requestRate: number;
  errorRate: number;
  level: Level;
  p95: number | null;
  /** 0..1 log-scaled traffic relative to the busiest node (ring width). */
  weight: number;
  /** Link target for SERVICE and TOPIC nodes (their pages), null for other kinds. */
  href: string | null;
  /** Colour slot of the owning team when the map is coloured by team, else null. */
  team: number | null;
  width: number;
  height: number;
}

export interface MapEdgeData extends Record<string, unknown> {
  route: EdgeRoute | null;
  sourceName: string;
  targetName: string;
  callRate: number;
  errorRate: number;
  level: Level;
  p95: number | null;
  weight: number;
  alwaysLabel: boolean;
  sources: string[];
  /** Whether a TOPIC is one end: the label shows messages/s instead of calls/s. */
  topic: boolean;
  /** Messages per second of a topic edge, when known. */
  messageRate: number | null;
  /** Consumer group lag of a TOPIC -> consumer edge known to Kafka, else null. */
  lag: number | null;
  /** Lag above LAG_WARN_MESSAGES: the edge is marked and labelled `lag N`. */
  lagHigh: boolean;
}

export interface FlowNode {
  id: string;
  type: 'plexus';
  position: XY;
  width: number;
  height: number;
  data: MapNodeData;
  ariaLabel: string;
  selected?: boolean;
}

export interface FlowEdge {
  id: string;
  type: 'metric';
  source: string;
  target: string;
  data: MapEdgeData;
  ariaLabel: string;
  selected?: boolean;
}

function isKind(k: unknown): k is NodeKind {
  return typeof k === 'string' && (NODE_KINDS as readonly string[]).includes(k);
}

/**
 * Cleans what the API returned: unknown kinds become EXTERNAL, edges whose endpoints are
 * missing from `nodes` get a synthesised zero-traffic node (from sourceName/targetName),
 * duplicate ids are dropped.
 */
export function normalizeGraph(g: DependencyGraph): DependencyGraph {
  const nodes = new Map<string, GraphNode>();
  for (const n of g.nodes) {
    if (!n || nodes.has(n.id)) continue;
    nodes.set(n.id, { ...n, kind: isKind(n.kind) ? n.kind : 'EXTERNAL' });
  }
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  const empty = { p50: null, p95: null, p99: null };
  for (const e of g.edges) {
    if (!e) continue;
    const id = e.id || `${e.source}->${e.target}`;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const [nid, name, kind] of [
      [e.source, e.sourceName, e.sourceKind],
      [e.target, e.targetName, e.targetKind],
    ] as const) {
      if (!nodes.has(nid)) {
        nodes.set(nid, {
          id: nid,
          name: name || nid.replace(/^[a-z]+:/, ''),
          kind: isKind(kind) ? kind : 'EXTERNAL',
          requests: 0,
          errors: 0,
          errorRate: 0,
          latency: empty,
        });
      }
    }
    edges.push({ ...e, id });
  }
  return { nodes: [...nodes.values()], edges };
}

/** Keeps nodes of the given kinds and the edges between kept nodes. */
export function filterByKind(g: DependencyGraph, kinds: ReadonlySet<NodeKind>): DependencyGraph {
  const nodes = g.nodes.filter((n) => kinds.has(n.kind));
  const ids = new Set(nodes.map((n) => n.id));
  const edges = g.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  return { nodes, edges };
}

/**
 * Identity of a graph's shape: the sorted node ids and edge endpoints. When two refreshes
 * give the same signature the layout is reused and only the numbers change.
 */
export function graphSignature(g: DependencyGraph): string {
  const n = g.nodes.map((x) => x.id).sort();
  const e = g.edges.map((x) => `${x.source}\u2192${x.target}`).sort();
  return n.join('\n') + '\n--\n' + e.join('\n');
}

export interface ElkInputNode {
  id: string;
  width: number;
  height: number;
  layoutOptions?: Record<string, string>;
}

export interface ElkInputEdge {
  id: string;
  sources: string[];
  targets: string[];
  labels?: { id: string; text: string; width: number; height: number }[];
}

export interface ElkInput {
  id: string;
  layoutOptions: Record<string, string>;
  children: ElkInputNode[];
  edges: ElkInputEdge[];
}

export const ELK_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '40',
  'elk.layered.spacing.edgeNodeBetweenLayers': '10',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '10',
  'elk.spacing.nodeNode': '22',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '8',
  'elk.spacing.edgeLabel': '3',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.componentComponent': '48',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.separateConnectedComponents': 'true',
  'elk.layered.cycleBreaking.strategy': 'GREEDY',
};

/**
 * ELK input for the layered left-to-right layout. Input is sorted by id so the same graph
 * always gets the same layout. Databases and externals that only receive calls are pinned
 * to the last layer (right edge); nodes nobody calls land in the first layer naturally.
 * On small graphs every edge gets a label box so the layout keeps room for it.
 */
export function toElkInput(g: DependencyGraph): ElkInput {
  const labels = g.edges.length <= ALWAYS_LABEL_MAX_EDGES;
  const outgoing = new Set<string>();
  for (const e of g.edges) if (e.source !== e.target) outgoing.add(e.source);
  const children = [...g.nodes]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((n): ElkInputNode => {
      const size = NODE_SIZE[n.kind];
      const node: ElkInputNode = { id: n.id, width: size.width, height: size.height };
      if ((n.kind === 'DATABASE' || n.kind === 'EXTERNAL') && !outgoing.has(n.id)) {
        node.layoutOptions = { 'elk.layered.layering.layerConstraint': 'LAST' };
      }
      return node;
    });
  const edges = g.edges
    .filter((e) => e.source !== e.target)
    .map((e): ElkInputEdge => {
      const edge: ElkInputEdge = { id: e.id, sources: [e.source], targets: [e.target] };
      if (labels) edge.labels = [{ id: `${e.id}#label`, text: 'calls', ...EDGE_LABEL_SIZE }]; // ELK ignores empty labels
      return edge;
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { id: 'root', layoutOptions: { ...ELK_OPTIONS }, children, edges };
}

interface ElkResultLike {
  children?: { id: string; x?: number; y?: number }[];
  edges?: {
    id: string;
    sections?: { startPoint: XY; endPoint: XY; bendPoints?: XY[] }[];
    labels?: { x?: number; y?: number; width?: number; height?: number }[];
  }[];
}

/** Reads node positions out of an ELK result (top-level children only). */
export function positionsFromElk(result: ElkResultLike): Map<string, XY> {
  const out = new Map<string, XY>();
  for (const c of result.children ?? []) out.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
  return out;
}

/** Node positions plus edge routes (first section's points) and label centres. */
export function layoutFromElk(result: ElkResultLike): Layout {
  const edges = new Map<string, { points: XY[]; label: XY | null }>();
  for (const e of result.edges ?? []) {
    const s = e.sections?.[0];
    if (!s) continue;
    const points = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => ({ x: p.x, y: p.y }));
    const l = e.labels?.[0];
    const label =
      l && l.x !== undefined && l.y !== undefined ? { x: l.x + (l.width ?? 0) / 2, y: l.y + (l.height ?? 0) / 2 } : null;
    edges.set(e.id, { points, label });
  }
  return { nodes: positionsFromElk(result), edges };
}

/** SVG path through orthogonal points with rounded corners (radius clamped to the segments). */
export function roundedPath(points: readonly XY[], radius = 8): string {
  if (points.length === 0) return '';
  const f = (n: number) => Math.round(n * 10) / 10;
  const first = points[0]!;
  let d = `M${f(first.x)},${f(first.y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const prev = points[i - 1]!;
    const p = points[i]!;
    const next = points[i + 1]!;
    const d1 = Math.hypot(p.x - prev.x, p.y - prev.y);
    const d2 = Math.hypot(next.x - p.x, next.y - p.y);
    const r = Math.min(radius, d1 / 2, d2 / 2);
    if (r < 0.5 || d1 === 0 || d2 === 0) {
      d += ` L${f(p.x)},${f(p.y)}`;
      continue;
    }
    const a = { x: p.x + ((prev.x - p.x) * r) / d1, y: p.y + ((prev.y - p.y) * r) / d1 };
    const b = { x: p.x + ((next.x - p.x) * r) / d2, y: p.y + ((next.y - p.y) * r) / d2 };
    d += ` L${f(a.x)},${f(a.y)} Q${f(p.x)},${f(p.y)} ${f(b.x)},${f(b.y)}`;
  }
  const last = points[points.length - 1]!;
  if (points.length > 1) d += ` L${f(last.x)},${f(last.y)}`;
  return d;
}

/** The point halfway along a polyline (where a hover label goes when the layout placed none). */
export function polylineMidpoint(points: readonly XY[]): XY {
  if (points.length === 0) return { x: 0, y: 0 };
  let total = 0;
  for (let i = 1; i < points.length; i++) total += Math.hypot(points[i]!.x - points[i - 1]!.x, points[i]!.y - points[i - 1]!.y);
  let half = total / 2;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (len >= half && len > 0) return { x: a.x + ((b.x - a.x) * half) / len, y: a.y + ((b.y - a.y) * half) / len };
    half -= len;
  }
  return { ...points[points.length - 1]! };
}

/**
 * A quick placement used before (or instead of) ELK: longest-path layers left to right,
 * nodes stacked by id within a layer. Good enough for a first paint and for tests.
 */
export function fallbackPositions(g: DependencyGraph): Map<string, XY> {
  const incoming = new Map<string, string[]>();
  for (const n of g.nodes) incoming.set(n.id, []);
  for (const e of g.edges) if (e.source !== e.target) incoming.get(e.target)?.push(e.source);
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // cycle
    visiting.add(id);
    let d = 0;
    for (const p of incoming.get(id) ?? []) d = Math.max(d, depth(p) + 1);
    visiting.delete(id);
    layer.set(id, d);
    return d;
  };
  const byLayer = new Map<number, GraphNode[]>();
  for (const n of [...g.nodes].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const d = depth(n.id);
    const list = byLayer.get(d) ?? [];
    list.push(n);
    byLayer.set(d, list);
  }
  const out = new Map<string, XY>();
  for (const [d, list] of byLayer) {
    let y = 0;
    for (const n of list) {
      out.set(n.id, { x: d * (NODE_SIZE.SERVICE.width + 80), y });
      y += NODE_SIZE[n.kind].height + 22;
    }
  }
  return out;
}

export interface FlowOptions {
  windowSeconds: number;
  hrefFor?: (n: GraphNode) => string | null;
  selected?: string | null;
  /** Colour slot of a node's owning team (colour by team), or null for none. */
  teamOf?: (n: GraphNode) => number | null;
}

/** Requests per second of a node over the window. */
export function nodeRequestRate(n: GraphNode, windowSeconds: number): number {
  return windowSeconds > 0 ? n.requests / windowSeconds : 0;
}

export function toFlowNodes(g: DependencyGraph, positions: ReadonlyMap<string, XY>, opts: FlowOptions): FlowNode[] {
  const max = g.nodes.reduce((m, n) => Math.max(m, n.requests), 0);
  return g.nodes.map((n) => {
    const size = NODE_SIZE[n.kind];
    const requestRate = nodeRequestRate(n, opts.windowSeconds);
    const level = errorLevel(n.errorRate, n.requests);
    const data: MapNodeData = {
      name: n.name,
      kind: n.kind,
      requests: n.requests,
      requestRate,
      errorRate: n.errorRate,
      level,
      p95: n.latency?.p95 ?? null,
      weight: trafficWeight(n.requests, max),
      href: (n.kind === 'SERVICE' || n.kind === 'TOPIC') && opts.hrefFor ? opts.hrefFor(n) : null,
      team: n.kind === 'SERVICE' && opts.teamOf ? opts.teamOf(n) : null,
      width: size.width,
      height: size.height,
    };
    const node: FlowNode = {
      id: n.id,
      type: 'plexus',
      position: positions.get(n.id) ?? { x: 0, y: 0 },
      width: size.width,
      height: size.height,
      data,
      ariaLabel: `${n.kind.toLowerCase()} ${n.name}`,
    };
    if (opts.selected === n.id) node.selected = true;
    return node;
  });
}

export interface EdgeFlowOptions {
  selected?: string | null;
  /**
   * Routes from the layout; an edge without one is drawn as a bezier, and so is an edge whose
   * nodes no longer sit where the layout put them (the user dragged one).
   */
  layout?: Layout | null;
}

export function toFlowEdges(g: DependencyGraph, opts: EdgeFlowOptions = {}): FlowEdge[] {
  const max = g.edges.reduce((m, e) => Math.max(m, e.calls), 0);
  const alwaysLabel = g.edges.length <= ALWAYS_LABEL_MAX_EDGES;
  const kindOf = new Map(g.nodes.map((n) => [n.id, n.kind]));
  return g.edges.map((e) => {
    let route: EdgeRoute | null = null;
    const r = opts.layout?.edges.get(e.id);
    const sp = opts.layout?.nodes.get(e.source);
    const tp = opts.layout?.nodes.get(e.target);
    if (r && sp && tp) {
      const ss = NODE_SIZE[kindOf.get(e.source) ?? 'SERVICE'];
      const ts = NODE_SIZE[kindOf.get(e.target) ?? 'SERVICE'];
      route = {
        points: r.points,
        label: r.label ?? polylineMidpoint(r.points),
        sx: sp.x + ss.width,
        sy: sp.y + ss.height / 2,
        tx: tp.x,
        ty: tp.y + ts.height / 2,
      };
    }
    const topic = e.sourceKind === 'TOPIC' || e.targetKind === 'TOPIC' || kindOf.get(e.source) === 'TOPIC' || kindOf.get(e.target) === 'TOPIC';
    const lagHigh = lagIsHigh(e.lag);
    const edge: FlowEdge = {
      id: e.id,
      type: 'metric',
      source: e.source,
      target: e.target,
      data: {
        route,
        sourceName: e.sourceName,
        targetName: e.targetName,
        callRate: e.callRate,
        errorRate: e.errorRate,
        level: errorLevel(e.errorRate, e.calls),
        p95: e.latency?.p95 ?? null,
        weight: trafficWeight(e.calls, max),
        alwaysLabel,
        sources: e.sources ?? [],
        topic,
        messageRate: e.messageRate ?? null,
        lag: e.lag ?? null,
        lagHigh,
      },
      ariaLabel: topic
        ? `${e.sourceName} to ${e.targetName}${lagHigh ? `, lag ${e.lag} messages` : ''}`
        : `${e.sourceName} calls ${e.targetName}`,
    };
    if (opts.selected === e.id) edge.selected = true;
    return edge;
  });
}

/** Ids of the nodes and edges touching `id` (one hop up and down), for highlighting. */
export function neighbourhood(g: DependencyGraph, id: string): { nodes: Set<string>; edges: Set<string> } {
  const nodes = new Set<string>([id]);
  const edges = new Set<string>();
  for (const e of g.edges) {
    if (e.source === id || e.target === id) {
      edges.add(e.id);
      nodes.add(e.source);
      nodes.add(e.target);
    }
  }
  return { nodes, edges };
}

/** Kinds present in the graph, in display order. */
export function kindsPresent(g: DependencyGraph): NodeKind[] {
  const present = new Set(g.nodes.map((n) => n.kind));
  return NODE_KINDS.filter((k) => present.has(k));
}
