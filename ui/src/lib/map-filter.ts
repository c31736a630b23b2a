// Filtering the service map by who owns what: team (owner), system and domain of the services.
//   /map?team=group:default/checkout-team&system=system:default/ordering
// A filter keeps the matching services, the databases, topics and externals they touch, and the
// edges among those; everything else leaves the map. Pure functions: they run under `node --test`.
import type { DependencyGraph, GraphNode } from './api.ts';
import { formatRef, parseRef, refLabel } from './catalog.ts';
import type { ParamPatch, Params } from './url.ts';

export const MAP_FILTERS = ['team', 'system', 'domain'] as const;
export type MapFilterKey = (typeof MAP_FILTERS)[number];

/** One selected value per filter (a normalised entity ref, or NONE), or absent. */
export type MapFilters = Partial<Record<MapFilterKey, string>>;

export const MAP_FILTER_LABEL: Record<MapFilterKey, string> = { team: 'Team', system: 'System', domain: 'Domain' };

/** The value that selects services without one (not cataloged, or cataloged without it). */
export const NONE = 'none';

const NONE_LABEL: Record<MapFilterKey, string> = { team: 'No team', system: 'No system', domain: 'No domain' };

/** Which node field each filter reads, and the entity kind a bare name in the URL stands for. */
const FIELD: Record<MapFilterKey, { field: 'owner' | 'system' | 'domain'; kind: string }> = {
  team: { field: 'owner', kind: 'group' },
  system: { field: 'system', kind: 'system' },
  domain: { field: 'domain', kind: 'domain' },
};

/** `checkout-team` -> `group:default/checkout-team` (for a team), so short and full refs select the same. */
export function normalizeFilterValue(key: MapFilterKey, raw: string | null | undefined): string | null {
  const v = raw?.trim();
  if (!v) return null;
  if (v.toLowerCase() === NONE) return NONE;
  const r = parseRef(v, FIELD[key].kind);
  return r ? formatRef(r) : v;
}

/** Reads the ownership filters from query parameters; other parameters are ignored. */
export function parseMapFilters(params: Params): MapFilters {
  const out: MapFilters = {};
  for (const k of MAP_FILTERS) {
    const v = normalizeFilterValue(k, params[k]);
    if (v) out[k] = v;
  }
  return out;
}

/** The parameter patch that puts `filters` in the URL (absent ones removed). */
export function mapFiltersPatch(filters: MapFilters): ParamPatch {
  const patch: ParamPatch = {};
  for (const k of MAP_FILTERS) patch[k] = filters[k] ?? null;
  return patch;
}

/** Whether any ownership filter is set. */
export function hasMapFilters(filters: MapFilters): boolean {
  return MAP_FILTERS.some((k) => !!filters[k]);
}

/** A service's value for a filter: its normalised ref, or NONE. */
export function facetValue(n: GraphNode, key: MapFilterKey): string {
  return normalizeFilterValue(key, n[FIELD[key].field]) ?? NONE;
}

/** Whether a SERVICE node matches every set filter (but `except`, for faceted counts). */
export function matchesFilters(n: GraphNode, filters: MapFilters, except?: MapFilterKey): boolean {
  if (n.kind !== 'SERVICE') return false;
  for (const k of MAP_FILTERS) {
    const want = filters[k];
    if (k === except || !want) continue;
    if (facetValue(n, k) !== want) return false;
  }
  return true;
}

/**
 * The part of the map the filters select: matching services, every non-service node (database,
 * topic, external) with an edge to or from one of them, and the edges among the kept nodes.
 * Without filters the graph is returned as is.
 */
export function filterByOwnership(g: DependencyGraph, filters: MapFilters): DependencyGraph {
  if (!hasMapFilters(filters)) return g;
  const kind = new Map(g.nodes.map((n) => [n.id, n.kind]));
  const keep = new Set(g.nodes.filter((n) => matchesFilters(n, filters)).map((n) => n.id));
  const services = new Set(keep);
  for (const e of g.edges) {
    if (services.has(e.source) && kind.get(e.target) !== 'SERVICE') keep.add(e.target);
    if (services.has(e.target) && kind.get(e.source) !== 'SERVICE') keep.add(e.source);
  }
  return {
    nodes: g.nodes.filter((n) => keep.has(n.id)),
    edges: g.edges.filter((e) => keep.has(e.source) && keep.has(e.target)),
  };
}

export interface FilterOption {
  value: string;
  label: string;
  count: number;
}

/** `group:default/checkout-team` -> `checkout-team`; NONE -> `No team`. */
export function filterValueLabel(key: MapFilterKey, value: string): string {
  if (value === NONE) return NONE_LABEL[key];
  const r = parseRef(value, FIELD[key].kind);
  return r ? refLabel(r) : value;
}

/**
 * Options of a filter's select: the values of the services that match the other filters, each with
 * how many services it would show, by label (NONE last). A selected value that no service has
 * stays listed with a count of 0, so it can be seen and cleared.
 */
export function filterOptions(g: DependencyGraph, key: MapFilterKey, filters: MapFilters): FilterOption[] {
  const counts = new Map<string, number>();
  for (const n of g.nodes) {
    if (!matchesFilters(n, filters, key)) continue;
    const v = facetValue(n, key);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const selected = filters[key];
  if (selected && !counts.has(selected)) counts.set(selected, 0);
  return [...counts]
    .map(([value, count]) => ({ value, label: filterValueLabel(key, value), count }))
    .sort((a, b) => Number(a.value === NONE) - Number(b.value === NONE) || a.label.localeCompare(b.label) || (a.value < b.value ? -1 : 1));
}
