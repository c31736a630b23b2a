import { resolve } from 'node:path';
import type { Store } from '@plexus/store';
import { loadCatalog, type LoadOptions } from '../backstage/load-catalog.ts';
import { writeSnapshot, type ImportSummary } from './write-snapshot.ts';

export type { ImportSummary };

/**
 * Reads catalog files (following Locations) and replaces what the same set of
 * roots imported before. Problems in some files never stop the rest.
 */
export async function importCatalog(store: Store, roots: readonly string[], opts: LoadOptions & { source?: string } = {}): Promise<ImportSummary> {
  // One import of a set of roots is one source: importing it again replaces it whole. A caller
  // whose set of files changes over time (a glob in plexus.yaml) names its source itself.
  // Paths are resolved first, so `dir//a.yaml` and `dir/a.yaml` are the same source.
  const source = opts.source ?? [...roots].map((r) => (/^https?:\/\//.test(r) ? r : resolve(r))).sort().join(',');
  return writeSnapshot(store, source, await loadCatalog(roots, opts), opts);
}
