import { sql, type Store } from '@plexus/store';
import type { CatalogError, LocatedEntity, Relation } from '../model/entity.ts';
import { apiOperationsOf, type StoredOperation } from './api-operations.ts';
import { currentRows, writeCatalog } from './write-catalog.ts';

/** What an import did, for the CLI's summary and the API's answer. */
export interface ImportSummary {
  source: string;
  entities: Record<string, number>;
  relations: number;
  operations: number;
  errors: CatalogError[];
}

/** Entities read from one source, with their relations and located problems. */
export interface Snapshot {
  entities: readonly LocatedEntity[];
  relations: readonly Relation[];
  errors: readonly CatalogError[];
}

/**
 * Entities whose ref another source already defines. One ref has one source,
 * as in Backstage: the later definition is reported where it is written, with
 * where the current one lives, and left out, so no import silently shadows another.
 */
async function conflicts(store: Store, source: string, entities: readonly LocatedEntity[]): Promise<Map<string, { file: string; line: number }>> {
  if (entities.length === 0) return new Map();
  const rows = await store.query<{ ref: string; file: string; line: number | string }>(sql`
    SELECT Ref AS ref, any(File) AS file, any(Line) AS line FROM (${currentRows('entities')})
    WHERE Source != ${source} AND Ref IN ${entities.map((e) => e.ref)} GROUP BY Ref`);
  return new Map(rows.map((r) => [r.ref, { file: r.file, line: Number(r.line) }]));
}

/** Derives API operations, leaves out conflicting entities, and replaces `source` with the rest. */
export async function writeSnapshot(store: Store, source: string, snapshot: Snapshot, opts: { allowedHosts?: readonly string[] } = {}): Promise<ImportSummary> {
  const errors = [...snapshot.errors];
  const taken = await conflicts(store, source, snapshot.entities);
  const entities = snapshot.entities.filter((e) => {
    const other = taken.get(e.ref);
    if (other) errors.push({ ...e.source, field: 'metadata.name', message: `${e.ref} is already defined in ${other.file}:${other.line}; this definition was not imported` });
    return !other;
  });
  const relations = snapshot.relations.filter((r) => !taken.has(r.source));
  const operations: StoredOperation[] = [];
  for (const e of entities) {
    if (e.entity.kind.toLowerCase() !== 'api') continue;
    const r = await apiOperationsOf(e, { allowedHosts: opts.allowedHosts ?? [] });
    operations.push(...r.operations);
    errors.push(...r.problems);
  }
  await writeCatalog(store, source, entities, relations, operations, BigInt(Date.now()) * 1000n);
  const byKind: Record<string, number> = {};
  for (const e of entities) byKind[e.entity.kind.toLowerCase()] = (byKind[e.entity.kind.toLowerCase()] ?? 0) + 1;
  return { source, entities: byKind, relations: relations.length, operations: operations.length, errors };
}
