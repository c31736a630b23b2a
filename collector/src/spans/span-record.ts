/** Span kinds as the OpenTelemetry ClickHouse exporter writes them. */
export const SPAN_KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'] as const;
export type SpanKindName = (typeof SPAN_KINDS)[number];

/** Status codes as the exporter writes them. */
export const STATUS_CODES = ['Unset', 'Ok', 'Error'] as const;
export type StatusCodeName = (typeof STATUS_CODES)[number];

export type Attributes = Array<[string, string]>;

/** One span, normalised from any source, ready to encode as an otel_traces row. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: SpanKindName;
  serviceName: string;
  /** Start and end, nanoseconds since the epoch. */
  startNs: bigint;
  endNs: bigint;
  resourceAttributes: Attributes;
  scopeName: string;
  scopeVersion: string;
  attributes: Attributes;
  statusCode: StatusCodeName;
  statusMessage: string;
  events: Array<{ timeNs: bigint; name: string; attributes: Attributes }>;
  links: Array<{ traceId: string; spanId: string; traceState: string; attributes: Attributes }>;
}

/** A span that could not be accepted, and why. */
export interface SpanReject {
  /** Where in the request: resourceSpans[i].scopeSpans[j].spans[k]. */
  path: string;
  reason: string;
}

/** Limits applied to every span; hitting one is counted, never silent. */
export interface SpanLimits {
  maxAttributesPerSpan: number;
  maxAttributeValueLength: number;
  maxSpansPerRequest: number;
}

export const DEFAULT_SPAN_LIMITS: SpanLimits = {
  maxAttributesPerSpan: 128,
  maxAttributeValueLength: 8192,
  maxSpansPerRequest: 100_000,
};

/** What one request produced: spans to keep, spans rejected, limits hit. */
export interface ParseResult {
  spans: SpanRecord[];
  rejects: SpanReject[];
  truncatedValues: number;
  droppedAttributes: number;
}
