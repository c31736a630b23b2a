// The queries the UI sends and the shapes it gets back (see the SDL in DESIGN.md / query-api).
import { gql, type RequestOptions } from './graphql.ts';

export type NodeKind = 'SERVICE' | 'EXTERNAL' | 'DATABASE' | 'TOPIC';
export const NODE_KINDS: readonly NodeKind[] = ['SERVICE', 'DATABASE', 'EXTERNAL', 'TOPIC'];

export interface Latency {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

// ---- Ownership on the map (graph.graphql Node: component owner system domain) ----
/** Catalog refs of a SERVICE node's component, owner, system and domain; null when it is not cataloged. */
export interface NodeOwnership {
  component?: string | null;
  owner?: string | null;
  system?: string | null;
  domain?: string | null;
}
const NODE_OWNERSHIP = 'component owner system domain';
// ---- end of ownership on the map ----

export interface GraphNode extends NodeOwnership {
  id: string;
  name: string;
  kind: NodeKind;
  requests: number;
  errors: number;
  errorRate: number;
  latency: Latency;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  sourceName: string;
  targetName: string;
  sourceKind: NodeKind;
  targetKind: NodeKind;
  calls: number;
  errors: number;
  errorRate: number;
  callRate: number;
  latency: Latency;
  sources: string[];
  /** TOPIC edges: messages per second. */
  messageRate?: number | null;
  /** TOPIC -> consumer edges known to Kafka: the group's newest total lag. */
  lag?: number | null;
}

export interface DependencyGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface ServiceSummary {
  name: string;
  requests: number;
  errors: number;
  errorRate: number;
  requestRate: number;
  latency: Latency;
}

export interface ServicePoint {
  time: string;
  requests: number;
  errors: number;
  errorRate: number;
  requestRate: number;
  latency: Latency;
}

export interface OperationStats {
  name: string;
  kind: string;
  requests: number;
  errors: number;
  errorRate: number;
  latency: Latency;
}

export interface ServiceDetail extends ServiceSummary {
  series: ServicePoint[];
  operations: OperationStats[];
  upstream: GraphEdge[];
  downstream: GraphEdge[];
}

export interface Window {
  from: string;
  to: string;
}

const LATENCY = 'latency { p50 p95 p99 }';
const EDGE = `id source target sourceName targetName sourceKind targetKind calls errors errorRate callRate ${LATENCY} sources messageRate lag`;

export const DEPENDENCY_GRAPH_QUERY = `query DependencyGraph($from: DateTime!, $to: DateTime!) {
  dependencyGraph(from: $from, to: $to) {
    nodes { id name kind requests errors errorRate ${LATENCY} ${NODE_OWNERSHIP} }
    edges { ${EDGE} }
  }
}`;

export const SERVICES_QUERY = `query Services($from: DateTime!, $to: DateTime!) {
  services(from: $from, to: $to) { name requests errors errorRate requestRate ${LATENCY} }
}`;

export const SERVICE_QUERY = `query Service($name: String!, $from: DateTime!, $to: DateTime!) {
  service(name: $name, from: $from, to: $to) {
    name requests errors errorRate requestRate ${LATENCY}
    series { time requests errors errorRate requestRate ${LATENCY} }
    operations { name kind requests errors errorRate ${LATENCY} }
    upstream { ${EDGE} }
    downstream { ${EDGE} }
  }
}`;

export async function fetchDependencyGraph(w: Window, opts?: RequestOptions): Promise<DependencyGraph> {
  const d = await gql<{ dependencyGraph: DependencyGraph }>(DEPENDENCY_GRAPH_QUERY, { ...w }, opts);
  return d.dependencyGraph;
}

export async function fetchServices(w: Window, opts?: RequestOptions): Promise<ServiceSummary[]> {
  const d = await gql<{ services: ServiceSummary[] }>(SERVICES_QUERY, { ...w }, opts);
  return d.services;
}

export async function fetchService(name: string, w: Window, opts?: RequestOptions): Promise<ServiceDetail | null> {
  const d = await gql<{ service: ServiceDetail | null }>(SERVICE_QUERY, { name, ...w }, opts);
  return d.service;
}

export const KIND_LABEL: Record<NodeKind, string> = {
  SERVICE: 'Service',
  DATABASE: 'Database',
  EXTERNAL: 'External',
  TOPIC: 'Topic',
};

// Catalog (Backstage entities imported with `plexus catalog import`).

export interface CatalogEntitySummary {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title: string | null;
  description: string | null;
  owner: string | null;
  lifecycle: string | null;
  type: string | null;
  system: string | null;
  tags: string[];
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface CatalogFacets {
  kind: FacetValue[];
  owner: FacetValue[];
  lifecycle: FacetValue[];
  type: FacetValue[];
  system: FacetValue[];
}

export interface CatalogPage {
  totalCount: number;
  edges: { cursor: string; node: CatalogEntitySummary }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  facets: CatalogFacets;
}

export interface ApiOperation {
  method: string;
  path: string;
  fullPath: string;
  operationId: string | null;
  summary: string | null;
  deprecated: boolean;
  statusCodes: string[];
  tags: string[];
}

export interface CatalogEntity extends CatalogEntitySummary {
  relations: { type: string; target: string }[];
  source: { file: string; document: number; line: number };
  operations: ApiOperation[];
  /** Components: the telemetry service name (plexus.dev/service-name, else the name). */
  serviceName: string | null;
  /** APIs: the definition text as imported. */
  definition: string | null;
}

export interface CatalogQueryVariables {
  search: string | null;
  kind: string | null;
  owner: string | null;
  lifecycle: string | null;
  type: string | null;
  system: string | null;
  first?: number;
  after?: string | null;
}

const ENTITY_SUMMARY = 'ref kind namespace name title description owner lifecycle type system tags';
const FACET = '{ value count }';

export const CATALOG_QUERY = `query Catalog($search: String, $kind: String, $owner: String, $lifecycle: String, $type: String, $system: String, $first: Int, $after: String) {
  catalog(search: $search, kind: $kind, owner: $owner, lifecycle: $lifecycle, type: $type, system: $system, first: $first, after: $after) {
    totalCount
    edges { cursor node { ${ENTITY_SUMMARY} } }
    pageInfo { hasNextPage endCursor }
    facets { kind ${FACET} owner ${FACET} lifecycle ${FACET} type ${FACET} system ${FACET} }
  }
}`;

export const ENTITY_QUERY = `query Entity($ref: String!) {
  entity(ref: $ref) {
    ${ENTITY_SUMMARY}
    relations { type target }
    source { file document line }
    operations { method path fullPath operationId summary deprecated statusCodes tags }
    serviceName definition
  }
}`;

export const CATALOG_PAGE_SIZE = 50;

export async function fetchCatalog(v: CatalogQueryVariables, opts?: RequestOptions): Promise<CatalogPage> {
  const d = await gql<{ catalog: CatalogPage }>(CATALOG_QUERY, { first: CATALOG_PAGE_SIZE, ...v }, opts);
  return d.catalog;
}

export async function fetchEntity(ref: string, opts?: RequestOptions): Promise<CatalogEntity | null> {
  const d = await gql<{ entity: CatalogEntity | null }>(ENTITY_QUERY, { ref }, opts);
  return d.entity;
}

// Governance: where traffic and the catalog disagree.

export type FindingKind =
  | 'SHADOW_ENDPOINT'
  | 'UNUSED_API'
  | 'UNUSED_OPERATION'
  | 'DEPRECATED_IN_USE'
  | 'UNDECLARED_DEPENDENCY'
  | 'STALE_DECLARATION'
  | 'NO_OWNER'
  | 'UNCATALOGED_SERVICE';

export const FINDING_KINDS: readonly FindingKind[] = [
  'SHADOW_ENDPOINT',
  'UNUSED_API',
  'UNUSED_OPERATION',
  'DEPRECATED_IN_USE',
  'UNDECLARED_DEPENDENCY',
  'STALE_DECLARATION',
  'NO_OWNER',
  'UNCATALOGED_SERVICE',
];

export type Severity = 'HIGH' | 'MEDIUM' | 'LOW';

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  message: string;
  entityRef: string | null;
  service: string | null;
  method: string | null;
  path: string | null;
  counterpart: string | null;
}

export const GOVERNANCE_QUERY = `query Governance($from: DateTime!, $to: DateTime!) {
  governance(from: $from, to: $to) {
    findings { kind severity message entityRef service method path counterpart }
  }
}`;

export async function fetchGovernance(w: Window, opts?: RequestOptions): Promise<Finding[]> {
  const d = await gql<{ governance: { findings: Finding[] } }>(GOVERNANCE_QUERY, { ...w }, opts);
  return d.governance.findings;
}

// ---------------------------------------------------------------------------
// API reuse (query-api/src/schema/reuse.graphql): an API's consumers, traffic and
// reuse trend, declared vs observed APIs of a component, what a group owns, and
// the reuse ranking of every API.

export interface ApiConsumer {
  service: string;
  /** Ref of the consuming service's component, when cataloged. */
  component: string | null;
  /** Ref of that component's owner. */
  team: string | null;
  calls: number;
  errors: number;
  errorRate: number;
  latency: { p95: number | null };
  /** `METHOD /path` (or `CHANNEL address`). */
  operations: string[];
}

export interface ReusePoint {
  time: string;
  consumers: number;
  calls: number;
}

export interface ApiReuseTrend {
  consumers: number;
  previousConsumers: number;
  teams: number;
  trend: ReusePoint[];
}

export interface ApiTrafficPoint {
  time: string;
  calls: number;
  errors: number;
  errorRate: number;
  consumers: number;
  latency: { p95: number | null };
}

export interface ApiTraffic {
  calls: number;
  errors: number;
  errorRate: number;
  callRate: number;
  latency: Latency;
  series: ApiTrafficPoint[];
}

/** What an API did in a window: who called it, how much, and how reuse moved. */
export interface ApiActivity {
  lastSeen: string | null;
  consumers: ApiConsumer[];
  reuse: ApiReuseTrend | null;
  traffic: ApiTraffic | null;
}

export interface EntityLink {
  ref: string;
  name: string;
  title: string | null;
}

export interface ApiUsage {
  api: string;
  entity: EntityLink | null;
  declared: boolean;
  observed: boolean;
  calls: number;
}

export interface ComponentApis {
  providesApis: ApiUsage[];
  consumesApis: ApiUsage[];
}

export interface OwnedEntity extends EntityLink {
  kind: string;
}

export interface ApiReuse {
  api: { ref: string; name: string; title: string | null; owner: string | null; lifecycle: string | null };
  consumers: number;
  teams: number;
  calls: number;
  consumerServices: string[];
}

export interface DuplicateOperation {
  method: string;
  /** Normalised template, parameters as `{}`. */
  path: string;
  apis: { ref: string; name: string }[];
}

export interface ReuseReport {
  apis: ApiReuse[];
  singleConsumer: ApiReuse[];
  duplicates: DuplicateOperation[];
}

export const API_ACTIVITY_QUERY = `query ApiActivity($ref: String!, $from: DateTime!, $to: DateTime!) {
  entity(ref: $ref) {
    lastSeen
    consumers(from: $from, to: $to) { service component team calls errors errorRate latency { p95 } operations }
    reuse(from: $from, to: $to) { consumers previousConsumers teams trend { time consumers calls } }
    traffic(from: $from, to: $to) {
      calls errors errorRate callRate ${LATENCY}
      series { time calls errors errorRate consumers latency { p95 } }
    }
  }
}`;

const USAGE = 'api entity { ref name title } declared observed calls';

export const COMPONENT_APIS_QUERY = `query ComponentApis($ref: String!, $from: DateTime!, $to: DateTime!) {
  entity(ref: $ref) {
    providesApis(from: $from, to: $to) { ${USAGE} }
    consumesApis(from: $from, to: $to) { ${USAGE} }
  }
}`;

export const OWNS_QUERY = `query Owns($ref: String!) {
  entity(ref: $ref) { owns { ref kind name title } }
}`;

const REUSE_ROW = 'api { ref name title owner lifecycle } consumers teams calls consumerServices';

export const REUSE_QUERY = `query Reuse($from: DateTime!, $to: DateTime!) {
  reuse(from: $from, to: $to) {
    apis { ${REUSE_ROW} }
    singleConsumer { ${REUSE_ROW} }
    duplicates { method path apis { ref name } }
  }
}`;

/** An API's consumers, traffic, reuse trend and last call; null when the ref is unknown. */
export async function fetchApiActivity(ref: string, w: Window, opts?: RequestOptions): Promise<ApiActivity | null> {
  const d = await gql<{ entity: ApiActivity | null }>(API_ACTIVITY_QUERY, { ref, ...w }, opts);
  return d.entity;
}

/** A component's declared and observed APIs, both ways; null when the ref is unknown. */
export async function fetchComponentApis(ref: string, w: Window, opts?: RequestOptions): Promise<ComponentApis | null> {
  const d = await gql<{ entity: ComponentApis | null }>(COMPONENT_APIS_QUERY, { ref, ...w }, opts);
  return d.entity;
}

/** The entities a group or user owns; null when the ref is unknown. */
export async function fetchOwns(ref: string, opts?: RequestOptions): Promise<OwnedEntity[] | null> {
  const d = await gql<{ entity: { owns: OwnedEntity[] } | null }>(OWNS_QUERY, { ref }, opts);
  return d.entity?.owns ?? null;
}

/** Every cataloged API ranked by distinct consumers, single-consumer APIs and duplicated operations. */
export async function fetchReuse(w: Window, opts?: RequestOptions): Promise<ReuseReport> {
  const d = await gql<{ reuse: ReuseReport }>(REUSE_QUERY, { ...w }, opts);
  return d.reuse;
}

// ---------------------------------------------------------------------------
// Topics (query-api/src/schema/topics.graphql): throughput, producers and consumers,
// consumer groups and their lag, CloudEvents read from a topic.

export interface TopicSummary {
  name: string;
  messages: number;
  messageRate: number;
  producers: string[];
  consumers: string[];
}

export interface PartitionLag {
  partition: number;
  endOffset: number;
  committedOffset: number;
  lag: number;
}

export interface LagPoint {
  time: string;
  lag: number;
}

export interface ConsumerGroupLag {
  groupId: string;
  state: string | null;
  lag: number;
  partitions: PartitionLag[];
  members: { clientId: string; host: string }[];
  series: LagPoint[];
}

export interface TopicPoint {
  time: string;
  messages: number;
}

export interface TopicEvent {
  time: string;
  partition: number;
  offset: string;
  key: string;
  ceId: string;
  ceType: string;
  ceSource: string;
  ceSubject: string;
  traceId: string;
  producer: string;
}

export interface TopicDetail extends TopicSummary {
  consumerGroups: ConsumerGroupLag[];
  eventTypes: { type: string; count: number }[];
  channel: { api: string; address: string } | null;
  resource: string | null;
  owner: string | null;
  throughput: TopicPoint[];
  events: TopicEvent[];
}

const TOPIC_SUMMARY = 'name messages messageRate producers consumers';

export const TOPICS_QUERY = `query Topics($from: DateTime!, $to: DateTime!) {
  topics(from: $from, to: $to) { ${TOPIC_SUMMARY} }
}`;

export const TOPIC_QUERY = `query Topic($name: String!, $from: DateTime!, $to: DateTime!, $traceId: String) {
  topic(name: $name, from: $from, to: $to) {
    ${TOPIC_SUMMARY}
    consumerGroups {
      groupId state lag
      partitions { partition endOffset committedOffset lag }
      members { clientId host }
      series { time lag }
    }
    eventTypes { type count }
    channel { api address }
    resource owner
    throughput { time messages }
    events(traceId: $traceId, first: 100) { time partition offset key ceId ceType ceSource ceSubject traceId producer }
  }
}`;

export async function fetchTopics(w: Window, opts?: RequestOptions): Promise<TopicSummary[]> {
  const d = await gql<{ topics: TopicSummary[] }>(TOPICS_QUERY, { ...w }, opts);
  return d.topics;
}

export async function fetchTopic(name: string, w: Window, traceId: string | null, opts?: RequestOptions): Promise<TopicDetail | null> {
  const d = await gql<{ topic: TopicDetail | null }>(TOPIC_QUERY, { name, ...w, traceId }, opts);
  return d.topic;
}

// ---------------------------------------------------------------------------
// Sources (query-api/src/schema/sources.graphql): mesh metrics targets with their last scrape,
// and gateways whose access logs arrived in the window.

export interface MeshTarget {
  name: string;
  url: string;
  /** `istio` or `linkerd`. */
  mesh: string;
  up: boolean;
  /** Last successful scrape; null before the first. */
  lastScrape: string | null;
  /** Why the last scrape failed; null when it succeeded. */
  lastError: string | null;
  series: number;
  rejects: number;
  updatedAt: string;
}

export interface GatewaySource {
  name: string;
  format: string;
  calls: number;
  errors: number;
  upstreams: string[];
  consumers: number;
}

export interface Sources {
  meshTargets: MeshTarget[];
  gateways: GatewaySource[];
}

export const SOURCES_QUERY = `query Sources($from: DateTime!, $to: DateTime!) {
  sources(from: $from, to: $to) {
    meshTargets { name url mesh up lastScrape lastError series rejects updatedAt }
    gateways { name format calls errors upstreams consumers }
  }
}`;

/** The rail's badge needs only which targets are up. */
export const SOURCE_STATUS_QUERY = `query SourceStatus($from: DateTime!, $to: DateTime!) {
  sources(from: $from, to: $to) { meshTargets { name up } }
}`;

/** Mesh targets and the gateways seen in the window. */
export async function fetchSources(w: Window, opts?: RequestOptions): Promise<Sources> {
  const d = await gql<{ sources: Sources }>(SOURCES_QUERY, { ...w }, opts);
  return d.sources;
}

/** Name and up/down of every mesh target, for the rail's warning badge. */
export async function fetchSourceStatus(w: Window, opts?: RequestOptions): Promise<Pick<MeshTarget, 'name' | 'up'>[]> {
  const d = await gql<{ sources: { meshTargets: Pick<MeshTarget, 'name' | 'up'>[] } }>(SOURCE_STATUS_QUERY, { ...w }, opts);
  return d.sources.meshTargets;
}
