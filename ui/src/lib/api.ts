// The queries the UI sends and the shapes it gets back (see the SDL in DESIGN.md / query-api).
import { gql, type RequestOptions } from './graphql.ts';

export type NodeKind = 'SERVICE' | 'EXTERNAL' | 'DATABASE' | 'TOPIC';
export const NODE_KINDS: readonly NodeKind[] = ['SERVICE', 'DATABASE', 'EXTERNAL', 'TOPIC'];

export interface Latency {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface GraphNode {
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
const EDGE = `id source target sourceName targetName sourceKind targetKind calls errors errorRate callRate ${LATENCY} sources`;

export const DEPENDENCY_GRAPH_QUERY = `query DependencyGraph($from: DateTime!, $to: DateTime!) {
  dependencyGraph(from: $from, to: $to) {
    nodes { id name kind requests errors errorRate ${LATENCY} }
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
}

export interface CatalogEntity extends CatalogEntitySummary {
  relations: { type: string; target: string }[];
  source: { file: string; document: number; line: number };
  operations: ApiOperation[];
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
    operations { method path fullPath operationId summary deprecated statusCodes }
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
