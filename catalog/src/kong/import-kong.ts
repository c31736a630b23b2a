import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Store } from '@plexus/store';
import { writeSnapshot, type ImportSummary } from '../sync/write-snapshot.ts';
import { mergeKongConfigs, type KongConfig } from './deck-types.ts';
import { parseDeck } from './parse-deck.ts';
import { kongToEntities } from './to-entities.ts';
import { fetchKongConfig, type KongAdminTarget } from './admin-api.ts';

/**
 * Imports decK files as one source (`kong:<sorted files>`): importing the same
 * files again replaces what they contributed. A bad file or object is
 * reported; everything else still imports.
 */
export async function importKongDeck(store: Store, files: readonly string[]): Promise<ImportSummary> {
  const paths = files.map((f) => resolve(f)).sort();
  const configs: KongConfig[] = [];
  for (const file of paths) {
    try {
      configs.push(parseDeck(await readFile(file, 'utf8'), file));
    } catch (err) {
      configs.push({ services: [], routes: [], consumers: [], problems: [{ file, document: 0, line: 0, field: '', message: `cannot read ${file}: ${(err as Error).message}` }] });
    }
  }
  return writeSnapshot(store, `kong:${paths.join(',')}`, kongToEntities(mergeKongConfigs(configs)));
}

/**
 * Imports what a Kong Admin API holds as the source `kong-admin:<adminUrl>`.
 * When a list cannot be read whole (Kong down, 401, …) nothing is written, so
 * an outage does not empty the catalog: the summary carries the problems.
 */
export async function importKongAdmin(store: Store, target: Omit<KongAdminTarget, 'allowedHosts'>, opts: { allowedHosts?: readonly string[]; fetchImpl?: typeof fetch } = {}): Promise<ImportSummary> {
  const source = `kong-admin:${target.adminUrl}`;
  const config = await fetchKongConfig({ ...target, allowedHosts: opts.allowedHosts }, opts.fetchImpl);
  if (!config.complete) return { source, entities: {}, relations: 0, operations: 0, errors: config.problems };
  return writeSnapshot(store, source, kongToEntities(config));
}
