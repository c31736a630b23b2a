import type { CatalogError } from '../model/entity.ts';
import { AdminPageSchema, type KongConfig } from './deck-types.ts';
import { fieldOf, readConsumer, readRoute, readService, type Locate } from './read-objects.ts';

/** Where a Kong Admin API answers, and which hosts it may be on. */
export interface KongAdminTarget {
  adminUrl: string;
  /** Kong Enterprise workspace: lists are read from `{adminUrl}/{workspace}/services`, … */
  workspace?: string | undefined;
  /** Sent with every request, e.g. `Kong-Admin-Token`. */
  headers?: Record<string, string> | undefined;
  /** Hosts the Admin API (and its pages) may be on; loopback only unless given. No SSRF. */
  allowedHosts?: readonly string[] | undefined;
}

/** What an Admin API holds; `complete` is false when a list could not be read whole (so nothing should be replaced by it). */
export interface KongAdminConfig extends KongConfig {
  complete: boolean;
}

/** Hosts an Admin API may be on when no allow-list is given. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '::1', '[::1]'];

const LISTS = ['services', 'routes', 'consumers'] as const;
// Kong caps a page at 1000; a loop guard well beyond any real gateway.
const PAGE_SIZE = '1000';
const MAX_PAGES = 10_000;

/**
 * Reads services, routes and consumers from a Kong Admin API, following
 * `offset` pagination. HTTP and shape problems are results naming the URL;
 * a host outside the allow-list is refused before any request.
 */
export async function fetchKongConfig(target: KongAdminTarget, fetchImpl: typeof fetch = fetch): Promise<KongAdminConfig> {
  const config: KongAdminConfig = { services: [], routes: [], consumers: [], problems: [], complete: false };
  const fail = (file: string, message: string) => void config.problems.push({ file, document: 0, line: 0, field: '', message });
  let base: URL;
  try {
    base = new URL(target.adminUrl);
  } catch {
    return fail(target.adminUrl, 'the Kong Admin URL is not a URL'), config;
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') return fail(target.adminUrl, 'the Kong Admin URL must be http or https'), config;
  const allowed = target.allowedHosts ?? LOOPBACK_HOSTS;
  if (!allowed.includes(base.hostname)) return fail(target.adminUrl, `${base.hostname} is not an allowed host for the Kong Admin API (allowed: ${allowed.join(', ')})`), config;
  const root = `${base.origin}${base.pathname.replace(/\/+$/, '')}${target.workspace ? `/${encodeURIComponent(target.workspace)}` : ''}`;
  const headers = { accept: 'application/json', ...target.headers };

  let complete = true;
  for (const list of LISTS) {
    const items = await readList(`${root}/${list}`, headers, fetchImpl, config.problems);
    if (!items) complete = false;
    for (const raw of items ?? []) {
      const key = (raw as { id?: unknown; name?: unknown; username?: unknown }) ?? {};
      const id = [key.id, key.name, key.username].find((v) => typeof v === 'string') as string | undefined;
      const file = `${root}/${list}${id ? `/${encodeURIComponent(id)}` : ''}`;
      const locate: Locate = (path) => ({ file, document: 0, line: 0, field: fieldOf(path) });
      if (list === 'services') {
        const s = readService(raw, locate, config.problems);
        if (s) config.services.push(s.service);
      } else if (list === 'routes') {
        const r = readRoute(raw, locate, config.problems);
        if (r) config.routes.push(r);
      } else {
        const c = readConsumer(raw, locate, config.problems);
        if (c) config.consumers.push(c);
      }
    }
  }
  config.complete = complete;
  return config;
}

// Every item of one list, or undefined when a page could not be read.
async function readList(listUrl: string, headers: Record<string, string>, fetchImpl: typeof fetch, problems: CatalogError[]): Promise<unknown[] | undefined> {
  const items: unknown[] = [];
  const seen = new Set<string>();
  const url = new URL(listUrl);
  url.searchParams.set('size', PAGE_SIZE);
  const fail = (message: string) => void problems.push({ file: url.href, document: 0, line: 0, field: '', message });
  for (let page = 0; page < MAX_PAGES; page++) {
    let res: Response;
    try {
      // No redirects: a redirect could lead off the allow-list.
      res = await fetchImpl(url, { headers, redirect: 'error', signal: AbortSignal.timeout(15_000) });
    } catch (err) {
      return fail(`GET ${url.href} failed: ${(err as Error).message}`), undefined;
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      const why = (body as { message?: unknown } | undefined)?.message;
      return fail(`GET ${url.href} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${typeof why === 'string' ? `: ${why}` : ''}`), undefined;
    }
    // Older Kong versions encode an empty list as {}.
    const data = (body as { data?: unknown } | undefined)?.data;
    if (data !== null && typeof data === 'object' && !Array.isArray(data) && Object.keys(data).length === 0) (body as { data: unknown[] }).data = [];
    const parsed = AdminPageSchema.safeParse(body);
    if (!parsed.success) return fail(`GET ${url.href} did not answer a Kong list ({"data": [...], "offset": ...})`), undefined;
    items.push(...parsed.data.data);
    // `offset` is followed on our own URL rather than `next`, which Kong writes without the workspace or any base path.
    const offset = parsed.data.offset;
    if (!offset) return items;
    if (seen.has(offset)) return fail(`GET ${url.href} returned offset ${offset} twice; stopped paging`), undefined;
    seen.add(offset);
    url.searchParams.set('offset', offset);
  }
  return fail(`GET ${listUrl} has more than ${MAX_PAGES} pages; stopped paging`), undefined;
}
