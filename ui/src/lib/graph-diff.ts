// The map's diff mode: which window the current range is compared with (the `diff` URL
// parameter), the union of both windows' graphs to lay out, and what changed per node and edge.
// Pure functions: they run under `node --test`.
import type { DependencyGraph, GraphEdge, GraphNode, NodeKind, Window } from './api.ts';
import type { ChangedEdge, DiffEdge, EdgeFigures, GraphDiff } from './investigate-api.ts';
import { formatMs, formatPercent, formatRateValue } from './format.ts';
import { parseTimeValue, toIsoSeconds } from './timerange.ts';

/**
 * `diff=prev`: the window of the same length just before the current one; `diff=1d` / `diff=7d`:
 * the current window a day / a week earlier; `diff=<from>,<to>`: an explicit window (ISO-8601).
 */
export type DiffSpec = { kind: 'prev' } | { kind: 'offset'; key: '1d' | '7d' } | { kind: 'window'; fromMs: number; toMs: number };

/** The compare-with choices offered next to the diff toggle (an explicit window is the fourth). */
export const DIFF_PRESETS: readonly { value: string; label: string }[] = [
  { value: 'prev', label: 'the previous window' },
  { value: '1d', label: 'a day earlier' },
  { value: '7d', label: 'a week earlier' },
];

const OFFSET_MS = { '1d': 86_400_000, '7d': 7 * 86_400_000 } as const;

/** Reads the `diff` URL parameter; null when diff mode is off or the value is not understood. */
export function parseDiffSpec(raw: string | undefined | null): DiffSpec | null {
  if (!raw) return null;
  if (raw === 'prev') return { kind: 'prev' };
  if (raw === '1d' || raw === '7d') return { kind: 'offset', key: raw };
  const parts = raw.split(',');
  if (parts.length !== 2) return null;
  const a = parseTimeValue(parts[0]);
  const b = parseTimeValue(parts[1]);
  if (a?.kind !== 'absolute' || b?.kind !== 'absolute' || a.ms >= b.ms) return null;
  return { kind: 'window', fromMs: a.ms, toMs: b.ms };
}

/** The `diff` URL value of a spec. */
export function serializeDiffSpec(s: DiffSpec): string {
  if (s.kind === 'prev') return 'prev';
  if (s.kind === 'offset') return s.key;
  return `${toIsoSeconds(s.fromMs)},${toIsoSeconds(s.toMs)}`;
}

/** The before window for a spec, given the current (after) window in epoch ms. */
export function beforeWindow(s: DiffSpec, after: { fromMs: number; toMs: number }): Window {
  const iso = (ms: number) => new Date(ms).toISOString();
  if (s.kind === 'prev') return { from: iso(after.fromMs - (after.toMs - after.fromMs)), to: iso(after.fromMs) };
  if (s.kind === 'offset') return { from: iso(after.fromMs - OFFSET_MS[s.key]), to: iso(after.toMs - OFFSET_MS[s.key]) };
  return { from: iso(s.fromMs), to: iso(s.toMs) };
}

export type NodeDiff = 'added' | 'removed';
export type EdgeDiff = 'added' | 'removed' | 'changed';

/** What the diff says about each node and edge of the union graph, by id. */
export interface DiffOverlay {
  nodes: Map<string, NodeDiff>;
  edges: Map<string, EdgeDiff>;
  changed: Map<string, ChangedEdge>;
}

/** A node id as dependencyGraph spells it: kind and name. */
export function nodeIdOf(kind: NodeKind, name: string): string {
  return `${kind.toLowerCase()}:${name}`;
}

const NO_LATENCY = { p50: null, p95: null, p99: null };

function edgeFrom(e: DiffEdge): GraphEdge {
  const f = e.figures;
  return {
    id: e.id,
    source: nodeIdOf(e.sourceKind, e.source),
    target: nodeIdOf(e.targetKind, e.target),
    sourceName: e.source,
    targetName: e.target,
    sourceKind: e.sourceKind,
    targetKind: e.targetKind,
    calls: f.calls,
    errors: f.errors,
    errorRate: f.errorRate,
    callRate: f.callRate,
    latency: { ...NO_LATENCY, p95: f.p95 },
    sources: [],
  };
}

function emptyNode(id: string, name: string, kind: NodeKind): GraphNode {
  return { id, name, kind, requests: 0, errors: 0, errorRate: 0, latency: NO_LATENCY };
}

/**
 * The graph diff mode lays out: the after window's graph plus what only the before window had
 * (removed nodes and edges, drawn with their before figures). Anything the diff calls added but
 * the graph lacks (the two queries ran a moment apart) is added too, so every diff row is drawn.
 */
export function unionGraph(after: DependencyGraph, diff: GraphDiff): { graph: DependencyGraph; overlay: DiffOverlay } {
  const nodes = new Map(after.nodes.map((n) => [n.id, n]));
  const edges = new Map(after.edges.map((e) => [e.id, e]));
  const overlay: DiffOverlay = { nodes: new Map(), edges: new Map(), changed: new Map() };
  const ensureEnds = (e: DiffEdge) => {
    const s = nodeIdOf(e.sourceKind, e.source);
    const t = nodeIdOf(e.targetKind, e.target);
    if (!nodes.has(s)) nodes.set(s, emptyNode(s, e.source, e.sourceKind));
    if (!nodes.has(t)) nodes.set(t, emptyNode(t, e.target, e.targetKind));
  };
  for (const part of ['added', 'removed'] as const) {
    for (const n of diff[part].nodes) {
      if (!nodes.has(n.id)) nodes.set(n.id, emptyNode(n.id, n.name, n.kind));
      overlay.nodes.set(n.id, part);
    }
    for (const e of diff[part].edges) {
      ensureEnds(e);
      if (!edges.has(e.id)) edges.set(e.id, edgeFrom(e));
      overlay.edges.set(e.id, part);
    }
  }
  for (const c of diff.changed) {
    if (!edges.has(c.id)) continue; // in both windows, so in the after graph unless it just ran out
    overlay.edges.set(c.id, 'changed');
    overlay.changed.set(c.id, c);
  }
  return { graph: { nodes: [...nodes.values()], edges: [...edges.values()] }, overlay };
}

/**
 * The nodes to fit the view to when a diff is first laid out: every node an added or removed node
 * or edge touches, with its neighbours (so a new edge is seen with what it connects to). Null when
 * nothing was added or removed: the whole map is then the view.
 */
export function changedNeighbourhood(g: DependencyGraph, overlay: DiffOverlay): string[] | null {
  const touched = new Set<string>(overlay.nodes.keys());
  for (const e of g.edges) {
    const st = overlay.edges.get(e.id);
    if (st === 'added' || st === 'removed') {
      touched.add(e.source);
      touched.add(e.target);
    }
  }
  const ids = new Set<string>();
  for (const e of g.edges) {
    if (touched.has(e.source) || touched.has(e.target)) {
      ids.add(e.source);
      ids.add(e.target);
    }
  }
  for (const n of g.nodes) if (touched.has(n.id)) ids.add(n.id);
  return ids.size ? [...ids].sort() : null;
}

/** A change at or above this (a doubling, or +10 points of errors) marks the edge on the map. */
export const NOTABLE_CHANGE = 1;

/** One row of the diff table: an added, removed or changed edge. */
export interface DiffRow {
  id: string;
  status: EdgeDiff;
  source: string;
  target: string;
  sourceKind: NodeKind;
  targetKind: NodeKind;
  before: EdgeFigures | null;
  after: EdgeFigures | null;
  /** The server's move measure for changed edges; null for added and removed ones. */
  change: number | null;
}

/** Sort rank of a status: added first, then removed, then changed. */
export const STATUS_RANK: Record<EdgeDiff, number> = { added: 0, removed: 1, changed: 2 };

/** Table rows: added, removed, then changed edges (largest move first, as served). */
export function diffRows(diff: GraphDiff): DiffRow[] {
  const part = (status: 'added' | 'removed') =>
    diff[status].edges.map(
      (e): DiffRow => ({
        id: e.id,
        status,
        source: e.source,
        target: e.target,
        sourceKind: e.sourceKind,
        targetKind: e.targetKind,
        before: status === 'removed' ? e.figures : null,
        after: status === 'added' ? e.figures : null,
        change: null,
      }),
    );
  const changed = diff.changed.map(
    (c): DiffRow => ({
      id: c.id,
      status: 'changed',
      source: c.source,
      target: c.target,
      sourceKind: c.sourceKind,
      targetKind: c.targetKind,
      before: c.before,
      after: c.after,
      change: c.change,
    }),
  );
  return [...part('added'), ...part('removed'), ...changed];
}

/** Counts for the diff summary line. */
export function diffCounts(diff: GraphDiff): { addedNodes: number; removedNodes: number; addedEdges: number; removedEdges: number; notable: number } {
  return {
    addedNodes: diff.added.nodes.length,
    removedNodes: diff.removed.nodes.length,
    addedEdges: diff.added.edges.length,
    removedEdges: diff.removed.edges.length,
    notable: diff.changed.filter((c) => c.change >= NOTABLE_CHANGE).length,
  };
}

/** Relative move of a figure as text: `+100%`, `−50%`, `±0%`; `new` from zero; null when unknown. */
export function relativeMove(before: number | null, after: number | null): string | null {
  if (before === null || after === null || !Number.isFinite(before) || !Number.isFinite(after)) return null;
  if (before === 0) return after === 0 ? '±0%' : 'new';
  const p = Math.round(((after - before) / before) * 100);
  if (p === 0) return '±0%';
  return p > 0 ? `+${p}%` : `\u2212${-p}%`;
}

/** Error-rate move in percentage points: `+2.5 pt`, `−1 pt`, `±0 pt`. */
export function pointsMove(before: number, after: number): string {
  const p = Math.round((after - before) * 1000) / 10;
  if (p === 0) return '±0 pt';
  return p > 0 ? `+${p} pt` : `\u2212${-p} pt`;
}

/** The lines of a changed edge's hover label: calls/s, p95 and error rate, before → after. */
export function moveLines(c: Pick<ChangedEdge, 'before' | 'after'>): { key: 'calls' | 'p95' | 'errors'; text: string; move: string | null }[] {
  const { before: b, after: a } = c;
  return [
    { key: 'calls', text: `${formatRateValue(b.callRate)}/s \u2192 ${formatRateValue(a.callRate)}/s`, move: relativeMove(b.callRate, a.callRate) },
    { key: 'p95', text: `p95 ${formatMs(b.p95)} \u2192 ${formatMs(a.p95)}`, move: relativeMove(b.p95, a.p95) },
    { key: 'errors', text: `err ${formatPercent(b.errorRate)} \u2192 ${formatPercent(a.errorRate)}`, move: pointsMove(b.errorRate, a.errorRate) },
  ];
}
