// Trace search and one trace with its critical path (query-api/src/schema/traces.graphql),
// and the operations of a service for the search form's picker.
import { gql, type RequestOptions } from './graphql.ts';
import type { Window } from './api.ts';

export type SpanStatus = 'UNSET' | 'OK' | 'ERROR';
export const SPAN_STATUSES: readonly SpanStatus[] = ['UNSET', 'OK', 'ERROR'];

export type TraceOrder = 'NEWEST' | 'DURATION';

/** Span kinds the search accepts (`spanKind`). */
export const SPAN_KINDS = ['SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER', 'INTERNAL'] as const;
export type SpanKind = (typeof SPAN_KINDS)[number];

export interface KeyValue {
  key: string;
  value: string;
}

/** One row of a trace search: the trace's root, size and services. */
export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootOperation: string;
  /** No span of the trace is without a parent (the root was not received). */
  rootMissing: boolean;
  startTime: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export interface TraceConnection {
  totalCount: number;
  edges: { cursor: string; node: TraceSummary }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Variables of the `traces` query; null leaves a filter out. */
export interface TraceSearchVariables {
  from: string;
  to: string;
  service: string | null;
  operation: string | null;
  spanKind: string | null;
  minDurationMs: number | null;
  maxDurationMs: number | null;
  status: SpanStatus | null;
  attributes: KeyValue[] | null;
  orderBy: TraceOrder;
  first?: number;
  after?: string | null;
}

export interface SpanEvent {
  time: string;
  name: string;
  attributes: KeyValue[];
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: KeyValue[];
}

/** A span as the waterfall draws it; attributes, events and links come apart (SpanExtras). */
export interface Span {
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  /** parentSpanId is set but no such span is stored. */
  missingParent: boolean;
  name: string;
  service: string;
  kind: string;
  /** Nanoseconds since the epoch (exact, as a string). */
  startTimeUnixNano: string;
  durationMs: number;
  status: SpanStatus;
  statusMessage: string;
}

/** What the span details panel adds to a Span. */
export interface SpanExtras {
  spanId: string;
  attributes: KeyValue[];
  resourceAttributes: KeyValue[];
  events: SpanEvent[];
  links: SpanLink[];
}

export interface CriticalPathSegment {
  spanId: string;
  /** Start, in ms after the trace start. */
  startMs: number;
  durationMs: number;
}

export interface TraceDetail {
  id: string;
  startTime: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
  /** Ordered by start time. */
  spans: Span[];
  criticalPath: CriticalPathSegment[];
}

export interface OperationName {
  name: string;
  kind: string;
}

export const TRACE_PAGE_SIZE = 20;

const SUMMARY = 'traceId rootService rootOperation rootMissing startTime durationMs spanCount errorCount services';
const KV = '{ key value }';

export const TRACES_QUERY = `query Traces($from: DateTime!, $to: DateTime!, $service: String, $operation: String, $spanKind: String,
  $minDurationMs: Float, $maxDurationMs: Float, $status: SpanStatus, $attributes: [AttributeFilter!], $orderBy: TraceOrder, $first: Int, $after: String) {
  traces(from: $from, to: $to, service: $service, operation: $operation, spanKind: $spanKind, minDurationMs: $minDurationMs,
    maxDurationMs: $maxDurationMs, status: $status, attributes: $attributes, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    edges { cursor node { ${SUMMARY} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

// The waterfall's query leaves attributes, events and links out: on a 10,000-span trace they
// are over half the answer and of its serialisation, and only the selected span shows them.
export const TRACE_QUERY = `query Trace($id: ID!) {
  trace(id: $id) {
    id startTime durationMs spanCount errorCount services
    spans { spanId parentSpanId missingParent name service kind startTimeUnixNano durationMs status statusMessage }
    criticalPath { spanId startMs durationMs }
  }
}`;

export const TRACE_EXTRAS_QUERY = `query TraceExtras($id: ID!) {
  trace(id: $id) {
    spans {
      spanId
      attributes ${KV} resourceAttributes ${KV}
      events { time name attributes ${KV} }
      links { traceId spanId attributes ${KV} }
    }
  }
}`;

export const SERVICE_OPERATIONS_QUERY = `query ServiceOperations($name: String!, $from: DateTime!, $to: DateTime!) {
  service(name: $name, from: $from, to: $to) { operations { name kind } }
}`;

/** One page of traces matching the filters. */
export async function fetchTraces(v: TraceSearchVariables, opts?: RequestOptions): Promise<TraceConnection> {
  const d = await gql<{ traces: TraceConnection }>(TRACES_QUERY, { first: TRACE_PAGE_SIZE, ...v }, opts);
  return d.traces;
}

/** One trace with its spans and critical path; null when the id is unknown. */
export async function fetchTrace(id: string, opts?: RequestOptions): Promise<TraceDetail | null> {
  const d = await gql<{ trace: TraceDetail | null }>(TRACE_QUERY, { id }, opts);
  return d.trace;
}

/** Attributes, events and links of every span of a trace, in the order of `trace.spans`; null when the id is unknown. */
export async function fetchTraceExtras(id: string, opts?: RequestOptions): Promise<SpanExtras[] | null> {
  const d = await gql<{ trace: { spans: SpanExtras[] } | null }>(TRACE_EXTRAS_QUERY, { id }, opts);
  return d.trace?.spans ?? null;
}

/** The operations a service served or called in the window (empty when it saw no traffic). */
export async function fetchServiceOperations(name: string, w: Window, opts?: RequestOptions): Promise<OperationName[]> {
  const d = await gql<{ service: { operations: OperationName[] } | null }>(SERVICE_OPERATIONS_QUERY, { name, ...w }, opts);
  return d.service?.operations ?? [];
}
