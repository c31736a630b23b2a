// Catalog (Backstage entities): URL <-> filter state, entity ref <-> page path, relation grouping.
//   /catalog?q=artist&kind=component&lifecycle=production
//   /catalog/component/default/artist-lookup
import type { ParamPatch, Params } from './url.ts';

export const CATALOG_FACETS = ['kind', 'owner', 'lifecycle', 'type', 'system'] as const;
export type CatalogFacet = (typeof CATALOG_FACETS)[number];

export const FACET_LABEL: Record<CatalogFacet, string> = {
  kind: 'Kind',
  owner: 'Owner',
  lifecycle: 'Lifecycle',
  type: 'Type',
  system: 'System',
};

export interface CatalogFilters {
  /** Free-text search (`q`), as typed. */
  q: string;
  /** One selected value per facet, or absent. */
  facets: Partial<Record<CatalogFacet, string>>;
}

/** Reads the catalog filters from query parameters; unknown parameters (from, to...) are ignored. */
export function parseCatalogParams(params: Params): CatalogFilters {
  const facets: Partial<Record<CatalogFacet, string>> = {};
  for (const f of CATALOG_FACETS) {
    const v = params[f]?.trim();
    if (v) facets[f] = v;
  }
  return { q: params['q'] ?? '', facets };
}

/** The parameter patch that puts `filters` in the URL (absent values remove their parameter). */
export function catalogParamsPatch(filters: CatalogFilters): ParamPatch {
  const patch: ParamPatch = { q: filters.q.trim() ? filters.q : null };
  for (const f of CATALOG_FACETS) patch[f] = filters.facets[f] || null;
  return patch;
}

export function hasFilters(filters: CatalogFilters): boolean {
  return filters.q.trim() !== '' || CATALOG_FACETS.some((f) => !!filters.facets[f]);
}

export interface CatalogVariables {
  search: string | null;
  kind: string | null;
  owner: string | null;
  lifecycle: string | null;
  type: string | null;
  system: string | null;
}

/** GraphQL variables of the `catalog` query for `filters` (without paging). */
export function catalogVariables(filters: CatalogFilters): CatalogVariables {
  const search = filters.q.trim();
  return {
    search: search || null,
    kind: filters.facets.kind ?? null,
    owner: filters.facets.owner ?? null,
    lifecycle: filters.facets.lifecycle ?? null,
    type: filters.facets.type ?? null,
    system: filters.facets.system ?? null,
  };
}

/** A stable string for a set of variables (so that identical filters do not refetch). */
export function variablesKey(v: CatalogVariables): string {
  return JSON.stringify([v.search, v.kind, v.owner, v.lifecycle, v.type, v.system]);
}

export interface FacetOption {
  value: string;
  count: number;
}

/**
 * Options of a facet's select: the server's values, plus the selected value when the server did
 * not return it (so the selection stays visible and can be cleared), with a count of 0.
 */
export function facetOptions(values: readonly FacetOption[], selected: string | undefined): FacetOption[] {
  const out = [...values];
  if (selected && !out.some((o) => o.value === selected)) out.unshift({ value: selected, count: 0 });
  return out;
}

export interface EntityRef {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Parses `kind:namespace/name`; a missing kind or namespace takes the defaults
 * (Backstage writes `owner: team-a` for `group:default/team-a`). Kinds and namespaces are lower-cased.
 */
export function parseRef(ref: string, defaultKind?: string, defaultNamespace = 'default'): EntityRef | null {
  const s = ref.trim();
  if (!s) return null;
  const colon = s.indexOf(':');
  if (colon === 0) return null;
  const kind = colon > 0 ? s.slice(0, colon) : defaultKind;
  const rest = colon > 0 ? s.slice(colon + 1) : s;
  const slash = rest.indexOf('/');
  const namespace = slash >= 0 ? rest.slice(0, slash) : defaultNamespace;
  const name = slash >= 0 ? rest.slice(slash + 1) : rest;
  if (!kind || !namespace || !name || name.includes('/')) return null;
  return { kind: kind.toLowerCase(), namespace: namespace.toLowerCase(), name };
}

export function formatRef(r: EntityRef): string {
  return `${r.kind}:${r.namespace}/${r.name}`;
}

/** Short label: the name, prefixed by the namespace when it is not `default`. */
export function refLabel(r: EntityRef): string {
  return r.namespace === 'default' ? r.name : `${r.namespace}/${r.name}`;
}

export function entityPathOf(r: EntityRef): string {
  return `/catalog/${encodeURIComponent(r.kind)}/${encodeURIComponent(r.namespace)}/${encodeURIComponent(r.name)}`;
}

/** `component:default/artist-lookup` -> `/catalog/component/default/artist-lookup`; null when not a ref. */
export function entityPath(ref: string, defaultKind?: string): string | null {
  const r = parseRef(ref, defaultKind);
  return r ? entityPathOf(r) : null;
}

/** A ref as a link: its entity page and short label (`team-a` for `group:default/team-a`); null when not a ref. */
export function refLink(ref: string, defaultKind?: string): { path: string; label: string } | null {
  const r = parseRef(ref, defaultKind);
  return r ? { path: entityPathOf(r), label: refLabel(r) } : null;
}

/** `/catalog/component/default/artist-lookup` -> the ref parts; null when the path is not an entity page. */
export function parseEntityPath(pathname: string): EntityRef | null {
  const m = /^\/catalog\/([^/]+)\/([^/]+)\/([^/]+)\/*$/.exec(pathname);
  if (!m) return null;
  try {
    const kind = decodeURIComponent(m[1] ?? '').toLowerCase();
    const namespace = decodeURIComponent(m[2] ?? '').toLowerCase();
    const name = decodeURIComponent(m[3] ?? '');
    if (!kind || !namespace || !name) return null;
    return { kind, namespace, name };
  } catch {
    return null;
  }
}

export interface RelationGroup {
  type: string;
  label: string;
  targets: EntityRef[];
}

/** Display order of the usual Backstage relations; others follow alphabetically. */
const RELATION_ORDER = [
  'ownedBy',
  'ownerOf',
  'partOf',
  'hasPart',
  'providesApi',
  'apiProvidedBy',
  'consumesApi',
  'apiConsumedBy',
  'dependsOn',
  'dependencyOf',
  'parentOf',
  'childOf',
  'memberOf',
  'hasMember',
];

/** `apiProvidedBy` -> `API provided by`. */
export function relationLabel(type: string): string {
  const words = type.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/\s+/);
  return words
    .map((w, i) => {
      if (w.toLowerCase() === 'api') return 'API';
      if (w.toLowerCase() === 'apis') return 'APIs';
      const l = w.toLowerCase();
      return i === 0 ? l.charAt(0).toUpperCase() + l.slice(1) : l;
    })
    .join(' ');
}

/** Groups relations by type (known types first), targets sorted by kind then name, duplicates dropped. */
export function groupRelations(relations: readonly { type: string; target: string }[]): RelationGroup[] {
  const byType = new Map<string, Map<string, EntityRef>>();
  for (const rel of relations) {
    const r = parseRef(rel.target);
    if (!r) continue;
    let m = byType.get(rel.type);
    if (!m) byType.set(rel.type, (m = new Map()));
    m.set(formatRef(r), r);
  }
  const rank = (t: string) => {
    const i = RELATION_ORDER.indexOf(t);
    return i < 0 ? RELATION_ORDER.length : i;
  };
  return [...byType.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([type, m]) => ({
      type,
      label: relationLabel(type),
      targets: [...m.values()].sort((x, y) => (x.kind === y.kind ? compare(x.name, y.name) : compare(x.kind, y.kind))),
    }));
}

function compare(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
}

/**
 * The Plexus service page that matches a component (`/services/<name>`), for components;
 * null for other kinds. The server's `serviceName` (the plexus.dev/service-name annotation)
 * wins; without it, Backstage component names are the usual OTel `service.name`.
 */
export function serviceNameFor(r: EntityRef & { serviceName?: string | null }): string | null {
  if (r.kind !== 'component') return null;
  return r.serviceName || r.name;
}

/** Display order of entity kinds when a list is grouped by kind; others follow alphabetically. */
const KIND_ORDER = ['domain', 'system', 'component', 'api', 'resource', 'group', 'user', 'location'];

const KIND_PLURAL: Record<string, string> = {
  domain: 'Domains',
  system: 'Systems',
  component: 'Components',
  api: 'APIs',
  resource: 'Resources',
  group: 'Groups',
  user: 'Users',
  location: 'Locations',
};

export interface KindGroup<T> {
  kind: string;
  label: string;
  entities: T[];
}

/** Entities grouped by kind (usual kinds first), each group sorted by title or name. */
export function groupByKind<T extends { kind: string; name: string; title?: string | null }>(entities: readonly T[]): KindGroup<T>[] {
  const byKind = new Map<string, T[]>();
  for (const e of entities) {
    const k = e.kind.toLowerCase();
    let g = byKind.get(k);
    if (!g) byKind.set(k, (g = []));
    g.push(e);
  }
  const rank = (k: string) => {
    const i = KIND_ORDER.indexOf(k);
    return i < 0 ? KIND_ORDER.length : i;
  };
  return [...byKind.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || compare(a, b))
    .map(([kind, g]) => ({
      kind,
      label: KIND_PLURAL[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1),
      entities: [...g].sort((x, y) => compare(x.title || x.name, y.title || y.name)),
    }));
}

/** `file:line`, with the document number when the file holds several YAML documents. */
export function formatSource(s: { file: string; line: number; document: number }): string {
  return `${s.file}:${s.line}` + (s.document > 1 ? ` (document ${s.document})` : '');
}
