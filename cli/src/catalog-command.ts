import { globSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PlexusConfig } from './config.ts';
import { runImportRequest, type ImportBody } from './catalog-import-request.ts';

/** The answer of an import, whoever ran it. */
interface Summary {
  source: string;
  entities: Record<string, number>;
  relations: number;
  operations: number;
  errors: Array<{ file: string; document: number; line: number; field: string; message: string }>;
}

/** Expands globs and makes paths absolute, so a server elsewhere in the tree reads the same files. */
export function expandRoots(args: readonly string[], cwd: string = process.cwd()): string[] {
  return args.flatMap((a) => (/[*?[{]/.test(a) ? globSync(a, { cwd }).sort() : [a])).map((p) => resolve(cwd, p));
}

/** The import the `--kong*` flags ask for (nothing: Backstage files), or what is wrong with them. */
export function kongSource(kong: boolean, adminUrl: string | undefined, workspace: string | undefined, headers: readonly string[]): Omit<ImportBody, 'paths'> | string {
  if (adminUrl === undefined) {
    if (workspace !== undefined || headers.length > 0) return '--kong-workspace and --kong-header go with --kong-admin <url>';
    return kong ? { kind: 'kong' } : {};
  }
  if (kong) return '--kong imports decK files and --kong-admin an Admin API: use one of them';
  const parsed: Record<string, string> = {};
  for (const h of headers) {
    const m = /^([^:\s]+):\s*(.*)$/.exec(h);
    if (!m) return `--kong-header "${h}" must look like "Name: value"`;
    parsed[m[1]!] = m[2]!;
  }
  return { kind: 'kong', admin: { adminUrl, ...(workspace ? { workspace } : {}), ...(headers.length > 0 ? { headers: parsed } : {}) } };
}

/**
 * `plexus catalog import`: sends the import to the running server when one
 * answers (only one process may open an embedded data directory), otherwise
 * opens the store itself. `source` picks decK files (`kind: 'kong'`) or a Kong
 * Admin API (`admin`) instead of Backstage files. Prints a summary; exit code 1
 * when any file had problems.
 */
export async function catalogImport(roots: readonly string[], config: PlexusConfig, log: (line: string) => void, source: Omit<ImportBody, 'paths'> = {}): Promise<number> {
  // Files, or an Admin API: exactly one of them.
  if (roots.length > 0 === Boolean(source.admin)) {
    log('usage: plexus catalog import [--kong] <path-or-glob>...  |  plexus catalog import --kong-admin <url>');
    return 2;
  }
  const url = process.env.PLEXUS_URL ?? `http://127.0.0.1:${config.port}`;
  log(source.admin ? `importing from the Kong Admin API at ${source.admin.adminUrl}…` : `importing ${roots.length} root file(s)…`);
  const body: ImportBody = { ...source, ...(source.admin ? {} : { paths: [...roots] }) };
  let summary = await viaServer(url, body);
  if (summary) log(`imported through the running Plexus at ${url}`);
  else {
    const { openStore, migrate } = await import('@plexus/store');
    const store = await openStore({ ...config.clickhouse, dataDir: config.dataDir });
    try {
      await migrate(store, { retentionDays: config.retentionDays });
      // The operator typed these paths or this URL: the same trust as a request from this machine.
      const r = await runImportRequest(store, body, { local: true, json: true });
      if (r.status !== 200) throw new Error((r.body as { message: string }).message);
      summary = r.body as Summary;
    } finally {
      await store.close();
    }
  }
  const kinds = Object.entries(summary.entities).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${n} ${k}`).join(', ');
  for (const e of summary.errors) log(`  ${e.file}:${e.line} (document ${e.document})${e.field ? ` ${e.field}` : ''}: ${e.message}`);
  log(`entities: ${kinds || 'none'}; relations: ${summary.relations}; operations: ${summary.operations}; errors: ${summary.errors.length}`);
  return summary.errors.length > 0 ? 1 : 0;
}

async function viaServer(url: string, body: ImportBody): Promise<Summary | undefined> {
  let res: Response;
  try {
    // A server with tokens configured wants an admin one; the variable is the one the server reads too.
    const token = process.env.PLEXUS_TOKEN ?? process.env.PLEXUS_ADMIN_TOKEN;
    const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    res = await fetch(`${url}/api/catalog/import`, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(300_000) });
  } catch {
    return undefined; // nobody answers: this process may open the store
  }
  if (!res.ok) throw new Error(`the Plexus at ${url} refused the import (${res.status}): ${await res.text()}`);
  return (await res.json()) as Summary;
}
