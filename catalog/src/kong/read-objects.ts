import type { z } from 'zod';
import type { CatalogError } from '../model/entity.ts';
import { ConsumerSchema, RouteSchema, ServiceSchema, type KongAt, type KongConsumer, type KongRoute, type KongService } from './deck-types.ts';

/** Locates a field of the object being read, by its path inside the object. */
export type Locate = (path: ReadonlyArray<string | number>) => KongAt;

/** `['services', 0, 'routes', 1]` -> `services[0].routes[1]`, as catalog errors name fields. */
export function fieldOf(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${p}`)).join('');
}

// zod says "Invalid input: expected string, received undefined" for a missing field.
const message = (m: string) => (/received undefined$/.test(m) ? 'is required' : m);

function validate<T extends z.ZodType>(schema: T, value: unknown, locate: Locate, problems: CatalogError[]): z.infer<T> | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const i of r.error.issues) problems.push({ ...locate(i.path as Array<string | number>), message: message(i.message) });
  return undefined;
}

const opt = <T>(v: T | null | undefined): T | undefined => v ?? undefined;

/** Reads a service; its nested routes are returned raw, for the caller to read with their own locations. */
export function readService(value: unknown, locate: Locate, problems: CatalogError[]): { service: KongService; routes: unknown[] } | undefined {
  const s = validate(ServiceSchema, value, locate, problems);
  if (!s) return undefined;
  let fromUrl: { host?: string; port?: number; protocol?: string; path?: string } = {};
  if (s.url) {
    try {
      const u = new URL(s.url);
      fromUrl = { host: u.hostname, protocol: u.protocol.replace(/:$/, ''), ...(u.port ? { port: Number(u.port) } : {}), ...(u.pathname !== '/' || s.url.endsWith('/') ? { path: u.pathname } : {}) };
    } catch {
      problems.push({ ...locate(['url']), message: `"${s.url}" is not a URL` });
    }
  }
  // decK lets host/port/protocol/path be written beside url; the explicit fields win.
  const host = opt(s.host) ?? fromUrl.host;
  return {
    service: {
      id: opt(s.id),
      name: opt(s.name),
      host: host?.replace(/:\d+$/, ''),
      port: opt(s.port) ?? fromUrl.port,
      protocol: opt(s.protocol) ?? fromUrl.protocol,
      path: opt(s.path) ?? fromUrl.path,
      tags: s.tags ?? [],
      at: locate([]),
    },
    routes: s.routes ?? [],
  };
}

/** Reads a route; `parent` is the service a decK route is nested under. */
export function readRoute(value: unknown, locate: Locate, problems: CatalogError[], parent?: { name?: string; id?: string }): KongRoute | undefined {
  const r = validate(RouteSchema, value, locate, problems);
  if (!r) return undefined;
  const named = typeof r.service === 'string' ? { name: r.service } : r.service ? { ...(r.service.name ? { name: r.service.name } : {}), ...(r.service.id ? { id: r.service.id } : {}) } : undefined;
  return {
    id: opt(r.id),
    name: opt(r.name),
    service: parent ?? named,
    paths: (r.paths ?? []).map((path, i) => ({ path, at: locate(['paths', i]) })),
    methods: r.methods?.length ? r.methods.map((m) => m.toUpperCase()) : undefined,
    hosts: r.hosts ?? [],
    protocols: opt(r.protocols),
    // Kong's default is true.
    stripPath: r.strip_path ?? true,
    expression: opt(r.expression),
    tags: r.tags ?? [],
    at: locate([]),
  };
}

/** Reads a consumer. */
export function readConsumer(value: unknown, locate: Locate, problems: CatalogError[]): KongConsumer | undefined {
  const c = validate(ConsumerSchema, value, locate, problems);
  if (!c) return undefined;
  return { id: opt(c.id), username: opt(c.username), customId: opt(c.custom_id), tags: c.tags ?? [], at: locate([]) };
}
