import { sql, ident, encodeTsvRow, tsvString as s, tsvArray, tsvQuoted, tsvMap, type Store, type Sql } from '@plexus/store';
import type { LocatedEntity, Relation } from '../model/entity.ts';
import type { StoredOperation } from './api-operations.ts';

/**
 * Catalog tables: the columns each import writes, in order, and the marker row
 * (typed empty values) that records an import even when it leaves no rows.
 */
const TABLES = {
  entities: {
    name: 'catalog_entities',
    columns: ['Source', 'Version', 'Ref', 'Kind', 'Namespace', 'Name', 'Title', 'Description', 'Owner', 'Lifecycle', 'Type', 'System', 'Tags', 'Annotations', 'File', 'Document', 'Line', 'Entity'],
    marker: ['', '', '', '', '', '', '', '', '', '', '[]', '{}', '', '0', '0', ''],
  },
  relations: { name: 'catalog_relations', columns: ['Source', 'Version', 'FromRef', 'Type', 'ToRef'], marker: ['', '', ''] },
  operations: {
    name: 'catalog_operations',
    columns: ['Source', 'Version', 'ApiRef', 'Method', 'Path', 'FullPath', 'OperationId', 'Summary', 'Tags', 'Deprecated', 'StatusCodes'],
    marker: ['', '', '', '', '', '', '[]', 'false', '[]'],
  },
} as const;

export type CatalogTable = keyof typeof TABLES;

/** Rows of the newest import of every source, markers excluded (the third column is the row's key). */
export function currentRows(table: CatalogTable): Sql {
  const t = ident(TABLES[table].name);
  const key = ident(TABLES[table].columns[2]);
  return sql`SELECT * FROM ${t} WHERE ${key} != '' AND (Source, Version) IN (SELECT Source, max(Version) FROM ${t} GROUP BY Source)`;
}

const strings = (list: readonly string[]) => tsvArray(list.map(tsvQuoted));

/** Replaces everything `source` contributed to the catalog with these rows. */
export async function writeCatalog(store: Store, source: string, entities: readonly LocatedEntity[], relations: readonly Relation[], operations: readonly StoredOperation[], version: bigint): Promise<void> {
  const head = [s(source), version.toString()];
  // Index once: looking relations up per entity by scanning them all is quadratic in catalog size.
  const bySource = new Map<string, Relation[]>();
  for (const r of relations) {
    const list = bySource.get(r.source);
    if (list) list.push(r);
    else bySource.set(r.source, [r]);
  }
  const target = (ref: string, type: string, kind: string) => bySource.get(ref)?.find((r) => r.type === type && r.target.startsWith(kind))?.target ?? '';
  const entityRows = entities.map(({ ref, entity, source: at }) => {
    const spec = (entity.spec ?? {}) as Record<string, unknown>;
    const text = (k: string) => (typeof spec[k] === 'string' ? (spec[k] as string) : '');
    const [kind, rest] = ref.split(':') as [string, string];
    const [namespace, name] = rest.split('/') as [string, string];
    return encodeTsvRow([
      ...head, s(ref), s(kind), s(namespace), s(name), s(entity.metadata.title ?? ''), s(entity.metadata.description ?? ''),
      s(target(ref, 'ownedBy', '')), s(text('lifecycle')), s(text('type')), s(target(ref, 'partOf', 'system:')),
      strings(entity.metadata.tags ?? []), tsvMap(Object.entries(entity.metadata.annotations ?? {})),
      s(at.file), String(at.document), String(at.line), s(JSON.stringify(entity)),
    ]);
  });
  const relationRows = relations.map((r) => encodeTsvRow([...head, s(r.source), s(r.type), s(r.target)]));
  const operationRows = operations.map((o) => encodeTsvRow([
    ...head, s(o.apiRef), s(o.method), s(o.path), s(o.fullPath), s(o.operationId), s(o.summary), strings(o.tags), o.deprecated ? 'true' : 'false', strings(o.statusCodes),
  ]));
  // Each table gets its rows and its marker in one insert, so a reader never sees half an import of it.
  for (const [table, rows] of [['entities', entityRows], ['relations', relationRows], ['operations', operationRows]] as const) {
    const t = TABLES[table];
    await store.insertTsv(t.name, t.columns, Buffer.from(rows.join('') + encodeTsvRow([...head, ...t.marker])));
  }
}
