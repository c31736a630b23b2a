// Path-based routes and query-string state. Every view is reproducible from its URL:
//   /map?from=now-1h&to=now&kinds=SERVICE,DATABASE&sel=database:postgresql
//   /services?q=check&sort=-p95
//   /services/checkout?from=2025-01-01T10:00:00Z&to=2025-01-01T11:00:00Z
//   /catalog?q=artist&kind=component   /catalog/component/default/artist-lookup
//   /governance?kinds=SHADOW_ENDPOINT,UNUSED_API
//   /reuse?q=inventory&single=1
//   /topics?q=ord   /topics/orders?trace=<32 hex>
//   /sources
//   /traces?service=checkout&attr=http.route=/checkout&attr=region=eu   /traces/<32 hex>?span=<16 hex>
import { entityPathOf, parseEntityPath } from './catalog.ts';
import { parseTopicPath, topicPath } from './topics.ts';

export type Route =
  | { page: 'root' }
  | { page: 'map' }
  | { page: 'services' }
  | { page: 'service'; name: string }
  | { page: 'catalog' }
  | { page: 'entity'; kind: string; namespace: string; name: string }
  | { page: 'governance' }
  | { page: 'reuse' }
  | { page: 'topics' }
  | { page: 'topic'; name: string }
  | { page: 'sources' }
  | { page: 'traces' }
  | { page: 'trace'; id: string }
  | { page: 'notfound'; path: string };

export type Params = Record<string, string>;
export type ParamPatch = Record<string, string | null | undefined>;

/** Query parameters that follow the user from page to page (the global time range). */
export const GLOBAL_PARAMS: readonly string[] = ['from', 'to'];

/**
 * Parameters that may repeat (`attr=a=1&attr=b=2`): in Params their values are joined by
 * MULTI_SEPARATOR, so every helper that copies Params keeps all of them.
 */
export const MULTI_PARAMS: readonly string[] = ['attr'];
export const MULTI_SEPARATOR = '\n';

/** Parameters that come first in serialised URLs, in this order; the rest follow alphabetically. */
const PARAM_ORDER = ['from', 'to'];

export function parseRoute(pathname: string): Route {
  let p = pathname || '/';
  if (p.length > 1) p = p.replace(/\/+$/, '');
  if (p === '/' || p === '' || p === '/index.html') return { page: 'root' };
  if (p === '/map') return { page: 'map' };
  if (p === '/services') return { page: 'services' };
  if (p === '/catalog') return { page: 'catalog' };
  if (p === '/governance') return { page: 'governance' };
  if (p === '/reuse') return { page: 'reuse' };
  if (p === '/topics') return { page: 'topics' };
  if (p === '/sources') return { page: 'sources' };
  if (p === '/traces') return { page: 'traces' };
  if (p.startsWith('/traces/')) {
    const id = parseTracePath(p);
    if (id) return { page: 'trace', id };
  }
  if (p.startsWith('/topics/')) {
    const name = parseTopicPath(p);
    if (name) return { page: 'topic', name };
  }
  if (p.startsWith('/catalog/')) {
    const r = parseEntityPath(p);
    if (r) return { page: 'entity', ...r };
  }
  const m = /^\/services\/([^/]+)$/.exec(p);
  if (m) {
    try {
      const name = decodeURIComponent(m[1] ?? '');
      if (name) return { page: 'service', name };
    } catch {
      // malformed percent-encoding: fall through to not found
    }
  }
  return { page: 'notfound', path: pathname };
}

export function routePath(route: Route): string {
  switch (route.page) {
    case 'root':
      return '/';
    case 'map':
      return '/map';
    case 'services':
      return '/services';
    case 'service':
      return servicePath(route.name);
    case 'catalog':
      return '/catalog';
    case 'entity':
      return entityPathOf(route);
    case 'governance':
      return '/governance';
    case 'reuse':
      return '/reuse';
    case 'topics':
      return '/topics';
    case 'topic':
      return topicPath(route.name);
    case 'sources':
      return '/sources';
    case 'traces':
      return '/traces';
    case 'trace':
      return tracePath(route.id);
    case 'notfound':
      return route.path;
  }
}

export function servicePath(name: string): string {
  return `/services/${encodeURIComponent(name)}`;
}

/** The page of one trace. */
export function tracePath(id: string): string {
  return `/traces/${encodeURIComponent(id)}`;
}

/** `/traces/<id>` → the id (as typed; the API checks it), else null. */
export function parseTracePath(path: string): string | null {
  const m = /^\/traces\/([^/]+)$/.exec(path);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!) || null;
  } catch {
    return null;
  }
}

export function parseSearch(search: string): Params {
  const out: Params = {};
  const s = search.startsWith('?') ? search.slice(1) : search;
  if (!s) return out;
  for (const part of s.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawVal = eq < 0 ? '' : part.slice(eq + 1);
    const key = safeDecode(rawKey);
    if (!key) continue;
    if (key in out) {
      if (MULTI_PARAMS.includes(key)) out[key] += MULTI_SEPARATOR + safeDecode(rawVal);
      continue;
    }
    out[key] = safeDecode(rawVal);
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Encodes a query value but leaves `:` and `,` readable (both are legal in a query). */
function encodeValue(v: string): string {
  return encodeURIComponent(v).replace(/%3A/gi, ':').replace(/%2C/gi, ',').replace(/%2F/gi, '/');
}

export function serializeSearch(params: Params): string {
  const keys = Object.keys(params).filter((k) => params[k] !== undefined && params[k] !== '');
  keys.sort((a, b) => {
    const ia = PARAM_ORDER.indexOf(a);
    const ib = PARAM_ORDER.indexOf(b);
    if (ia !== -1 || ib !== -1) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  if (!keys.length) return '';
  const pair = (k: string, v: string) => `${encodeURIComponent(k)}=${encodeValue(v)}`;
  return '?' + keys.flatMap((k) => (MULTI_PARAMS.includes(k) ? (params[k] ?? '').split(MULTI_SEPARATOR).map((v) => pair(k, v)) : [pair(k, params[k] ?? '')])).join('&');
}

export function applyPatch(params: Params, patch: ParamPatch): Params {
  const out: Params = { ...params };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined || v === '') delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * A link to `path` that keeps the global parameters (time range) of the current URL,
 * drops page-specific ones, and applies `patch`.
 */
export function buildHref(
  path: string,
  currentSearch: string,
  patch: ParamPatch = {},
  keep: readonly string[] = GLOBAL_PARAMS,
): string {
  const current = parseSearch(currentSearch);
  const kept: Params = {};
  for (const k of keep) {
    const v = current[k];
    if (v !== undefined) kept[k] = v;
  }
  return path + serializeSearch(applyPatch(kept, patch));
}

/** Comma-separated set parameter (e.g. kinds=SERVICE,DATABASE), keeping only allowed values. */
export function parseSet<T extends string>(raw: string | undefined, allowed: readonly T[]): Set<T> | null {
  if (raw === undefined) return null;
  const out = new Set<T>();
  for (const part of raw.split(',')) {
    const v = part.trim().toUpperCase() as T;
    if (allowed.includes(v)) out.add(v);
  }
  return out;
}

/** Serialises a set parameter; null (omit) when it holds every allowed value. */
export function serializeSet<T extends string>(set: ReadonlySet<T>, allowed: readonly T[]): string | null {
  if (allowed.every((v) => set.has(v))) return null;
  return allowed.filter((v) => set.has(v)).join(',');
}

export interface SortSpec<K extends string = string> {
  key: K;
  desc: boolean;
}

/** `sort=-p95` is p95 descending, `sort=name` name ascending. */
export function parseSort<K extends string>(raw: string | undefined, keys: readonly K[], fallback: SortSpec<K>): SortSpec<K> {
  if (!raw) return fallback;
  const desc = raw.startsWith('-');
  const key = (desc ? raw.slice(1) : raw) as K;
  return keys.includes(key) ? { key, desc } : fallback;
}

export function serializeSort<K extends string>(s: SortSpec<K>): string {
  return (s.desc ? '-' : '') + s.key;
}

/** Whether a click on a link should be left to the browser (new tab, download, other origin...). */
export function isPlainLeftClick(e: {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
}): boolean {
  return e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey && !e.defaultPrevented;
}
