// Zipkin v2 spans into SpanRecords, following the OpenTelemetry Collector's
// zipkin receiver (pkg/translator/zipkin/zipkinv2) where it fits Plexus. Where
// it does not: a span without a timestamp is rejected (the receiver stores it at
// 1970-01-01); an absent kind is Internal (the receiver: Unspecified); service
// names go through the naming rule; any `error` tag means Error (the receiver
// only honours "true"); endpoint addresses use the current semantic-convention
// names (network.peer.* / network.local.* for its net.peer.ip / net.host.ip);
// otlp.link.N tags and "name|json|dropped" annotations are kept as given.
import type { Attributes, ParseResult, SpanLimits, SpanRecord } from '../../spans/span-record.ts';
import { validateSpan } from '../../spans/validate.ts';
import { enforceAttributeLimits, type LimitCounters } from '../../spans/limits.ts';
import { DEFAULT_NAMING, identityParts, serviceNamer, type NamingRule } from '../naming.ts';
import { ZIPKIN_KINDS, type ZipkinEndpoint, type ZipkinSpan } from './wire.ts';
import { decodeListOfSpans } from './proto.ts';
import { readTags, semconvFromTags } from './tags.ts';

/** The body could not be read as a list of Zipkin v2 spans at all (HTTP 400). */
export class ZipkinDecodeError extends Error {
  override name = 'ZipkinDecodeError';
}

export type ZipkinEncoding = 'json' | 'protobuf';

/** Scope of spans whose tags name none: tells Zipkin-fed rows apart from OTLP ones. */
export const ZIPKIN_SCOPE = 'zipkin';
/** Service of a span whose local endpoint names none (the OpenTelemetry default). */
export const UNKNOWN_SERVICE = 'unknown_service';

/** Decodes a Zipkin v2 POST body (JSON list or proto3 ListOfSpans) into spans and per-span rejects. Pure. */
export function parseZipkinSpans(body: Uint8Array, encoding: ZipkinEncoding, limits: SpanLimits, naming: NamingRule = DEFAULT_NAMING): ParseResult {
  const wire = encoding === 'protobuf' ? decodeProtobuf(body) : decodeJson(body);
  const names = new ServiceNames(naming);
  const result: ParseResult = { spans: [], rejects: [], truncatedValues: 0, droppedAttributes: 0 };
  wire.forEach((w, i) => {
    const path = `spans[${i}]`;
    if (result.spans.length >= limits.maxSpansPerRequest) {
      result.rejects.push({ path, reason: `over the limit of ${limits.maxSpansPerRequest} spans per request` });
      return;
    }
    const span = typeof w === 'object' && w !== null && !Array.isArray(w) ? toRecord(w as ZipkinSpan, names, limits, result) : 'a span must be a JSON object';
    const reason = typeof span === 'string' ? span : validateSpan(span);
    if (reason !== null) result.rejects.push({ path, reason });
    else result.spans.push(span as SpanRecord);
  });
  return result;
}

function decodeJson(body: Uint8Array): unknown[] {
  const text = new TextDecoder().decode(body);
  if (text.trim() === '') throw new ZipkinDecodeError('body is empty: send a JSON array of Zipkin v2 spans');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ZipkinDecodeError(`body is not valid JSON: ${(err as Error).message}`);
  }
  if (Array.isArray(doc)) return doc;
  // The API takes a list; a lone span object (how Zipkin's own test data often looks) is read as a list of one.
  if (typeof doc === 'object' && doc !== null) return [doc];
  throw new ZipkinDecodeError('body must be a JSON array of Zipkin v2 spans');
}

function decodeProtobuf(body: Uint8Array): ZipkinSpan[] {
  try {
    return decodeListOfSpans(body);
  } catch (err) {
    throw new ZipkinDecodeError(`body is not a protobuf zipkin2 ListOfSpans: ${(err as Error).message}`);
  }
}

/** The naming rule applied to Zipkin endpoint names, which are host-like (`<app>.<namespace>` from Envoy/Istio). */
class ServiceNames {
  readonly #named: (id: { host: string }) => string;
  readonly #cache = new Map<string, { name: string; namespace: string }>();

  constructor(rule: NamingRule) {
    this.#named = serviceNamer(rule);
  }

  /** The service name for a raw endpoint name ('' when it names nothing) and the namespace found in it. */
  of(raw: string): { name: string; namespace: string } {
    let hit = this.#cache.get(raw);
    if (!hit) {
      hit = { name: this.#named({ host: raw }), namespace: identityParts({ host: raw }).namespace };
      this.#cache.set(raw, hit);
    }
    return hit;
  }
}

const HEX = /^[0-9a-fA-F]+$/;

function toRecord(w: ZipkinSpan, names: ServiceNames, limits: SpanLimits, counters: LimitCounters): SpanRecord | string {
  const traceId = hexId(w.traceId, [16, 32]);
  if (traceId === null) return `traceId ${show(w.traceId)} must be 16 or 32 hex characters`;
  const spanId = hexId(w.id, [16]);
  if (spanId === null) return `id ${show(w.id)} must be 16 hex characters`;
  let parentSpanId = w.parentId == null || w.parentId === '' ? '' : hexId(w.parentId, [16]);
  if (parentSpanId === null) return `parentId ${show(w.parentId)} must be 16 hex characters or absent`;
  // A span is not its own parent, and an all-zero parent is B3's "no parent" (as the OpenTelemetry receiver reads them).
  if (parentSpanId === spanId || /^0+$/.test(parentSpanId)) parentSpanId = '';

  if (w.timestamp == null || w.timestamp === 0) {
    return 'no timestamp: Zipkin allows one for late or incomplete data, but a stored span needs its start time (report the span once it has started)';
  }
  const start = micros(w.timestamp);
  if (start === null || start === 0n) return `timestamp ${show(w.timestamp)} must be a positive integer (epoch microseconds)`;
  const duration = w.duration == null ? 0n : micros(w.duration);
  if (duration === null) return `duration ${show(w.duration)} must be a non-negative integer (microseconds)`;

  const kind = w.kind == null || w.kind === '' ? 'Internal' : typeof w.kind === 'string' && Object.hasOwn(ZIPKIN_KINDS, w.kind) ? ZIPKIN_KINDS[w.kind as keyof typeof ZIPKIN_KINDS] : undefined;
  if (kind === undefined) return `kind ${show(w.kind)} must be CLIENT, SERVER, PRODUCER, CONSUMER or absent`;
  if (w.name != null && typeof w.name !== 'string') return `name ${show(w.name)} must be a string`;

  const local = endpoint(w.localEndpoint, 'localEndpoint');
  if (typeof local === 'string') return local;
  const remote = endpoint(w.remoteEndpoint, 'remoteEndpoint');
  if (typeof remote === 'string') return remote;
  const tags = tagList(w.tags);
  if (typeof tags === 'string') return tags;
  const events = annotations(w.annotations);
  if (typeof events === 'string') return events;

  const service = local.serviceName ? names.of(local.serviceName) : { name: '', namespace: '' };
  const serviceName = service.name || UNKNOWN_SERVICE;
  const resourceAttributes: Attributes = [['service.name', serviceName]];
  if (service.namespace) resourceAttributes.push(['service.namespace', service.namespace]);
  if (local.serviceName && local.serviceName !== serviceName) resourceAttributes.push(['zipkin.service_name', local.serviceName]);

  const fields = readTags(tags);
  const attributes = [...fields.attributes, ...semconvFromTags(fields.attributes)];
  const has = new Set(attributes.map(([k]) => k));
  const add = (key: string, value: string | undefined) => {
    if (value && !has.has(key)) {
      attributes.push([key, value]);
      has.add(key);
    }
  };
  add('peer.service', remote.serviceName ? names.of(remote.serviceName).name : undefined);
  add('network.peer.address', remote.ipv4 ?? remote.ipv6);
  add('network.peer.port', remote.port);
  // The local endpoint is the socket this span was recorded on, per span: span attributes, not resource ones (host.ip).
  add('network.local.address', local.ipv4 ?? local.ipv6);
  add('network.local.port', local.port);
  if (w.shared === true) add('zipkin.shared', 'true');
  if (w.debug === true) add('zipkin.debug', 'true');

  const startNs = start * 1000n;
  return {
    traceId,
    spanId,
    parentSpanId,
    traceState: fields.traceState,
    name: w.name ?? '',
    kind,
    serviceName,
    startNs,
    endNs: startNs + duration * 1000n,
    resourceAttributes: enforceAttributeLimits(resourceAttributes, limits, counters),
    scopeName: fields.scopeName || ZIPKIN_SCOPE,
    scopeVersion: fields.scopeVersion,
    attributes: enforceAttributeLimits(attributes, limits, counters),
    statusCode: fields.statusCode,
    statusMessage: fields.statusMessage,
    events,
    links: [],
  };
}

/** Lower-case hex of one of the allowed lengths; a 16-digit trace id is left-padded to 32. */
function hexId(value: unknown, lengths: number[]): string | null {
  if (typeof value !== 'string' || !lengths.includes(value.length) || !HEX.test(value)) return null;
  return value.toLowerCase().padStart(lengths.at(-1)!, '0');
}

/** Whole microseconds as a bigint; null for anything else. */
function micros(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value >= 0n ? value : null;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  return null;
}

interface Endpoint {
  serviceName: string;
  ipv4: string | undefined;
  ipv6: string | undefined;
  port: string | undefined;
}

function endpoint(e: ZipkinEndpoint | null | undefined, field: string): Endpoint | string {
  if (e == null) return { serviceName: '', ipv4: undefined, ipv6: undefined, port: undefined };
  if (typeof e !== 'object' || Array.isArray(e)) return `${field} must be an object`;
  for (const key of ['serviceName', 'ipv4', 'ipv6'] as const) {
    if (e[key] != null && typeof e[key] !== 'string') return `${field}.${key} ${show(e[key])} must be a string`;
  }
  const port = e.port;
  if (port != null && port !== 0 && !(Number.isInteger(port) && (port as number) > 0 && (port as number) <= 65535)) {
    return `${field}.port ${show(port)} must be a port number (1-65535)`;
  }
  return {
    serviceName: ((e.serviceName as string | undefined) ?? '').trim(),
    ipv4: (e.ipv4 as string | undefined) || undefined,
    ipv6: (e.ipv6 as string | undefined) || undefined,
    port: port ? String(port) : undefined,
  };
}

function tagList(tags: ZipkinSpan['tags']): Attributes | string {
  if (tags == null) return [];
  if (typeof tags !== 'object' || Array.isArray(tags)) return 'tags must be an object of string values';
  const out: Attributes = [];
  for (const [key, value] of Object.entries(tags)) {
    // The API says strings; numbers and booleans some tracers send are kept as their text.
    if (typeof value === 'string') out.push([key, value]);
    else if (typeof value === 'number' || typeof value === 'boolean') out.push([key, String(value)]);
    else return `tags.${key} ${show(value)} must be a string`;
  }
  return out;
}

function annotations(list: ZipkinSpan['annotations']): SpanRecord['events'] | string {
  if (list == null) return [];
  if (!Array.isArray(list)) return 'annotations must be an array';
  const events: SpanRecord['events'] = [];
  for (const [i, a] of list.entries()) {
    const at = typeof a === 'object' && a !== null ? micros(a.timestamp) : null;
    if (at === null || at === 0n) return `annotations[${i}].timestamp ${show(a?.timestamp)} must be a positive integer (epoch microseconds)`;
    if (typeof a.value !== 'string') return `annotations[${i}].value ${show(a.value)} must be a string`;
    events.push({ timeNs: at * 1000n, name: a.value, attributes: [] });
  }
  return events;
}

function show(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
