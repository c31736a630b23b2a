import type { Store } from '@plexus/store';
import { loadCatalog, type LoadOptions } from '../backstage/load-catalog.ts';
import type { CatalogError } from '../model/entity.ts';
import { apiOperationsOf, type StoredOperation } from './api-operations.ts';
import { writeCatalog } from './write-catalog.ts';

/** What an import did, for the CLI's summary and the API's answer. */
export interface ImportSummary {
  source: string;
  entities: Record<string, number>;
  relations: number;
  operations: number;
  errors: CatalogError[];
}

/**
 * Reads catalog files (following Locations) and replaces what the same set of
 * roots imported before. Problems in some files never stop the rest.
 */
export async function importCatalog(store: Store, roots: readonly string[], opts: LoadOptions & { source?: string } = {}): Promise<ImportSummary> {
  const snapshot = await loadCatalog(roots, opts);
  const errors = [...snapshot.errors];
  const operations: StoredOperation[] = [];
  for (const e of snapshot.entities) {
    if (e.entity.kind.toLowerCase() !== 'api') continue;
    const r = await apiOperationsOf(e, { allowedHosts: opts.allowedHosts ?? [] });
    operations.push(...r.operations);
    errors.push(...r.problems);
  }
  // One import of a set of roots is one source: importing it again replaces it whole. A caller
  // whose set of files changes over time (a glob in plexus.yaml) names its source itself.
  const source = opts.source ?? [...roots].sort().join(',');
  await writeCatalog(store, source, snapshot.entities, snapshot.relations, operations, BigInt(Date.now()) * 1000n);
  const entities: Record<string, number> = {};
  for (const e of snapshot.entities) entities[e.entity.kind.toLowerCase()] = (entities[e.entity.kind.toLowerCase()] ?? 0) + 1;
  return { source, entities, relations: snapshot.relations.length, operations: operations.length, errors };
}
