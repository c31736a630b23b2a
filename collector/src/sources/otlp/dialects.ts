import { SPAN_KINDS, STATUS_CODES, type SpanKindName, type StatusCodeName } from '../../spans/span-record.ts';
import { bytesToHex, jsonIdToHex } from './ids.ts';

/**
 * How one OTLP encoding spells ids, times and enums. protobufjs and OTLP/JSON
 * share field names (camelCase), so one walker reads both through a dialect.
 */
export interface OtlpDialect {
  id(value: unknown, byteLength: 16 | 8): string;
  nanos(value: unknown): bigint;
  /** null when the value is not a known kind. */
  kind(value: unknown): SpanKindName | null;
  statusCode(value: unknown): StatusCodeName | null;
}

const KIND_BY_ENUM_NAME: Record<string, SpanKindName> = Object.fromEntries(
  ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'].map((n, i) => [`SPAN_KIND_${n}`, SPAN_KINDS[i]!]),
);
const STATUS_BY_ENUM_NAME: Record<string, StatusCodeName> = { STATUS_CODE_UNSET: 'Unset', STATUS_CODE_OK: 'Ok', STATUS_CODE_ERROR: 'Error' };

function byIndex<T>(table: readonly T[], value: unknown): T | null {
  return typeof value === 'number' && Number.isInteger(value) ? (table[value] ?? null) : null;
}

interface LongLike {
  low: number;
  high: number;
}

/** Binary protobuf as decoded by protobufjs: bytes, Long, numeric enums. */
export const protobufDialect: OtlpDialect = {
  id: (value) => bytesToHex(value as Uint8Array | undefined),
  nanos(value) {
    if (value == null) return 0n;
    if (typeof value === 'number') return BigInt(value);
    const l = value as LongLike;
    return (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
  },
  kind: (value) => byIndex(SPAN_KINDS, value ?? 0),
  statusCode: (value) => byIndex(STATUS_CODES, value ?? 0),
};

/** OTLP/JSON: hex (or base64) ids, 64-bit numbers as strings, enums as integers (or names). */
export const jsonDialect: OtlpDialect = {
  id: (value, byteLength) => jsonIdToHex(value, byteLength),
  nanos(value) {
    if (value == null || value === '') return 0n;
    if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value));
    if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
    return -1n;
  },
  kind: (value) => (value == null ? 'Unspecified' : typeof value === 'string' ? (KIND_BY_ENUM_NAME[value] ?? null) : byIndex(SPAN_KINDS, value)),
  statusCode: (value) => (value == null ? 'Unset' : typeof value === 'string' ? (STATUS_BY_ENUM_NAME[value] ?? null) : byIndex(STATUS_CODES, value)),
};
