// Queries and result shapes for latency investigation (issue 6): a service's latency heatmap and
// call depths, where an entry point's time goes (criticalPath), what changed between two windows
// (graphDiff), what breaks if a service fails (impact), and the service page's trace lists (through
// the trace search's query, traces-api.ts). The SDL is query-api/src/schema/investigate.graphql.
import { gql, type RequestOptions } from './graphql.ts';
import type { NodeKind, Window } from './api.ts';
import { fetchTraces, type TraceConnection } from './traces-api.ts';
import { EMPTY_FILTERS, traceVariables, type TraceFilters } from './trace-search.ts';

// ---- service(...) { latencyHeatmap callDepths } ----

export interface HeatmapCell {
  time: string;
  bucket: number;
  count: number;
}

export interface LatencyHeatmap {
  /** Seconds per column (a multiple of 60). */
  step: number;
  /** Ascending bucket bounds in ms; bucket i is [bounds[i], bounds[i+1]), the last one open-ended. */
  bounds: number[];
  cells: HeatmapCell[];
}

export interface CallDepth {
  max: number;
  p50: number;
  /** Services along the deepest chain, entry service first. */
  deepestChain: string[];
}

export interface OperationCallDepth {
  operation: string;
  kind: string;
  sampledSpans: number;
  entryPoint: boolean;
  callDepth: CallDepth;
}

const CALL_DEPTH = 'callDepth { max p50 deepestChain }';

export const LATENCY_HEATMAP_QUERY = `query LatencyHeatmap($name: String!, $from: DateTime!, $to: DateTime!, $step: Int, $buckets: Int) {
  service(name: $name, from: $from, to: $to) {
    name
    latencyHeatmap(step: $step, buckets: $buckets) { step bounds cells { time bucket count } }
  }
}`;

export const CALL_DEPTHS_QUERY = `query CallDepths($name: String!, $from: DateTime!, $to: DateTime!) {
  service(name: $name, from: $from, to: $to) {
    name
    callDepths { operation kind sampledSpans entryPoint ${CALL_DEPTH} }
  }
}`;

/** The service's entry-span duration heatmap; null when the service has no traffic in the window. */
export async function fetchLatencyHeatmap(
  name: string,
  w: Window,
  opts: RequestOptions & { step?: number; buckets?: number } = {},
): Promise<LatencyHeatmap | null> {
  // Unset variables are left out, not sent as null: an explicit null would override `buckets = 24`.
  const vars: Record<string, unknown> = { name, ...w };
  if (opts.step !== undefined) vars['step'] = opts.step;
  if (opts.buckets !== undefined) vars['buckets'] = opts.buckets;
  const d = await gql<{ service: { latencyHeatmap: LatencyHeatmap } | null }>(LATENCY_HEATMAP_QUERY, vars, opts);
  return d.service?.latencyHeatmap ?? null;
}

/** Call-chain depth below each operation of the service; empty when it has no traffic. */
export async function fetchCallDepths(name: string, w: Window, opts?: RequestOptions): Promise<OperationCallDepth[]> {
  const d = await gql<{ service: { callDepths: OperationCallDepth[] } | null }>(CALL_DEPTHS_QUERY, { name, ...w }, opts);
  return d.service?.callDepths ?? [];
}

// ---- criticalPath(service, operation) ----

export interface CriticalPathContributor {
  service: string;
  operation: string;
  /** 0..1 of the entry point's critical-path time. */
  share: number;
  meanSelfMs: number;
  p95SelfMs: number;
  spans: number;
}

export interface CriticalPathBreakdown {
  service: string;
  operation: string;
  sampledSpans: number;
  totalSpans: number;
  meanDurationMs: number | null;
  p95DurationMs: number | null;
  contributors: CriticalPathContributor[];
  callDepth: CallDepth;
}

export const CRITICAL_PATH_QUERY = `query CriticalPath($service: String!, $operation: String!, $from: DateTime!, $to: DateTime!) {
  criticalPath(service: $service, operation: $operation, from: $from, to: $to) {
    service operation sampledSpans totalSpans meanDurationMs p95DurationMs
    contributors { service operation share meanSelfMs p95SelfMs spans }
    ${CALL_DEPTH}
  }
}`;

/** Where the time of one entry point goes, over the server's deterministic sample. */
export async function fetchCriticalPath(service: string, operation: string, w: Window, opts?: RequestOptions): Promise<CriticalPathBreakdown> {
  const d = await gql<{ criticalPath: CriticalPathBreakdown }>(CRITICAL_PATH_QUERY, { service, operation, ...w }, opts);
  return d.criticalPath;
}

// ---- graphDiff(before, after) ----

export interface EdgeFigures {
  calls: number;
  callRate: number;
  errors: number;
  errorRate: number;
  p95: number | null;
}

export interface DiffNode {
  id: string;
  name: string;
  kind: NodeKind;
}

export interface DiffEdge {
  source: string;
  target: string;
  id: string;
  sourceKind: NodeKind;
  targetKind: NodeKind;
  figures: EdgeFigures;
}

export interface ChangedEdge {
  source: string;
  target: string;
  id: string;
  sourceKind: NodeKind;
  targetKind: NodeKind;
  before: EdgeFigures;
  after: EdgeFigures;
  change: number;
}

export interface GraphDiffPart {
  nodes: DiffNode[];
  edges: DiffEdge[];
}

export interface GraphDiff {
  added: GraphDiffPart;
  removed: GraphDiffPart;
  changed: ChangedEdge[];
}

const FIGURES = 'calls callRate errors errorRate p95';
const DIFF_PART = `nodes { id name kind } edges { source target id sourceKind targetKind figures { ${FIGURES} } }`;

export const GRAPH_DIFF_QUERY = `query GraphDiff($before: WindowInput!, $after: WindowInput!) {
  graphDiff(before: $before, after: $after) {
    added { ${DIFF_PART} }
    removed { ${DIFF_PART} }
    changed { source target id sourceKind targetKind before { ${FIGURES} } after { ${FIGURES} } change }
  }
}`;

/** How the dependency graph changed from `before` to `after`. */
export async function fetchGraphDiff(before: Window, after: Window, opts?: RequestOptions): Promise<GraphDiff> {
  const d = await gql<{ graphDiff: GraphDiff }>(GRAPH_DIFF_QUERY, { before, after }, opts);
  return d.graphDiff;
}

// ---- impact(service) ----

export interface ImpactedService {
  service: string;
  depth: number;
  calls: number;
  owner: string | null;
}

export interface ImpactedEntryPoint {
  service: string;
  operation: string;
  traces: number;
  affectedTraces: number;
  share: number;
}

export interface ImpactedApi {
  ref: string;
  name: string;
  service: string;
  owner: string | null;
}

export interface ImpactedTeam {
  ref: string;
  services: string[];
}

export interface Impact {
  service: string;
  upstream: ImpactedService[];
  entryPoints: ImpactedEntryPoint[];
  apis: ImpactedApi[];
  teams: ImpactedTeam[];
}

export const IMPACT_QUERY = `query Impact($service: String!, $from: DateTime!, $to: DateTime!) {
  impact(service: $service, from: $from, to: $to) {
    service
    upstream { service depth calls owner }
    entryPoints { service operation traces affectedTraces share }
    apis { ref name service owner }
    teams { ref services }
  }
}`;

/** What breaks if `service` fails: its synchronous callers, entry points, APIs and teams. */
export async function fetchImpact(service: string, w: Window, opts?: RequestOptions): Promise<Impact> {
  const d = await gql<{ impact: Impact }>(IMPACT_QUERY, { service, ...w }, opts);
  return d.impact;
}

// ---- traces(...) for the service page's lists (the trace search's query and filters) ----

/** One list on the service page: its filters (as the trace search reads them) and page size. */
export interface ServiceTraceList {
  filters: TraceFilters;
  first: number;
}

/** The traces of a heatmap region: SERVER spans of the service within the duration bounds. */
export function regionTraceList(service: string, minMs: number | null, maxMs: number | null, first = 20): ServiceTraceList {
  return { filters: { ...EMPTY_FILTERS, service, kind: 'SERVER', minMs, maxMs }, first };
}

/** The service's slowest traces (longest first). */
export function slowestTraceList(service: string, first = 10): ServiceTraceList {
  return { filters: { ...EMPTY_FILTERS, service, order: 'duration' }, first };
}

/** The service's newest traces with a failed span of its own. */
export function errorTraceList(service: string, first = 10): ServiceTraceList {
  return { filters: { ...EMPTY_FILTERS, service, status: 'ERROR' }, first };
}

/** One page of a list over a window, through the trace search's query. */
export async function fetchServiceTraces(list: ServiceTraceList, w: Window, opts?: RequestOptions): Promise<TraceConnection> {
  return fetchTraces({ ...traceVariables(list.filters, w), first: list.first }, opts);
}
