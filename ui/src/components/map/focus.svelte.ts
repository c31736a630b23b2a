// Which node the map is focused on (hovered or selected) and its one-hop neighbourhood.
// Nodes and edges read this directly, so hovering does not rebuild the node arrays.
import { getContext, setContext } from 'svelte';

export class MapFocus {
  active: string | null = $state(null);
  nodes: ReadonlySet<string> = $state.raw(new Set());
  edges: ReadonlySet<string> = $state.raw(new Set());

  set(id: string | null, hood?: { nodes: ReadonlySet<string>; edges: ReadonlySet<string> }): void {
    this.active = id;
    this.nodes = hood?.nodes ?? new Set();
    this.edges = hood?.edges ?? new Set();
  }
}

const KEY = Symbol('map-focus');

export function provideMapFocus(f: MapFocus): void {
  setContext(KEY, f);
}

export function mapFocus(): MapFocus {
  return getContext<MapFocus | undefined>(KEY) ?? new MapFocus();
}
