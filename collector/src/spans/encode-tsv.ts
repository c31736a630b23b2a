import { tsvString, tsvQuoted, tsvMap, tsvArray } from '@plexus/store';
import type { SpanRecord } from './span-record.ts';

/** otel_traces columns in the order encodeSpanRow writes them. */
export const OTEL_TRACES_COLUMNS = [
  'Timestamp', 'TraceId', 'SpanId', 'ParentSpanId', 'TraceState', 'SpanName', 'SpanKind', 'ServiceName',
  'ResourceAttributes', 'ScopeName', 'ScopeVersion', 'SpanAttributes', 'Duration', 'StatusCode', 'StatusMessage',
  'Events.Timestamp', 'Events.Name', 'Events.Attributes', 'Links.TraceId', 'Links.SpanId', 'Links.TraceState', 'Links.Attributes',
] as const;

const NS_PER_S = 1_000_000_000n;

/** Nanoseconds since the epoch as a DateTime64(9) text value: seconds.nanoseconds. */
export function nsToDateTime64(ns: bigint): string {
  const s = ns / NS_PER_S;
  return `${s}.${(ns - s * NS_PER_S).toString().padStart(9, '0')}`;
}

/** One TSV line (with newline) for otel_traces. */
export function encodeSpanRow(span: SpanRecord): string {
  const events = span.events;
  const links = span.links;
  return (
    nsToDateTime64(span.startNs) + '\t' +
    span.traceId + '\t' +
    span.spanId + '\t' +
    span.parentSpanId + '\t' +
    tsvString(span.traceState) + '\t' +
    tsvString(span.name) + '\t' +
    span.kind + '\t' +
    tsvString(span.serviceName) + '\t' +
    tsvMap(span.resourceAttributes) + '\t' +
    tsvString(span.scopeName) + '\t' +
    tsvString(span.scopeVersion) + '\t' +
    tsvMap(span.attributes) + '\t' +
    (span.endNs - span.startNs).toString() + '\t' +
    span.statusCode + '\t' +
    tsvString(span.statusMessage) + '\t' +
    tsvArray(events.map((e) => "'" + nsToDateTime64(e.timeNs) + "'")) + '\t' +
    tsvArray(events.map((e) => tsvQuoted(e.name))) + '\t' +
    tsvArray(events.map((e) => tsvMap(e.attributes))) + '\t' +
    tsvArray(links.map((l) => tsvQuoted(l.traceId))) + '\t' +
    tsvArray(links.map((l) => tsvQuoted(l.spanId))) + '\t' +
    tsvArray(links.map((l) => tsvQuoted(l.traceState))) + '\t' +
    tsvArray(links.map((l) => tsvMap(l.attributes))) + '\n'
  );
}
