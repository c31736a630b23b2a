// Reads Zipkin's proto3 encoding (application/x-protobuf, ListOfSpans) into the
// JSON span shape, so one mapping serves both encodings. zipkin.proto is the
// official schema from openzipkin/zipkin-api, vendored unchanged.
import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';
import type { ZipkinEndpoint, ZipkinSpan } from './wire.ts';
import { ipv4FromBytes, ipv6FromBytes } from './ip-bytes.ts';

const root = protobuf.loadSync(fileURLToPath(new URL('./zipkin.proto', import.meta.url)));
/** protobufjs type of zipkin.proto3.ListOfSpans (exported for tests that encode bodies). */
export const listOfSpansType = root.lookupType('zipkin.proto3.ListOfSpans');

interface LongLike {
  low: number;
  high: number;
}
interface ProtoEndpoint {
  serviceName?: string;
  ipv4?: Uint8Array;
  ipv6?: Uint8Array;
  port?: number;
}
interface ProtoSpan {
  traceId?: Uint8Array;
  parentId?: Uint8Array;
  id?: Uint8Array;
  kind?: number;
  name?: string;
  timestamp?: number | LongLike;
  duration?: number | LongLike;
  localEndpoint?: ProtoEndpoint | null;
  remoteEndpoint?: ProtoEndpoint | null;
  annotations?: Array<{ timestamp?: number | LongLike; value?: string }>;
  tags?: Record<string, string>;
  debug?: boolean;
  shared?: boolean;
}

// Index = the proto enum number; 0 (SPAN_KIND_UNSPECIFIED) is an absent kind.
const KINDS = [undefined, 'CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER'] as const;

/** Decodes a ListOfSpans body; throws the protobufjs error when the bytes are not one. */
export function decodeListOfSpans(body: Uint8Array): ZipkinSpan[] {
  const list = listOfSpansType.decode(body) as unknown as { spans?: ProtoSpan[] };
  return (list.spans ?? []).map(fromProto);
}

function fromProto(p: ProtoSpan): ZipkinSpan {
  const kind = p.kind ?? 0;
  return {
    traceId: hex(p.traceId),
    parentId: hex(p.parentId),
    id: hex(p.id),
    // An enum number this schema does not know stays visible, so the span is rejected with it.
    kind: kind < KINDS.length ? KINDS[kind] : `kind number ${kind}`,
    name: p.name || undefined,
    // proto3 has no absence: zero means "not set" (zipkin.proto says so for these fields).
    timestamp: nonZero(p.timestamp),
    duration: nonZero(p.duration),
    localEndpoint: endpoint(p.localEndpoint),
    remoteEndpoint: endpoint(p.remoteEndpoint),
    annotations: (p.annotations ?? []).map((a) => ({ timestamp: nonZero(a.timestamp), value: a.value ?? '' })),
    tags: p.tags ?? {},
    debug: p.debug === true,
    shared: p.shared === true,
  };
}

function hex(bytes: Uint8Array | undefined): string | undefined {
  return bytes && bytes.length > 0 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') : undefined;
}

function nonZero(value: number | LongLike | undefined): bigint | undefined {
  if (value == null) return undefined;
  const n = typeof value === 'number' ? BigInt(value) : (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return n === 0n ? undefined : n;
}

function endpoint(e: ProtoEndpoint | null | undefined): ZipkinEndpoint | undefined {
  if (!e) return undefined;
  return {
    serviceName: e.serviceName || undefined,
    ipv4: e.ipv4 ? ipv4FromBytes(e.ipv4) : undefined,
    ipv6: e.ipv6 ? ipv6FromBytes(e.ipv6) : undefined,
    port: e.port || undefined,
  };
}
