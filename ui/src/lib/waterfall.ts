// The waterfall of one trace as plain data: the span tree in display order, the rows left
// when subtrees are collapsed, time-axis ticks, bar and critical-path geometry, and the
// slice of rows a virtualized list draws. Built once per trace; flattened once per collapse.
import { formatMs } from './format.ts';

/** What the tree needs of a span (the GraphQL Span has all of it). */
export interface TreeSpan {
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  /** Nanoseconds since the epoch, as a string. */
  startTimeUnixNano: string;
  durationMs: number;
}

/** One span in tree (display) order. */
export interface WaterfallNode<S extends TreeSpan = TreeSpan> {
  span: S;
  /** Index of the span in the input list. */
  input: number;
  /** Index of the parent node in `nodes`; -1 at the top level. */
  parent: number;
  depth: number;
  /** Top level although parentSpanId is set: the parent was not received (or only reachable through a cycle). */
  orphan: boolean;
  childCount: number;
  /** Nodes below it, itself excluded: the rows collapsing it hides. */
  descendants: number;
  /** Start and end, ms after the trace start. */
  startMs: number;
  endMs: number;
}

/** A trace's spans as a tree, in pre-order with children by start time. */
export interface WaterfallTree<S extends TreeSpan = TreeSpan> {
  nodes: WaterfallNode<S>[];
  /** Earliest span start, ns since the epoch. */
  startNs: bigint;
  /** Earliest start to latest end, ms. */
  durationMs: number;
  /** Node index of each span id (the last span with that id, which its children hang under). */
  bySpanId: Map<string, number>;
}

/**
 * Builds the tree. Children and top-level spans are ordered by start time (input order on
 * ties). A span whose parent is not in the trace is shown at the top level as an orphan.
 * Zipkin's shared spans (a client and a server half with one id) nest: each later span with
 * an id hangs under the earlier one, and children of the id hang under the last.
 */
export function buildTree<S extends TreeSpan>(spans: readonly S[]): WaterfallTree<S> {
  const n = spans.length;
  if (n === 0) return { nodes: [], startNs: 0n, durationMs: 0, bySpanId: new Map() };
  const ns = spans.map((s) => BigInt(s.startTimeUnixNano));
  let startNs = ns[0]!;
  for (const x of ns) if (x < startNs) startNs = x;
  // Offsets as numbers: a trace shorter than 104 days fits a double's exact range in ns.
  const offNs = ns.map((x) => Number(x - startNs));

  const lastOf = new Map<string, number>();
  const parentOf = new Int32Array(n).fill(-1);
  const orphan = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const id = spans[i]!.spanId;
    const prev = lastOf.get(id);
    if (prev !== undefined) parentOf[i] = prev;
    lastOf.set(id, i);
  }
  for (let i = 0; i < n; i++) {
    if (parentOf[i] !== -1) continue;
    const pid = spans[i]!.parentSpanId;
    if (!pid) continue;
    const p = lastOf.get(pid);
    if (p === undefined || p === i) orphan[i] = 1;
    else parentOf[i] = p;
  }

  const byStart = (a: number, b: number) => offNs[a]! - offNs[b]! || a - b;
  const children: number[][] = Array.from({ length: n }, () => []);
  const top: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = parentOf[i]!;
    if (p === -1) top.push(i);
    else children[p]!.push(i);
  }
  for (const c of children) if (c.length > 1) c.sort(byStart);
  top.sort(byStart);

  const nodes: WaterfallNode<S>[] = [];
  const visited = new Uint8Array(n);
  const walk = (root: number, isOrphan: boolean) => {
    // Iterative pre-order: a deep trace must not overflow the call stack.
    const stack: Array<{ i: number; parent: number; depth: number }> = [{ i: root, parent: -1, depth: 0 }];
    while (stack.length) {
      const { i, parent, depth } = stack.pop()!;
      if (visited[i]) continue;
      visited[i] = 1;
      const s = spans[i]!;
      const startMs = offNs[i]! / 1e6;
      const at = nodes.length;
      nodes.push({
        span: s, input: i, parent, depth, orphan: parent === -1 && isOrphan, childCount: 0, descendants: 0,
        startMs, endMs: startMs + s.durationMs,
      });
      if (parent >= 0) nodes[parent]!.childCount++;
      const c = children[i]!;
      for (let k = c.length - 1; k >= 0; k--) if (!visited[c[k]!]) stack.push({ i: c[k]!, parent: at, depth: depth + 1 });
    }
  };
  for (const i of top) walk(i, orphan[i] === 1);
  // Spans only reachable through a parent cycle: each unvisited one starts a top-level subtree.
  for (let i = 0; i < n; i++) if (!visited[i]) walk(i, true);

  for (let k = nodes.length - 1; k >= 0; k--) {
    const p = nodes[k]!.parent;
    if (p >= 0) nodes[p]!.descendants += nodes[k]!.descendants + 1;
  }
  let durationMs = 0;
  for (const node of nodes) if (node.endMs > durationMs) durationMs = node.endMs;
  const bySpanId = new Map<string, number>();
  nodes.forEach((node, k) => {
    if (lastOf.get(node.span.spanId) === node.input) bySpanId.set(node.span.spanId, k);
  });
  return { nodes, startNs, durationMs, bySpanId };
}

/**
 * The rows shown: node indices in tree order, skipping what collapsed nodes hide; with
 * `keep`, only nodes it accepts (their place in the tree order unchanged).
 */
export function flatten(tree: WaterfallTree<TreeSpan>, collapsed: ReadonlySet<number>, keep?: (node: number) => boolean): number[] {
  const rows: number[] = [];
  const nodes = tree.nodes;
  for (let i = 0; i < nodes.length; ) {
    if (!keep || keep(i)) rows.push(i);
    i += collapsed.has(i) ? nodes[i]!.descendants + 1 : 1;
  }
  return rows;
}

/** Every node with children: what "collapse all" collapses. */
export function parents(tree: WaterfallTree<TreeSpan>): Set<number> {
  const out = new Set<number>();
  tree.nodes.forEach((node, i) => {
    if (node.childCount > 0) out.add(i);
  });
  return out;
}

/** The nodes above `node`, nearest first (to expand so that it shows). */
export function ancestors(tree: WaterfallTree<TreeSpan>, node: number): number[] {
  const out: number[] = [];
  for (let p = tree.nodes[node]?.parent ?? -1; p >= 0; p = tree.nodes[p]!.parent) out.push(p);
  return out;
}

/** A tick on the time axis: its offset, position in percent of the axis, and label. */
export interface Tick {
  ms: number;
  pct: number;
  label: string;
}

/** The smallest 1, 2 or 5 × 10^k at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    const step = m * mag;
    if (step >= raw * (1 - 1e-9)) return Number(step.toPrecision(12));
  }
  return 10 * mag;
}

/** Ticks from 0 to at most `durationMs` at a round step, at most `maxTicks` intervals. */
export function timeTicks(durationMs: number, maxTicks = 5): Tick[] {
  if (!(durationMs > 0)) return [{ ms: 0, pct: 0, label: formatMs(0) }];
  const step = niceStep(durationMs / maxTicks);
  const out: Tick[] = [];
  for (let k = 0; ; k++) {
    const ms = Number((k * step).toPrecision(12));
    if (ms > durationMs * (1 + 1e-9)) break;
    out.push({ ms, pct: (ms / durationMs) * 100, label: formatMs(ms) });
  }
  return out;
}

/** A horizontal extent in percent of the time axis. */
export interface Extent {
  leftPct: number;
  widthPct: number;
}

/** Where a span's bar sits on the axis. */
export function barExtent(node: Pick<WaterfallNode, 'startMs' | 'endMs'>, durationMs: number): Extent {
  if (!(durationMs > 0)) return { leftPct: 0, widthPct: 0 };
  const left = clampPct((node.startMs / durationMs) * 100);
  return { leftPct: left, widthPct: Math.min(100 - left, clampPct(((node.endMs - node.startMs) / durationMs) * 100)) };
}

function clampPct(v: number): number {
  return v < 0 ? 0 : v > 100 ? 100 : v;
}

/** A critical-path segment (as in `Trace.criticalPath`). */
export interface Segment {
  spanId: string;
  startMs: number;
  durationMs: number;
}

/** The critical path's segments grouped by span id, each span's in time order. */
export function segmentsBySpan<T extends Segment>(segments: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const s of segments) {
    const list = out.get(s.spanId);
    if (list) list.push(s);
    else out.set(s.spanId, [s]);
  }
  for (const list of out.values()) list.sort((a, b) => a.startMs - b.startMs);
  return out;
}

/** Where each of a span's critical-path segments sits on the axis, one extent per segment. */
export function segmentExtents(segments: readonly Segment[], durationMs: number): Extent[] {
  return segments.map((s) => barExtent({ startMs: s.startMs, endMs: s.startMs + s.durationMs }, durationMs));
}

/** The first and one-past-last row a virtualized list draws: those in view plus `overscan` each side. */
export function visibleSlice(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan: number): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight);
  return { start: Math.max(0, Math.min(rowCount, first - overscan)), end: Math.min(rowCount, last + overscan) };
}

/** The root a summary names: the first top-level span that is a true root, else the earliest span. */
export function rootNode(tree: WaterfallTree<TreeSpan>): number {
  if (tree.nodes.length === 0) return -1;
  const k = tree.nodes.findIndex((node) => node.parent === -1 && node.span.parentSpanId === '');
  if (k >= 0) return k;
  let best = 0;
  tree.nodes.forEach((node, i) => {
    if (node.startMs < tree.nodes[best]!.startMs) best = i;
  });
  return best;
}

/** Milliseconds from the trace start to an ISO time (events; ms precision). */
export function offsetMs(tree: Pick<WaterfallTree<TreeSpan>, 'startNs'>, iso: string): number {
  return Date.parse(iso) - Number(tree.startNs) / 1e6;
}

/**
 * Per-span data fetched apart (attributes, events, links), lined up with `spans`: by index
 * when the two lists agree (both come in the trace's span order), else by span id.
 */
export function alignById<T extends { spanId: string }>(spans: readonly { spanId: string }[], extra: readonly T[]): Array<T | undefined> {
  if (extra.length === spans.length && spans.every((s, i) => extra[i]!.spanId === s.spanId)) return [...extra];
  const byId = new Map<string, T>();
  for (const e of extra) if (!byId.has(e.spanId)) byId.set(e.spanId, e);
  return spans.map((s) => byId.get(s.spanId));
}
