/**
 * The critical path of a span tree, as Jaeger computes it: from a span's end,
 * walk back through its children, each time taking the last-finishing child
 * that ends at or before the current point and recursing into it; the span's
 * own time between those children is its self-time segment. Times are integers
 * (nanoseconds after the trace start), so segments add up to the span's
 * duration exactly, with no floating-point drift.
 */

/** What the walk needs of a span; callers extend it with service, name and kind. */
export interface PathSpan {
  spanId: string;
  parentSpanId: string;
  /** Integer time units (nanoseconds after the trace start). */
  start: number;
  end: number;
}

/** Spans linked to their parents by index. */
export interface SpanTree<S extends PathSpan = PathSpan> {
  spans: readonly S[];
  /** Children of each span, latest end first (longest first among equal ends, then span id). */
  children: number[][];
  /** Spans without a stored parent: the trace roots and the tops of orphan subtrees. */
  roots: number[];
}

/** One stretch of a span's own time on the path. */
export interface PathSegment {
  /** Index into the tree's spans. */
  span: number;
  start: number;
  end: number;
}

/**
 * Links spans to their parents. Spans sharing an id (Zipkin B3 shared spans:
 * the client and server halves of one call) are nested, the longer one
 * outside, and the id's children hang under the innermost, so each half keeps
 * its own time. Spans in a parent cycle (malformed input) have no root and are
 * not reached.
 */
export function spanTree<S extends PathSpan>(spans: readonly S[]): SpanTree<S> {
  const byId = new Map<string, number[]>();
  spans.forEach((s, i) => {
    const list = byId.get(s.spanId);
    if (list) list.push(i);
    else byId.set(s.spanId, [i]);
  });
  const parent = new Array<number>(spans.length).fill(-1);
  const holder = new Map<string, number>();
  for (const [id, list] of byId) {
    list.sort((a, b) => spans[b]!.end - spans[b]!.start - (spans[a]!.end - spans[a]!.start) || spans[a]!.start - spans[b]!.start || a - b);
    for (let k = 1; k < list.length; k++) parent[list[k]!] = list[k - 1]!;
    holder.set(id, list[list.length - 1]!);
  }
  spans.forEach((s, i) => {
    if (parent[i] !== -1 || s.parentSpanId === '' || s.parentSpanId === s.spanId) return;
    parent[i] = holder.get(s.parentSpanId) ?? -1;
  });
  const children: number[][] = spans.map(() => []);
  const roots: number[] = [];
  parent.forEach((p, i) => (p === -1 ? roots.push(i) : children[p]!.push(i)));
  const order = (a: number, b: number) => {
    const x = spans[a]!;
    const y = spans[b]!;
    return y.end - x.end || x.start - y.start || (x.spanId < y.spanId ? -1 : x.spanId > y.spanId ? 1 : a - b);
  };
  for (const list of children) list.sort(order);
  return { spans, children, roots };
}

interface Frame {
  span: number;
  lo: number;
  hi: number;
  /** Where the walk back through this span stands. */
  point: number;
  /** Next child to consider (children are sorted by end, and the point only moves back). */
  next: number;
}

/**
 * The critical path below `top`, in time order. Children are clipped to their
 * parent's extent (one outliving its parent counts up to the parent's end; one
 * entirely outside it is dropped), so the segments tile [top.start, top.end].
 */
export function subtreePath(tree: SpanTree, top: number): PathSegment[] {
  const out: PathSegment[] = [];
  const root = tree.spans[top]!;
  // An explicit stack: traces can nest deeper than the call stack allows.
  const stack: Frame[] = [{ span: top, lo: root.start, hi: Math.max(root.start, root.end), point: Math.max(root.start, root.end), next: 0 }];
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    const kids = tree.children[f.span]!;
    let chosen: Frame | undefined;
    while (f.next < kids.length) {
      const c = kids[f.next++]!;
      const s = tree.spans[c]!;
      const start = Math.max(s.start, f.lo);
      const end = Math.min(s.end, f.hi);
      if (end <= start || end > f.point) continue;
      chosen = { span: c, lo: start, hi: end, point: end, next: 0 };
      break;
    }
    if (chosen) {
      if (chosen.hi < f.point) out.push({ span: f.span, start: chosen.hi, end: f.point });
      f.point = chosen.lo;
      stack.push(chosen);
    } else {
      if (f.lo < f.point) out.push({ span: f.span, start: f.lo, end: f.point });
      stack.pop();
    }
  }
  return out.reverse();
}

/**
 * The critical path of a whole trace. With several roots (parents that were
 * never received), the path follows the root that ends last (then the one
 * starting first): the one that decided when the trace finished.
 */
export function traceCriticalPath(tree: SpanTree): { root: number; segments: PathSegment[] } | null {
  let best = -1;
  for (const r of tree.roots) {
    const s = tree.spans[r]!;
    const b = best === -1 ? undefined : tree.spans[best]!;
    if (!b || s.end > b.end || (s.end === b.end && s.start < b.start)) best = r;
  }
  return best === -1 ? null : { root: best, segments: subtreePath(tree, best) };
}
