import { sql, join, ident, type Sql, type Store } from '@plexus/store';
import { currentRows, parseRef, stringifyRef } from '@plexus/catalog';

/** An entity row as the catalog queries return it. */
export interface EntityRow {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title: string;
  description: string;
  owner: string;
  lifecycle: string;
  type: string;
  system: string;
  tags: string[];
  file: string;
  document: number;
  line: number;
  serviceName: string;
  /** An API's definition text as imported (placeholders resolved); '' for others. */
  definition: string;
}

export interface CatalogFilter {
  search?: string | null;
  kind?: string | null;
  owner?: string | null;
  lifecycle?: string | null;
  type?: string | null;
  system?: string | null;
}

/** Filterable facets and the column each one reads. */
const FACETS = { kind: 'Kind', owner: 'Owner', lifecycle: 'Lifecycle', type: 'Type', system: 'System' } as const;
export type Facet = keyof typeof FACETS;

/** The telemetry service name an entity answers to: its `plexus.dev/service-name` annotation, else its name. */
const SERVICE_NAME = sql`if(Annotations[${'plexus.dev/service-name'}] != '', Annotations[${'plexus.dev/service-name'}], Name)`;

const ENTITY_COLUMNS = sql`${SERVICE_NAME} AS serviceName, JSONExtractString(Entity, 'spec', 'definition') AS definition, Ref AS ref, Kind AS kind, Namespace AS namespace, Name AS name, Title AS title, Description AS description,
  Owner AS owner, Lifecycle AS lifecycle, Type AS type, System AS system, Tags AS tags, File AS file, Document AS document, Line AS line`;

function where(filter: CatalogFilter, except?: Facet): Sql {
  const parts: Sql[] = [sql`1`];
  const search = filter.search?.trim();
  if (search) parts.push(sql`(positionCaseInsensitive(Ref, ${search}) > 0 OR positionCaseInsensitive(Title, ${search}) > 0 OR positionCaseInsensitive(Description, ${search}) > 0)`);
  for (const [facet, column] of Object.entries(FACETS) as Array<[Facet, string]>) {
    const value = filter[facet];
    if (value && facet !== except) parts.push(sql`lower(${ident(column)}) = lower(${value})`);
  }
  return join(parts, sql` AND `);
}

/** One page of entities matching the filter, ordered by kind and name, with the total. */
export async function searchCatalog(store: Store, filter: CatalogFilter, first: number, offset: number): Promise<{ total: number; rows: EntityRow[] }> {
  const rows = await store.query<EntityRow & { total: string }>(sql`
    SELECT ${ENTITY_COLUMNS}, count() OVER () AS total
    FROM (${currentRows('entities')})
    WHERE ${where(filter)}
    ORDER BY Kind, Name, Ref
    LIMIT ${first} OFFSET ${offset}`);
  const total = rows.length > 0 ? Number(rows[0]!.total) : Number((await store.query<{ n: string }>(sql`SELECT count() AS n FROM (${currentRows('entities')}) WHERE ${where(filter)}`))[0]?.n ?? 0);
  return { total, rows: rows.map(({ total: _t, ...r }) => ({ ...r, document: Number(r.document), line: Number(r.line) })) };
}

/** Value counts of one facet, under every other filter. */
export async function facetCounts(store: Store, facet: Facet, filter: CatalogFilter): Promise<Array<{ value: string; count: number }>> {
  const column = ident(FACETS[facet]);
  const rows = await store.query<{ value: string; count: string }>(sql`
    SELECT ${column} AS value, count() AS count FROM (${currentRows('entities')})
    WHERE ${where(filter, facet)} AND ${column} != ''
    GROUP BY value ORDER BY count DESC, value`);
  return rows.map((r) => ({ value: r.value, count: Number(r.count) }));
}

/** The entity with this ref (any accepted spelling), or undefined. */
export async function findEntity(store: Store, ref: string): Promise<EntityRow | undefined> {
  const parsed = parseRef(ref, {});
  if (typeof parsed === 'string') return undefined;
  const [row] = await store.query<EntityRow>(sql`SELECT ${ENTITY_COLUMNS} FROM (${currentRows('entities')}) WHERE Ref = ${stringifyRef(parsed)} LIMIT 1`);
  return row ? { ...row, document: Number(row.document), line: Number(row.line) } : undefined;
}

/** Entities whose owner is this ref, by kind and name. */
export async function ownedBy(store: Store, owner: string, kind?: string | null): Promise<EntityRow[]> {
  const only = kind ? sql`AND Kind = lower(${kind})` : sql``;
  const rows = await store.query<EntityRow>(sql`SELECT ${ENTITY_COLUMNS} FROM (${currentRows('entities')}) WHERE Owner = ${owner} ${only} ORDER BY Kind, Name, Ref`);
  return rows.map((r) => ({ ...r, document: Number(r.document), line: Number(r.line) }));
}

/** Relations from this entity (both directions are stored, so this is complete). */
export async function relationsOf(store: Store, ref: string): Promise<Array<{ type: string; target: string }>> {
  return store.query(sql`SELECT DISTINCT Type AS type, ToRef AS target FROM (${currentRows('relations')}) WHERE FromRef = ${ref} ORDER BY type, target`);
}

/** The operations an API declares. */
export async function operationsOf(store: Store, apiRef: string) {
  const rows = await store.query<{ method: string; path: string; fullPath: string; operationId: string; summary: string; deprecated: boolean | number; statusCodes: string[]; tags: string[] }>(sql`
    SELECT DISTINCT Method AS method, Path AS path, FullPath AS fullPath, OperationId AS operationId, Summary AS summary, Deprecated AS deprecated, StatusCodes AS statusCodes, Tags AS tags
    FROM (${currentRows('operations')}) WHERE ApiRef = ${apiRef} ORDER BY fullPath, method`);
  return rows.map((r) => ({ ...r, deprecated: Boolean(r.deprecated), operationId: r.operationId || null, summary: r.summary || null }));
}

/** The catalog's view of a telemetry service: its component, owner and system. */
export interface ServiceCatalogInfo {
  component: string;
  owner: string | null;
  system: string | null;
  /** The domain its system is part of. */
  domain: string | null;
}

/** Resource types that name a message topic or queue (DESIGN.md §8: topics -> topic Resources). */
const TOPIC_TYPES = ['topic', 'kafka-topic', 'queue', 'stream', 'event-stream', 'sns-topic', 'sqs-queue', 'pubsub-topic'];

/**
 * The catalog entity behind each map node, keyed by node id: components under
 * `service:<name>` (the `plexus.dev/service-name` annotation, else the name),
 * topic Resources under `topic:<name>` (the `plexus.dev/topic-name`
 * annotation, else the name). DESIGN.md §8.
 */
export async function catalogByNode(store: Store): Promise<Map<string, ServiceCatalogInfo>> {
  const [rows, domains] = await Promise.all([
    store.query<{ key: string; ref: string; owner: string; system: string }>(sql`
      SELECT if(Kind = 'component', concat('service:', ${SERVICE_NAME}),
          concat('topic:', if(Annotations[${'plexus.dev/topic-name'}] != '', Annotations[${'plexus.dev/topic-name'}], Name))) AS key,
        Ref AS ref, Owner AS owner, System AS system
      FROM (${currentRows('entities')})
      WHERE Kind = 'component' OR (Kind = 'resource' AND lower(Type) IN ${TOPIC_TYPES})`),
    store.query<{ system: string; domain: string }>(sql`
      SELECT FromRef AS system, any(ToRef) AS domain FROM (${currentRows('relations')})
      WHERE Type = 'partOf' AND startsWith(FromRef, 'system:') AND startsWith(ToRef, 'domain:') GROUP BY FromRef`),
  ]);
  const domainOf = new Map(domains.map((d) => [d.system, d.domain]));
  return new Map(rows.map((r) => [r.key, { component: r.ref, owner: r.owner || null, system: r.system || null, domain: domainOf.get(r.system) ?? null }]));
}

/** A component as traffic sees it: its ref, owner and what it declares. */
export interface IndexedComponent {
  ref: string;
  service: string;
  owner: string | null;
  system: string | null;
  provides: string[];
  consumes: string[];
  dependsOn: string[];
}

/** The catalog as the matcher, governance and reuse read it; built once per request. */
export interface CatalogIndex {
  /** Components keyed by the telemetry service name they answer to. */
  components: Map<string, IndexedComponent>;
  /** Telemetry service name of each component ref. */
  serviceOf: Map<string, string>;
  /** API refs each telemetry service provides: declared by its component, or named by the API's service-name annotation. */
  providedBy: Map<string, string[]>;
  apiOperations: Map<string, Array<{ method: string; fullPath: string; deprecated: boolean }>>;
  /** Every entity ref in the catalog (to tell a dangling owner from a real one). */
  refs: Set<string>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Reads the catalog into the index the matcher and governance use. */
export async function catalogIndex(store: Store): Promise<CatalogIndex> {
  const [entities, relations, operations] = await Promise.all([
    store.query<{ ref: string; kind: string; service: string; owner: string; system: string; annotated: number | boolean }>(sql`
      SELECT Ref AS ref, Kind AS kind, ${SERVICE_NAME} AS service, Owner AS owner, System AS system,
        Annotations[${'plexus.dev/service-name'}] != '' AS annotated
      FROM (${currentRows('entities')})`),
    store.query<{ from: string; type: string; to: string }>(sql`
      SELECT DISTINCT FromRef AS from, Type AS type, ToRef AS to FROM (${currentRows('relations')})
      WHERE Type IN ('providesApi', 'consumesApi', 'dependsOn') AND startsWith(FromRef, 'component:')`),
    store.query<{ api: string; method: string; fullPath: string; deprecated: boolean | number }>(sql`
      SELECT DISTINCT ApiRef AS api, Method AS method, FullPath AS fullPath, Deprecated AS deprecated FROM (${currentRows('operations')})`),
  ]);
  const byRefAndType = new Map<string, string[]>();
  for (const r of relations) push(byRefAndType, `${r.from} ${r.type}`, r.to);
  const declared = (ref: string, type: string) => byRefAndType.get(`${ref} ${type}`) ?? [];
  const components = new Map<string, IndexedComponent>();
  const serviceOf = new Map<string, string>();
  const providedBy = new Map<string, string[]>();
  for (const e of entities) {
    if (e.kind === 'component') {
      const c = { ref: e.ref, service: e.service, owner: e.owner || null, system: e.system || null, provides: declared(e.ref, 'providesApi'), consumes: declared(e.ref, 'consumesApi'), dependsOn: declared(e.ref, 'dependsOn') };
      components.set(e.service, c);
      serviceOf.set(e.ref, e.service);
      for (const api of c.provides) push(providedBy, e.service, api);
    } else if (e.kind === 'api' && Boolean(Number(e.annotated))) {
      // An API can name the service that serves it (gateway imports do): no component needed.
      if (!(providedBy.get(e.service) ?? []).includes(e.ref)) push(providedBy, e.service, e.ref);
    }
  }
  for (const [service, apis] of providedBy) providedBy.set(service, [...new Set(apis)]);
  const apiOperations = new Map<string, Array<{ method: string; fullPath: string; deprecated: boolean }>>();
  for (const o of operations) push(apiOperations, o.api, { method: o.method, fullPath: o.fullPath, deprecated: Boolean(o.deprecated) });
  return { components, serviceOf, providedBy, apiOperations, refs: new Set(entities.map((e) => e.ref)) };
}
