import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';
import type { ParseResult, SpanLimits, SpanRecord, Attributes } from '../../spans/span-record.ts';
import { validateSpan } from '../../spans/validate.ts';
import { enforceAttributeLimits, type LimitCounters } from '../../spans/limits.ts';
import { keyValues, type AnyValueLike } from './any-value.ts';
import { jsonDialect, protobufDialect, type OtlpDialect } from './dialects.ts';

const root = protobuf.loadSync(fileURLToPath(new URL('./otlp-trace.proto', import.meta.url)));
const PACKAGE = 'opentelemetry.proto.collector.trace.v1';
/** protobufjs types of the OTLP trace service. */
export const otlpTypes = {
  request: root.lookupType(`${PACKAGE}.ExportTraceServiceRequest`),
  response: root.lookupType(`${PACKAGE}.ExportTraceServiceResponse`),
  rpcStatus: root.lookupType(`${PACKAGE}.RpcStatus`),
};

/** The body could not be read as an OTLP trace export at all (HTTP 400). */
export class OtlpDecodeError extends Error {
  override name = 'OtlpDecodeError';
}

export type OtlpEncoding = 'protobuf' | 'json';

type KV = { key?: string | null; value?: AnyValueLike | null };
interface WireSpan {
  traceId?: unknown; spanId?: unknown; parentSpanId?: unknown; traceState?: string | null; name?: string | null;
  kind?: unknown; startTimeUnixNano?: unknown; endTimeUnixNano?: unknown; attributes?: KV[] | null;
  events?: Array<{ timeUnixNano?: unknown; name?: string | null; attributes?: KV[] | null }> | null;
  links?: Array<{ traceId?: unknown; spanId?: unknown; traceState?: string | null; attributes?: KV[] | null }> | null;
  status?: { code?: unknown; message?: string | null } | null;
}
interface WireScopeSpans { scope?: { name?: string | null; version?: string | null } | null; instrumentationLibrary?: WireScopeSpans['scope']; spans?: WireSpan[] | null }
interface WireResourceSpans { resource?: { attributes?: KV[] | null } | null; scopeSpans?: WireScopeSpans[] | null; instrumentationLibrarySpans?: WireScopeSpans[] | null }
interface WireRequest { resourceSpans?: WireResourceSpans[] | null }

/** Decodes an OTLP trace export body into spans and per-span rejects. Pure. */
export function parseOtlpTraces(body: Uint8Array, encoding: OtlpEncoding, limits: SpanLimits): ParseResult {
  return encoding === 'protobuf' ? walk(decodeProtobuf(body), protobufDialect, limits) : parseOtlpJson(new TextDecoder().decode(body), limits);
}

/** Decodes OTLP/JSON text (also accepts generic protobuf-JSON ids and enum names). */
export function parseOtlpJson(text: string, limits: SpanLimits): ParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new OtlpDecodeError(`body is not valid JSON: ${(err as Error).message}`);
  }
  return parseOtlpObject(doc, limits);
}

/** Reads an already-parsed OTLP/JSON document (from JSON or YAML). */
export function parseOtlpObject(doc: unknown, limits: SpanLimits): ParseResult {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new OtlpDecodeError('body must be a JSON object (ExportTraceServiceRequest)');
  const req = doc as WireRequest & Record<string, unknown>;
  if (req.resourceSpans == null && (req.resourceLogs != null || req.resourceMetrics != null)) {
    throw new OtlpDecodeError(`body is an OTLP ${req.resourceLogs != null ? 'logs' : 'metrics'} export; send it to /v1/${req.resourceLogs != null ? 'logs' : 'metrics'}, this endpoint takes traces`);
  }
  if (req.resourceSpans != null && !Array.isArray(req.resourceSpans)) throw new OtlpDecodeError('resourceSpans must be an array');
  return walk(req, jsonDialect, limits);
}

function decodeProtobuf(body: Uint8Array): WireRequest {
  try {
    return otlpTypes.request.decode(body) as unknown as WireRequest;
  } catch (err) {
    throw new OtlpDecodeError(`body is not a protobuf ExportTraceServiceRequest: ${(err as Error).message}`);
  }
}

function walk(req: WireRequest, d: OtlpDialect, limits: SpanLimits): ParseResult {
  const result: ParseResult = { spans: [], rejects: [], truncatedValues: 0, droppedAttributes: 0 };
  const counters: LimitCounters = result;
  (req.resourceSpans ?? []).forEach((rs, i) => {
    const resourceAttributes = keyValues(rs?.resource?.attributes);
    const serviceName = resourceAttributes.find(([k]) => k === 'service.name')?.[1] || 'unknown_service';
    enforceAttributeLimits(resourceAttributes, limits, counters);
    (rs?.scopeSpans ?? rs?.instrumentationLibrarySpans ?? []).forEach((ss, j) => {
      const scope = ss?.scope ?? ss?.instrumentationLibrary;
      (ss?.spans ?? []).forEach((wire, k) => {
        const path = `resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`;
        if (result.spans.length >= limits.maxSpansPerRequest) {
          result.rejects.push({ path, reason: `over the limit of ${limits.maxSpansPerRequest} spans per request` });
          return;
        }
        const span = toRecord(wire ?? {}, d, serviceName, resourceAttributes, scope?.name ?? '', scope?.version ?? '', limits, counters);
        const reason = typeof span === 'string' ? span : validateSpan(span);
        if (reason !== null) result.rejects.push({ path, reason });
        else result.spans.push(span as SpanRecord);
      });
    });
  });
  return result;
}

function toRecord(
  w: WireSpan, d: OtlpDialect, serviceName: string, resourceAttributes: Attributes,
  scopeName: string, scopeVersion: string, limits: SpanLimits, counters: LimitCounters,
): SpanRecord | string {
  const kind = d.kind(w.kind);
  if (kind === null) return `invalid kind ${JSON.stringify(w.kind)}`;
  const statusCode = d.statusCode(w.status?.code);
  if (statusCode === null) return `invalid status code ${JSON.stringify(w.status?.code)}`;
  const startNs = d.nanos(w.startTimeUnixNano);
  const endNs = d.nanos(w.endTimeUnixNano);
  if (startNs < 0n || endNs < 0n) return 'startTimeUnixNano and endTimeUnixNano must be unsigned integers';
  return {
    traceId: d.id(w.traceId, 16),
    spanId: d.id(w.spanId, 8),
    parentSpanId: d.id(w.parentSpanId, 8),
    traceState: w.traceState ?? '',
    name: w.name ?? '',
    kind,
    serviceName,
    startNs,
    endNs,
    resourceAttributes,
    scopeName,
    scopeVersion,
    attributes: enforceAttributeLimits(keyValues(w.attributes), limits, counters),
    statusCode,
    statusMessage: w.status?.message ?? '',
    events: (w.events ?? []).map((e) => ({ timeNs: d.nanos(e.timeUnixNano) < 0n ? 0n : d.nanos(e.timeUnixNano), name: e.name ?? '', attributes: enforceAttributeLimits(keyValues(e.attributes), limits, counters) })),
    links: (w.links ?? []).map((l) => ({ traceId: d.id(l.traceId, 16), spanId: d.id(l.spanId, 8), traceState: l.traceState ?? '', attributes: enforceAttributeLimits(keyValues(l.attributes), limits, counters) })),
  };
}
