// What diff mode and the blast radius add to the map's nodes and edges: a diff status per
// element, a changed edge's move, and whether an element is inside the blast radius (and how deep).
// Pure functions: they run under `node --test`.
import type { FlowEdge, FlowNode, MapEdgeData, MapNodeData } from './graph.ts';
import type { BlastRadius } from './blast-radius.ts';
import type { DiffOverlay, EdgeDiff, NodeDiff } from './graph-diff.ts';
import type { ChangedEdge } from './investigate-api.ts';

export interface OverlayNodeData extends MapNodeData {
  /** Added or removed between the windows (diff mode), else null. */
  diff?: NodeDiff | null;
  /** Hops to the failing service when a blast radius is shown and the node is in it; else null. */
  blastDepth?: number | null;
  /** A blast radius is shown and the node is outside it. */
  blastOut?: boolean;
}

export interface OverlayEdgeData extends MapEdgeData {
  diff?: EdgeDiff | null;
  /** Before and after figures of a changed edge (diff mode). */
  move?: Pick<ChangedEdge, 'before' | 'after' | 'change'> | null;
  /** A blast radius is shown: true inside it, false outside; null when none is shown. */
  blast?: boolean | null;
}

export interface Overlay {
  diff?: DiffOverlay | null;
  blast?: BlastRadius | null;
}

/** Nodes with their diff status and blast-radius depth; the input is left untouched. */
export function overlayNodes(nodes: readonly FlowNode[], o: Overlay): FlowNode[] {
  if (!o.diff && !o.blast) return [...nodes];
  return nodes.map((n) => {
    const depth = o.blast?.depth.get(n.id);
    const data: OverlayNodeData = {
      ...n.data,
      diff: o.diff?.nodes.get(n.id) ?? null,
      blastDepth: depth ?? null,
      blastOut: !!o.blast && depth === undefined,
    };
    return { ...n, data };
  });
}

/** Edges with their diff status, move and blast-radius membership; the input is left untouched. */
export function overlayEdges(edges: readonly FlowEdge[], o: Overlay): FlowEdge[] {
  if (!o.diff && !o.blast) return [...edges];
  return edges.map((e) => {
    const c = o.diff?.changed.get(e.id);
    const data: OverlayEdgeData = {
      ...e.data,
      diff: o.diff?.edges.get(e.id) ?? null,
      move: c ? { before: c.before, after: c.after, change: c.change } : null,
      blast: o.blast ? o.blast.edges.has(e.id) : null,
    };
    // A removed edge shows the before window's figures: say so in its accessible name.
    const ariaLabel = data.diff === 'removed' ? `${e.ariaLabel} (removed)` : data.diff === 'added' ? `${e.ariaLabel} (new)` : e.ariaLabel;
    return { ...e, data, ariaLabel };
  });
}
