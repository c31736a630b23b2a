import type { Attributes } from '../../spans/span-record.ts';

/** How a key or payload is held in a String column: '' when absent, UTF-8 text, or base64 of bytes that are not UTF-8. */
export type BytesEncoding = '' | 'utf8' | 'base64';

/** One kafka_events row: a Kafka record and, when it is a CloudEvent, its attributes. */
export interface EventRow {
  /** Kafka record timestamp, ms since the epoch. */
  timestampMs: number;
  topic: string;
  partition: number;
  /** Decimal string (UInt64). */
  offset: string;
  key: string;
  keyEncoding: BytesEncoding;
  /** Bytes of the record value. */
  size: number;
  /** The data's media type: the content-type header, or datacontenttype of a structured CloudEvent. */
  contentType: string;
  ceId: string;
  ceSource: string;
  ceType: string;
  ceSubject: string;
  /** '' for a record that is not a CloudEvent. */
  ceSpecVersion: string;
  /** ms since the epoch (sub-millisecond digits dropped), null when the event has no time. */
  ceTimeMs: number | null;
  /** dataschema (1.0) or schemaurl (0.3). */
  ceDataSchema: string;
  /** Extension attributes as strings, sorted by name. */
  extensions: Attributes;
  traceId: string;
  spanId: string;
  producer: string;
  payload: string;
  payloadEncoding: BytesEncoding;
  payloadTruncated: boolean;
}

/** One kafka_dead_letters row: a record that could not be read, and why. */
export interface DeadLetterRow {
  receivedAtMs: number;
  topic: string;
  partition: number;
  offset: string;
  key: string;
  keyEncoding: BytesEncoding;
  size: number;
  reason: string;
  payload: string;
  payloadEncoding: BytesEncoding;
  payloadTruncated: boolean;
}

/** What parseEventMessage does with a record beyond its attributes. */
export interface ParseEventOptions {
  /** Keep the record value in Payload (off by default: values may hold personal data). */
  storePayload: boolean;
  /** Cap on the stored value, in bytes of the original value. */
  maxPayloadBytes: number;
  /** Headers that name the producing service when the record has no ce_source, first match wins (case-insensitive). */
  producerHeaders: readonly string[];
}

export const DEFAULT_EVENT_OPTIONS: ParseEventOptions = {
  storePayload: false,
  maxPayloadBytes: 16 * 1024,
  producerHeaders: [],
};

/** A parsed record, or why it goes to the dead letters. */
export type ParseEventResult = { ok: true; row: EventRow } | { ok: false; reason: string };
