import { sql, type Store } from '@plexus/store';
import { currentRows, writeCatalog, relationsOf, uniqueRelations, type Entity, type LocatedEntity, type StoredOperation } from '@plexus/catalog';

/** The catalog source that holds every entity created or edited through GraphQL. */
export const GRAPHQL_SOURCE = 'graphql';

/** Everything the graphql source holds now, and the version it was written under. */
export interface SourceState {
  entities: LocatedEntity[];
  operations: StoredOperation[];
  version: bigint;
}

/** Where a ref is defined now: one row per source that has it. */
export async function definitionsOf(store: Store, ref: string): Promise<Array<{ source: string; file: string; document: number; line: number }>> {
  const rows = await store.query<{ source: string; file: string; document: number | string; line: number | string }>(sql`
    SELECT Source AS source, File AS file, Document AS document, Line AS line FROM (${currentRows('entities')}) WHERE Ref = ${ref} ORDER BY source`);
  return rows.map((r) => ({ ...r, document: Number(r.document), line: Number(r.line) }));
}

/** Reads the graphql source back: entities from their stored JSON, operations as stored. */
export async function readGraphqlSource(store: Store): Promise<SourceState> {
  const [entities, operations, [latest]] = await Promise.all([
    store.query<{ ref: string; entity: string; file: string; document: number | string; line: number | string }>(sql`
      SELECT Ref AS ref, Entity AS entity, File AS file, Document AS document, Line AS line FROM (${currentRows('entities')}) WHERE Source = ${GRAPHQL_SOURCE} ORDER BY ref`),
    store.query<Omit<StoredOperation, 'deprecated'> & { deprecated: boolean | number }>(sql`
      SELECT ApiRef AS apiRef, Method AS method, Path AS path, FullPath AS fullPath, OperationId AS operationId, Summary AS summary,
        Tags AS tags, Deprecated AS deprecated, StatusCodes AS statusCodes
      FROM (${currentRows('operations')}) WHERE Source = ${GRAPHQL_SOURCE}`),
    // Markers count: a source emptied by deletes still has a version the next write must exceed.
    store.query<{ version: string }>(sql`SELECT toString(max(Version)) AS version FROM catalog_entities WHERE Source = ${GRAPHQL_SOURCE}`),
  ]);
  return {
    entities: entities.map((r) => ({ ref: r.ref, entity: JSON.parse(r.entity) as Entity, source: { file: r.file, document: Number(r.document), line: Number(r.line) } })),
    operations: operations.map((o) => ({ ...o, deprecated: Boolean(o.deprecated) })),
    version: BigInt(latest?.version ?? '0'),
  };
}

/** Writes the graphql source whole, relations derived from the entities, under a version newer than `after`. */
export async function writeGraphqlSource(store: Store, entities: readonly LocatedEntity[], operations: readonly StoredOperation[], after: bigint): Promise<void> {
  const relations = uniqueRelations(entities.flatMap((e) => relationsOf(e.ref, e.entity).relations));
  // Two writes in one millisecond must still get distinct, increasing versions, or a reader would see both.
  const now = BigInt(Date.now()) * 1000n;
  await writeCatalog(store, GRAPHQL_SOURCE, entities, relations, operations, now > after ? now : after + 1n);
}

const chains = new WeakMap<Store, Promise<unknown>>();

/**
 * Runs edits of one store one after another: each reads the source, changes
 * it and writes it whole, so two at once would otherwise lose one's change.
 */
export function serialized<T>(store: Store, edit: () => Promise<T>): Promise<T> {
  const run = (chains.get(store) ?? Promise.resolve()).then(edit, edit);
  chains.set(store, run.catch(() => {}));
  return run;
}
