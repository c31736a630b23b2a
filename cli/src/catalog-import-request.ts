import type { Store } from '@plexus/store';

/** What `POST /api/catalog/import` accepts: Backstage roots (the default), decK files, or a Kong Admin API. */
export interface ImportBody {
  kind?: 'backstage' | 'kong';
  /** Absolute paths: the server reads them on its own machine. */
  paths?: string[];
  /** With kind `kong`, instead of paths. */
  admin?: { adminUrl: string; workspace?: string; headers?: Record<string, string> };
}

const isStringMap = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

function hostOf(url: string): string[] {
  try {
    return [new URL(url).hostname];
  } catch {
    return [];
  }
}

/**
 * Runs the import a request body asks for, for the server route and for the
 * CLI when no server answers. `local`: the request comes from this machine, so
 * the Kong Admin URL it names was typed by the operator and its host is allowed;
 * others may reach loopback only. `json`: sent as application/json, which a
 * browser cannot do cross-site without a preflight, so a web page cannot make
 * this process fetch URLs of its choosing.
 */
export async function runImportRequest(store: Store, body: unknown, from: { local: boolean; json: boolean }): Promise<{ status: number; body: unknown }> {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const kind = b.kind ?? 'backstage';
  if (kind !== 'backstage' && kind !== 'kong') return { status: 400, body: { message: 'kind must be "backstage" or "kong"' } };
  const catalog = await import('@plexus/catalog');
  if (kind === 'kong' && b.admin !== undefined) {
    const a = b.admin as Record<string, unknown>;
    if (typeof a?.adminUrl !== 'string' || (a.workspace !== undefined && typeof a.workspace !== 'string') || (a.headers !== undefined && !isStringMap(a.headers))) {
      return { status: 400, body: { message: 'expected {"kind": "kong", "admin": {"adminUrl": string, "workspace"?: string, "headers"?: {name: value}}}' } };
    }
    if (!from.json) return { status: 415, body: { message: 'a Kong Admin import must be sent as application/json' } };
    const target = { adminUrl: a.adminUrl, ...(a.workspace ? { workspace: a.workspace as string } : {}), ...(a.headers ? { headers: a.headers as Record<string, string> } : {}) };
    return { status: 200, body: await catalog.importKongAdmin(store, target, { allowedHosts: from.local ? hostOf(a.adminUrl) : catalog.LOOPBACK_HOSTS }) };
  }
  if (!Array.isArray(b.paths) || !b.paths.every((p) => typeof p === 'string' && p.startsWith('/'))) return { status: 400, body: { message: 'expected {"paths": [absolute paths]}' } };
  const paths = b.paths as string[];
  return { status: 200, body: kind === 'kong' ? await catalog.importKongDeck(store, paths) : await catalog.importCatalog(store, paths) };
}
