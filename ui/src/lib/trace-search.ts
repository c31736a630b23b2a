// The trace search's filters as they live in the URL, and what the query sends:
//   /traces?service=checkout&operation=POST%20/checkout&kind=SERVER&minMs=100&status=ERROR
//          &attr=http.route=/checkout&attr=region=eu&order=duration
//   /traces/<32 hex>?span=<16 hex>&cp=1
import { SPAN_KINDS, SPAN_STATUSES, type KeyValue, type SpanKind, type SpanStatus, type TraceSearchVariables } from './traces-api.ts';
import { MULTI_SEPARATOR, type ParamPatch, type Params } from './url.ts';

export { tracePath } from './url.ts';

export type TraceOrderParam = 'newest' | 'duration';

/** The search form's state. Empty strings and null mean "any". */
export interface TraceFilters {
  service: string;
  operation: string;
  kind: SpanKind | '';
  minMs: number | null;
  maxMs: number | null;
  status: SpanStatus | '';
  attrs: KeyValue[];
  order: TraceOrderParam;
}

export const EMPTY_FILTERS: TraceFilters = { service: '', operation: '', kind: '', minMs: null, maxMs: null, status: '', attrs: [], order: 'newest' };

/**
 * A typed trace id as the API wants it (32 lower-case hex), or null. 64-bit ids (16 hex,
 * Zipkin/B3) are left-padded with zeros, as the Zipkin receiver stores them.
 */
export function normalizeTraceId(input: string): string | null {
  const s = input.trim().toLowerCase();
  if (/^[0-9a-f]{32}$/.test(s)) return s;
  if (/^[0-9a-f]{16}$/.test(s)) return s.padStart(32, '0');
  return null;
}

/** `key=value` → a filter (split at the first `=`; the key trimmed, the value kept as is); null without a key. */
export function parseAttr(raw: string): KeyValue | null {
  const eq = raw.indexOf('=');
  if (eq < 0) return null;
  const key = raw.slice(0, eq).trim();
  return key ? { key, value: raw.slice(eq + 1) } : null;
}

/** A duration bound in ms from the URL or an input: a finite number ≥ 0, else null. */
export function parseMs(raw: string | undefined): number | null {
  if (raw === undefined || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** The filters in the URL's parameters (`attr` holds its repeats joined by MULTI_SEPARATOR). */
export function parseTraceFilters(params: Params): TraceFilters {
  const kind = (params['kind'] ?? '').toUpperCase();
  const status = (params['status'] ?? '').toUpperCase();
  const attrs = (params['attr'] ?? '')
    .split(MULTI_SEPARATOR)
    .map(parseAttr)
    .filter((a): a is KeyValue => a !== null);
  return {
    service: params['service'] ?? '',
    operation: params['operation'] ?? '',
    kind: (SPAN_KINDS as readonly string[]).includes(kind) ? (kind as SpanKind) : '',
    minMs: parseMs(params['minMs']),
    maxMs: parseMs(params['maxMs']),
    status: (SPAN_STATUSES as readonly string[]).includes(status) ? (status as SpanStatus) : '',
    attrs,
    order: params['order'] === 'duration' ? 'duration' : 'newest',
  };
}

/** The URL patch that shows `f` (defaults left out). */
export function traceFiltersPatch(f: TraceFilters): ParamPatch {
  return {
    service: f.service || null,
    operation: f.operation || null,
    kind: f.kind || null,
    minMs: f.minMs === null ? null : String(f.minMs),
    maxMs: f.maxMs === null ? null : String(f.maxMs),
    status: f.status || null,
    attr: f.attrs.length ? f.attrs.map((a) => `${a.key}=${a.value}`).join(MULTI_SEPARATOR) : null,
    order: f.order === 'newest' ? null : f.order,
  };
}

/** Whether any filter narrows the search (the order does not). */
export function hasTraceFilters(f: TraceFilters): boolean {
  return !!(f.service || f.operation || f.kind || f.minMs !== null || f.maxMs !== null || f.status || f.attrs.length);
}

/** The `traces` query's variables for the filters over a window. */
export function traceVariables(f: TraceFilters, w: { from: string; to: string }): TraceSearchVariables {
  return {
    from: w.from,
    to: w.to,
    service: f.service || null,
    operation: f.operation || null,
    spanKind: f.kind || null,
    minDurationMs: f.minMs,
    maxDurationMs: f.maxMs,
    status: f.status || null,
    attributes: f.attrs.length ? f.attrs.map((a) => ({ key: a.key, value: a.value })) : null,
    orderBy: f.order === 'duration' ? 'DURATION' : 'NEWEST',
  };
}

/** Bar width in percent of the longest trace on the page (at least a sliver for a non-zero one). */
export function durationBarPct(durationMs: number, maxMs: number): number {
  if (!(maxMs > 0) || !(durationMs > 0)) return 0;
  return Math.max(1, Math.min(100, (durationMs / maxMs) * 100));
}
