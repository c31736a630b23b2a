import { tsvString, tsvMap, encodeTsvRow } from '@plexus/store';
import type { DeadLetterRow, EventRow } from './event-row.ts';

/** kafka_events columns in the order encodeEventRow writes them (IngestedAt takes its default). */
export const KAFKA_EVENTS_COLUMNS = [
  'Timestamp', 'Topic', 'Partition', 'Offset', 'Key', 'KeyEncoding', 'Size', 'ContentType',
  'CeId', 'CeSource', 'CeType', 'CeSubject', 'CeSpecVersion', 'CeTime', 'CeDataSchema', 'Extensions',
  'TraceId', 'SpanId', 'Producer', 'Payload', 'PayloadEncoding', 'PayloadTruncated',
] as const;

/** kafka_dead_letters columns in the order encodeDeadLetterRow writes them. */
export const KAFKA_DEAD_LETTERS_COLUMNS = [
  'ReceivedAt', 'Topic', 'Partition', 'Offset', 'Key', 'KeyEncoding', 'Size', 'Reason', 'Payload', 'PayloadEncoding', 'PayloadTruncated',
] as const;

const NULL = '\\N';

/** Milliseconds since the epoch as a DateTime64(3) text value in UTC: YYYY-MM-DD hh:mm:ss.sss. */
export function msToDateTime64(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.slice(0, 10) + ' ' + iso.slice(11, 23);
}

/** One TSV line (with newline) for kafka_events. */
export function encodeEventRow(r: EventRow): string {
  return encodeTsvRow([
    msToDateTime64(r.timestampMs),
    tsvString(r.topic),
    String(r.partition),
    r.offset,
    tsvString(r.key),
    r.keyEncoding,
    String(r.size),
    tsvString(r.contentType),
    tsvString(r.ceId),
    tsvString(r.ceSource),
    tsvString(r.ceType),
    tsvString(r.ceSubject),
    tsvString(r.ceSpecVersion),
    r.ceTimeMs === null ? NULL : msToDateTime64(r.ceTimeMs),
    tsvString(r.ceDataSchema),
    tsvMap(r.extensions),
    r.traceId,
    r.spanId,
    tsvString(r.producer),
    tsvString(r.payload),
    r.payloadEncoding,
    r.payloadTruncated ? '1' : '0',
  ]);
}

/** One TSV line (with newline) for kafka_dead_letters. */
export function encodeDeadLetterRow(r: DeadLetterRow): string {
  return encodeTsvRow([
    msToDateTime64(r.receivedAtMs),
    tsvString(r.topic),
    String(r.partition),
    r.offset,
    tsvString(r.key),
    r.keyEncoding,
    String(r.size),
    tsvString(r.reason),
    tsvString(r.payload),
    r.payloadEncoding,
    r.payloadTruncated ? '1' : '0',
  ]);
}
