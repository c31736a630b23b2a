import { globSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PlexusConfig } from './config.ts';

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

/**
 * `plexus catalog import`: sends the import to the running server when one
 * answers (only one process may open an embedded data directory), otherwise
 * opens the store itself. Prints a summary; exit code 1 when any file had problems.
 */
export async function catalogImport(roots: readonly string[], config: PlexusConfig, log: (line: string) => void): Promise<number> {
  if (roots.length === 0) {
    log('usage: plexus catalog import <path-or-glob>...');
    return 2;
  }
  const url = process.env.PLEXUS_URL ?? `http://127.0.0.1:${config.port}`;
  log(`importing ${roots.length} root file(s)…`);
  let summary = await viaServer(url, roots);
  if (summary) log(`imported through the running Plexus at ${url}`);
  else {
    const { openStore, migrate } = await import('@plexus/store');
    const { importCatalog } = await import('@plexus/catalog');
    const store = await openStore({ ...config.clickhouse, dataDir: config.dataDir });
    try {
      await migrate(store, { retentionDays: config.retentionDays });
      summary = await importCatalog(store, roots);
    } finally {
      await store.close();
    }
  }
  const kinds = Object.entries(summary.entities).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${n} ${k}`).join(', ');
  for (const e of summary.errors) log(`  ${e.file}:${e.line} (document ${e.document})${e.field ? ` ${e.field}` : ''}: ${e.message}`);
  log(`entities: ${kinds || 'none'}; relations: ${summary.relations}; operations: ${summary.operations}; errors: ${summary.errors.length}`);
  return summary.errors.length > 0 ? 1 : 0;
}

async function viaServer(url: string, roots: readonly string[]): Promise<Summary | undefined> {
  let res: Response;
  try {
    // A server with tokens configured wants an admin one; the variable is the one the server reads too.
    const token = process.env.PLEXUS_TOKEN ?? process.env.PLEXUS_ADMIN_TOKEN;
    const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    res = await fetch(`${url}/api/catalog/import`, { method: 'POST', headers, body: JSON.stringify({ paths: roots }), signal: AbortSignal.timeout(300_000) });
  } catch {
    return undefined; // nobody answers: this process may open the store
  }
  if (!res.ok) throw new Error(`the Plexus at ${url} refused the import (${res.status}): ${await res.text()}`);
  return (await res.json()) as Summary;
}
