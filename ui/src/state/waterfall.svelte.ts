// What the waterfall shows of one trace: which subtrees are collapsed, and so which rows
// exist. The rows are flattened once per collapse (or critical-path toggle), never per frame.
import { ancestors, flatten, parents, segmentsBySpan, type Segment, type WaterfallTree } from '../lib/waterfall.ts';
import type { Span } from '../lib/traces-api.ts';

export class WaterfallState {
  tree: WaterfallTree<Span>;
  /** Critical-path segments by span id. */
  segments: Map<string, Segment[]>;
  /** Collapsed nodes (indices into tree.nodes). */
  collapsed: ReadonlySet<number> = $state.raw(new Set());
  /** Node indices shown, in tree order. */
  rows: number[];

  constructor(tree: WaterfallTree<Span>, criticalPath: readonly Segment[], criticalOnly: () => boolean) {
    this.tree = tree;
    this.segments = segmentsBySpan(criticalPath);
    const onPath = (i: number) => this.segments.has(tree.nodes[i]!.span.spanId);
    this.rows = $derived(flatten(this.tree, this.collapsed, criticalOnly() ? onPath : undefined));
  }

  /** Collapses an expanded node, expands a collapsed one. */
  toggle(node: number): void {
    const next = new Set(this.collapsed);
    if (!next.delete(node)) next.add(node);
    this.collapsed = next;
  }

  collapseAll(): void {
    this.collapsed = parents(this.tree);
  }

  expandAll(): void {
    this.collapsed = new Set();
  }

  /** Expands whatever hides `node`. */
  reveal(node: number): void {
    const hidden = ancestors(this.tree, node).filter((a) => this.collapsed.has(a));
    if (!hidden.length) return;
    const next = new Set(this.collapsed);
    for (const a of hidden) next.delete(a);
    this.collapsed = next;
  }
}
