// OTLP/protobuf ExportTraceServiceRequest bodies for the ingest bench, encoded
// once with the project's own protobufjs types. Each body remembers where its
// timestamps and trace ids sit, so a send can move the spans to "now" and make
// their trace ids unique with a few in-place writes instead of re-encoding:
// the edge job then sees fresh minutes and distinct traces, as in production.
import { otlpTypes } from '@plexus/collector';
import { mulberry32 } from '../cli/src/demo/prng.ts';
import {
  ASYNC_SHARE, ASYNC_TRACE, BACKENDS, CONSUMERS, EXTERNAL_HOSTS, FAILURES_PER_MILLE, KIND_NUMBER, RESOURCE_ATTRIBUTES, SYNC_TRACE,
  fill, httpCode, tokens, type SpanTemplate,
} from './landscape.ts';

/** One encoded request body. */
export interface OtlpBody {
  bytes: Buffer;
  spans: number;
  /** Byte offsets of every fixed64 timestamp (span start/end, event time). */
  timeOffsets: Uint32Array;
  /** Byte offsets of every 16-byte trace id (spans and links). */
  traceIdOffsets: Uint32Array;
}

/** A small deterministic PRNG, so runs send the same bodies. */
export const prng = mulberry32;

const NUMERIC_KEYS = new Set(['http.response.status_code', 'server.port']);

type AnyValue = { stringValue: string } | { intValue: number };
interface WireSpan {
  traceId: Buffer; spanId: Buffer; parentSpanId?: Buffer; name: string; kind: number;
  startTimeUnixNano: string; endTimeUnixNano: string;
  attributes: Array<{ key: string; value: AnyValue }>;
  events?: Array<{ timeUnixNano: string; name: string; attributes: Array<{ key: string; value: AnyValue }> }>;
  links?: Array<{ traceId: Buffer; spanId: Buffer }>;
  status?: { code: number; message?: string };
}

const kv = (key: string, value: string) => ({ key, value: NUMERIC_KEYS.has(key) && /^\d+$/.test(value) ? { intValue: Number(value) } : { stringValue: value } });

/**
 * Builds `count` bodies of about `spansPerBody` spans each: whole traces (8 or
 * 6 spans, see landscape.ts) grouped by service into resourceSpans, as an
 * OpenTelemetry Collector batch would send them. Times start at `baseMs`.
 */
export function buildOtlpBodies(count: number, spansPerBody: number, baseMs: number, seed = 42): OtlpBody[] {
  const rnd = prng(seed);
  const bytes = (n: number) => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i += 4) b.writeUInt32LE((rnd() * 2 ** 32) >>> 0, i);
    return b;
  };
  const bodies: OtlpBody[] = [];
  for (let b = 0; b < count; b++) {
    const byService = new Map<string, WireSpan[]>();
    let spans = 0;
    for (;;) {
      const template = rnd() < ASYNC_SHARE ? ASYNC_TRACE : SYNC_TRACE;
      if (spans > 0 && spans + template.length > spansPerBody) break;
      spans += template.length;
      addTrace(template, byService, b, rnd, bytes, baseMs);
    }
    const message = otlpTypes.request.fromObject({
      resourceSpans: [...byService].map(([svc, list]) => ({
        resource: { attributes: RESOURCE_ATTRIBUTES.map(([k, v]) => kv(k, fill(v, { svc, pod: String(b % 3) }))) },
        scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-http', version: '0.57.0' }, spans: list }],
      })),
    });
    const encoded = Buffer.from(otlpTypes.request.encode(message).finish());
    const { times, traceIds } = locateFields(encoded);
    bodies.push({ bytes: encoded, spans, timeOffsets: Uint32Array.from(times), traceIdOffsets: Uint32Array.from(traceIds) });
  }
  return bodies;
}

function addTrace(template: readonly SpanTemplate[], byService: Map<string, WireSpan[]>, body: number, rnd: () => number, bytes: (n: number) => Buffer, baseMs: number): void {
  const A = template === ASYNC_TRACE ? 'checkout' : BACKENDS[Math.floor(rnd() * BACKENDS.length)]!;
  const others = BACKENDS.filter((s) => s !== A);
  const roles = { A, B: others[Math.floor(rnd() * others.length)]!, C: CONSUMERS[Math.floor(rnd() * CONSUMERS.length)]!, ext: EXTERNAL_HOSTS[Math.floor(rnd() * EXTERNAL_HOSTS.length)]! };
  const failing = rnd() * 1000 < FAILURES_PER_MILLE;
  const t = tokens(roles, body * 10_000 + Math.floor(rnd() * 10_000));
  const traceId = bytes(16);
  const spanIds = template.map(() => bytes(8));
  // Root duration: log-normal around 40 ms (a long tail, as real latencies have).
  const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const rootNs = Math.exp(Math.log(40) + 0.8 * z) * 1e6;
  const traceStartNs = BigInt(baseMs + Math.floor(rnd() * 1000)) * 1_000_000n;
  template.forEach((s, i) => {
    const values = { ...t, code: httpCode(s, failing) };
    const service = fill(s.service, values);
    const startNs = traceStartNs + BigInt(Math.round(rootNs * s.start));
    const durNs = BigInt(Math.max(1000, Math.round(rootNs * s.duration * (i === 0 ? 1 : 0.3 + 0.7 * rnd()))));
    const isError = failing && s.onFailure === 'error';
    const span: WireSpan = {
      traceId, spanId: spanIds[i]!, name: fill(s.name, values), kind: KIND_NUMBER[s.kind],
      startTimeUnixNano: startNs.toString(), endTimeUnixNano: (startNs + durNs).toString(),
      attributes: s.attributes.map(([k, v]) => kv(k, fill(v, values))),
    };
    if (s.parent >= 0) span.parentSpanId = spanIds[s.parent]!;
    if (s.kind === 'Consumer' && s.parent >= 0) span.links = [{ traceId, spanId: spanIds[s.parent]! }];
    if (isError) {
      span.status = { code: 2, message: 'upstream returned 500' };
      span.events = [{ timeUnixNano: (startNs + durNs / 2n).toString(), name: 'exception', attributes: [kv('exception.type', 'HttpError'), kv('exception.message', `GET /${service} failed`)] }];
    }
    const list = byService.get(service) ?? [];
    list.push(span);
    byService.set(service, list);
  });
}

/** A copy of the body with every time moved by `shiftNs` and every trace id mixed with `salt`. */
export function restamp(body: OtlpBody, shiftNs: bigint, salt: number): Buffer {
  const out = Buffer.from(body.bytes);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (const o of body.timeOffsets) view.setBigUint64(o, view.getBigUint64(o, true) + shiftNs, true);
  for (const o of body.traceIdOffsets) view.setUint32(o + 8, view.getUint32(o + 8) ^ salt);
  return out;
}

// Protobuf wire walking, just deep enough to find Span.trace_id (1),
// start/end (7, 8), Event.time_unix_nano (11.1) and Link.trace_id (13.1).
type FieldVisitor = (field: number, wireType: number, start: number, end: number) => void;

function varint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[pos++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, pos];
    shift += 7;
  }
}

function forEachField(buf: Uint8Array, start: number, end: number, visit: FieldVisitor): void {
  let pos = start;
  while (pos < end) {
    const [tag, p] = varint(buf, pos);
    pos = p;
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    if (wireType === 0) pos = varint(buf, pos)[1];
    else if (wireType === 1) {
      visit(field, wireType, pos, pos + 8);
      pos += 8;
    } else if (wireType === 5) pos += 4;
    else if (wireType === 2) {
      const [len, q] = varint(buf, pos);
      visit(field, wireType, q, q + len);
      pos = q + len;
    } else throw new Error(`unexpected wire type ${wireType}`);
  }
}

function locateFields(buf: Uint8Array): { times: number[]; traceIds: number[] } {
  const times: number[] = [];
  const traceIds: number[] = [];
  forEachField(buf, 0, buf.length, (f, wt, s, e) => {
    if (f !== 1 || wt !== 2) return;
    forEachField(buf, s, e, (f2, wt2, s2, e2) => {
      if (f2 !== 2 || wt2 !== 2) return;
      forEachField(buf, s2, e2, (f3, wt3, s3, e3) => {
        if (f3 !== 2 || wt3 !== 2) return;
        forEachField(buf, s3, e3, (f4, wt4, s4, e4) => {
          if (f4 === 1 && wt4 === 2 && e4 - s4 === 16) traceIds.push(s4);
          else if ((f4 === 7 || f4 === 8) && wt4 === 1) times.push(s4);
          else if (f4 === 11 && wt4 === 2) forEachField(buf, s4, e4, (f5, wt5, s5) => void (f5 === 1 && wt5 === 1 && times.push(s5)));
          else if (f4 === 13 && wt4 === 2) forEachField(buf, s4, e4, (f5, wt5, s5, e5) => void (f5 === 1 && wt5 === 2 && e5 - s5 === 16 && traceIds.push(s5)));
        });
      });
    });
  });
  return { times, traceIds };
}
