import type { KafkaMessage } from './message.ts';
import type { EventRow, ParseEventOptions, ParseEventResult } from './event-row.ts';
import { cloudEventAttributes, type CloudEventAttributes } from './cloudevent.ts';
import { headerList, headerText, headerValues, firstHeaderText, type Header } from './headers.ts';
import { bytesText, cappedBytesText, utf8OrNull } from './bytes.ts';
import { parseTraceparent } from './traceparent.ts';
import { MAX_DATETIME64_MS } from './rfc3339.ts';

// Kafka protocol binding for CloudEvents: a content-type of
// application/cloudevents+json means structured mode (the value is the whole
// event); otherwise ce_* headers carry the attributes (binary mode). Other
// event formats (application/cloudevents+avro, ...) are not read here; the
// binding lets a receiver treat those as binary mode, which is what happens.
const STRUCTURED = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';
const CE_PREFIX = 'ce_';
const UINT64_MAX = 2n ** 64n - 1n;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Reads one Kafka record into a kafka_events row; a record that claims to be a CloudEvent and is not a valid one is rejected with the reason. Pure. */
export function parseEventMessage(msg: KafkaMessage, opts: ParseEventOptions): ParseEventResult {
  const fail = (why: string): ParseEventResult => ({ ok: false, reason: `topic ${JSON.stringify(msg.topic)} partition ${msg.partition} offset ${msg.offset}: ${why}` });
  if (!Number.isInteger(msg.partition) || msg.partition < 0 || msg.partition > 0xffff_ffff) return fail('partition is not an unsigned 32-bit integer');
  if (!/^\d{1,20}$/.test(msg.offset) || BigInt(msg.offset) > UINT64_MAX) return fail('offset is not an unsigned 64-bit integer');
  const timestampMs = /^\d{1,16}$/.test(msg.timestamp) ? Number(msg.timestamp) : NaN;
  if (!(timestampMs <= MAX_DATETIME64_MS)) return fail(`timestamp ${JSON.stringify(msg.timestamp)} is not milliseconds since the epoch (1970-2299)`);

  const headers = headerList(msg.headers);
  const contentType = firstHeaderText(headers, 'content-type');
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (mediaType === BATCH) return fail(`${BATCH}: the Kafka binding of CloudEvents has no batched mode`);

  let ce: CloudEventAttributes | null = null;
  if (mediaType === STRUCTURED) {
    const read = structuredEvent(msg.value);
    if (typeof read === 'string') return fail(`structured CloudEvent (${STRUCTURED}): ${read}`);
    ce = read;
  } else if (headers.some((h) => h.name.startsWith(CE_PREFIX))) {
    const read = binaryEvent(headers);
    if (typeof read === 'string') return fail(`binary-mode CloudEvent (ce_* headers): ${read}`);
    ce = read;
  }

  const trace = traceOf(headers, ce);
  const key = bytesText(msg.key);
  const payload = opts.storePayload ? cappedBytesText(msg.value, opts.maxPayloadBytes) : { text: '', encoding: '' as const, truncated: false };
  const row: EventRow = {
    timestampMs,
    topic: msg.topic,
    partition: msg.partition,
    offset: msg.offset,
    key: key.text,
    keyEncoding: key.encoding,
    size: msg.value?.length ?? 0,
    contentType: mediaType === STRUCTURED ? (ce?.dataContentType ?? '') : contentType || (ce?.dataContentType ?? ''),
    ceId: ce?.id ?? '',
    ceSource: ce?.source ?? '',
    ceType: ce?.type ?? '',
    ceSubject: ce?.subject ?? '',
    ceSpecVersion: ce?.specVersion ?? '',
    ceTimeMs: ce?.timeMs ?? null,
    ceDataSchema: ce?.dataSchema ?? '',
    extensions: ce?.extensions ?? [],
    traceId: trace?.traceId ?? '',
    spanId: trace?.spanId ?? '',
    producer: ce?.source || producerHeader(headers, opts.producerHeaders),
    payload: payload.text,
    payloadEncoding: payload.encoding,
    payloadTruncated: payload.truncated,
  };
  return { ok: true, row };
}

function structuredEvent(value: Buffer | null): CloudEventAttributes | string {
  if (value === null || value.length === 0) return 'the record has no value';
  const text = utf8OrNull(value);
  if (text === null) return 'the value is not UTF-8 text';
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return `the value is not JSON: ${(err as Error).message}`;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return `the value is ${Array.isArray(doc) ? 'a JSON array' : `the JSON ${doc === null ? 'null' : typeof doc}`}, not an event object`;
  const raw = new Map(Object.entries(doc));
  const data = raw.get('data');
  const dataBase64 = raw.get('data_base64');
  raw.delete('data');
  // data_base64 is a member of the 1.0 JSON format only; in 0.3 it is an (invalid) attribute name.
  if (raw.get('specversion') === '1.0') raw.delete('data_base64');
  const attrs = cloudEventAttributes(raw, (name) => `attribute ${JSON.stringify(name)}`);
  if (typeof attrs === 'string') return attrs;
  if (attrs.specVersion === '1.0' && dataBase64 !== undefined && dataBase64 !== null) {
    if (data !== undefined && data !== null) return 'the event has both "data" and "data_base64"; the JSON format allows one';
    if (typeof dataBase64 !== 'string' || !BASE64.test(dataBase64)) return '"data_base64" is not a base64 string';
  }
  if (attrs.specVersion === '0.3' && raw.get('datacontentencoding') === 'base64' && data !== undefined && data !== null) {
    if (typeof data !== 'string' || !BASE64.test(data)) return '"datacontentencoding" is base64 but "data" is not a base64 string';
  }
  return attrs;
}

function binaryEvent(headers: readonly Header[]): CloudEventAttributes | string {
  const raw = new Map<string, unknown>();
  for (const h of headers) {
    if (!h.name.startsWith(CE_PREFIX)) continue;
    if (h.values.length > 1) return `header ${h.name} appears ${h.values.length} times`;
    const text = headerText(h.values[0]!);
    if (text === null) return `header ${h.name} is not UTF-8 text`;
    raw.set(h.name.slice(CE_PREFIX.length), text);
  }
  return cloudEventAttributes(raw, (name) => `header ${CE_PREFIX}${name}`);
}

// The record's own traceparent header names the span that sent it; the
// CloudEvents distributed-tracing extension (ce_traceparent, or "traceparent"
// in a structured event) is the fallback. An invalid value ties to no trace.
function traceOf(headers: readonly Header[], ce: CloudEventAttributes | null): { traceId: string; spanId: string } | null {
  const values = headerValues(headers, 'traceparent');
  // W3C Trace Context: more than one traceparent is invalid.
  if (values.length === 1) {
    const text = headerText(values[0]!);
    const parsed = text === null ? null : parseTraceparent(text);
    if (parsed !== null) return parsed;
  }
  const extension = ce?.extensions.find(([name]) => name === 'traceparent')?.[1];
  return extension === undefined ? null : parseTraceparent(extension);
}

function producerHeader(headers: readonly Header[], names: readonly string[]): string {
  for (const name of names) {
    const text = firstHeaderText(headers, name);
    if (text !== '') return text;
  }
  return '';
}
