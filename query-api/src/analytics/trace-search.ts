// Trace search: which traces have a span in the window that matches every
// filter, and their summaries, one page at a time.
//
// Matching spans are read from otel_traces, not otel_span_facts. Measured on
// 10M spans over 24 h (2 cores): its (ServiceName, SpanName, time) key makes a
// service filter read only that service's granules (trace ids of one service:
// 100 ms against 310 ms from the time-ordered facts; service + operation +
// duration: 25 against 260 ms); it holds the exact StatusCode and SpanKind
// (the facts' IsError also counts HTTP 5xx with status unset, and their Kind
// folds INTERNAL into OTHER) and the attribute maps with their bloom filters;
// and without a service it prunes by time within each (service, name) run
// about as well as the facts do (1 h of SERVER spans: 36 against 32 ms).
//
// Summaries come from trace_summaries grouped by TraceKey (a 128-bit hash of
// the id: grouping and matching it costs 40% less than the id strings), over
// the rows whose Start is within SUMMARY_MARGIN_MS of the window, so only its
// partitions and their neighbours are read. A trace is summarized from those
// rows: spans written more than that before or after the window (a trace that
// long) are left out of its figures, and a trace whose spans all started more
// than that before the window is not found. The matching traces are counted
// and the page picked in one pass (groupArraySorted over numbers, no sort of
// the whole set); the page's summaries are a second, small read.
import { sql, param, join, timestampBetween, traceKeySql, ERROR_STATUS_CODES, KIND_SPELLINGS as STORE_KIND_SPELLINGS, type Sql, type Store } from '@plexus/store';
import { userError, type TimeWindow } from './window.ts';

/** How far outside the window a trace's summary rows are read. */
export const SUMMARY_MARGIN_MS = 3_600_000;
/** Most traces one page may ask for. */
export const MAX_PAGE = 100;
/** Most attribute filters one search may carry. */
export const MAX_ATTRIBUTE_FILTERS = 20;

export type SpanStatus = 'UNSET' | 'OK' | 'ERROR';
export type TraceOrder = 'NEWEST' | 'DURATION';

/** Span filters, all applying to one span. */
export interface SpanFilter {
  service?: string | undefined;
  operation?: string | undefined;
  spanKind?: string | undefined;
  minDurationMs?: number | undefined;
  maxDurationMs?: number | undefined;
  status?: SpanStatus | undefined;
  attributes?: ReadonlyArray<{ key: string; value: string }> | undefined;
}

/** A checked search: window, filters, order and page. */
export interface TraceSearch {
  window: TimeWindow;
  filter: SpanFilter;
  order: TraceOrder;
  first: number;
  after: Cursor | null;
}

/** Where a page ends: its last trace's sort value (negated, in ns) and TraceKey (the tiebreak). */
export interface Cursor {
  order: TraceOrder;
  key: bigint;
  traceKey: bigint;
}

/** One trace as the search lists it. */
export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootOperation: string;
  rootMissing: boolean;
  startTime: Date;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
}

/** One page of matching traces. */
export interface TracePage {
  totalCount: number;
  traces: Array<{ cursor: string; summary: TraceSummary }>;
  hasNextPage: boolean;
}

// SpanKind and StatusCode as Plexus writes them and as older exporters spell
// them; a search also tells INTERNAL apart (normalizedKind folds it into OTHER).
const KIND_SPELLINGS: Record<string, readonly string[]> = { ...STORE_KIND_SPELLINGS, INTERNAL: ['Internal', 'SPAN_KIND_INTERNAL'] };
const OK_CODES = ['Ok', 'STATUS_CODE_OK'];

/** Encodes a cursor: opaque to clients, base64url of order, sort key and tiebreak. */
export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.order, c.key.toString(), c.traceKey.toString()])).toString('base64url');
}

/** Decodes an `after` cursor; errors when it is not one this API wrote for `order`. */
export function decodeCursor(after: string, order: TraceOrder): Cursor {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(after, 'base64url').toString());
  } catch {
    parts = null;
  }
  const ok = Array.isArray(parts) && parts.length === 3 && (parts[0] === 'NEWEST' || parts[0] === 'DURATION')
    && typeof parts[1] === 'string' && /^-?\d{1,19}$/.test(parts[1]) && typeof parts[2] === 'string' && /^\d{1,39}$/.test(parts[2]);
  if (!ok) throw userError(`"after" is not a cursor from this API: ${JSON.stringify(after)}`, 'BAD_USER_INPUT');
  const [cursorOrder, key, traceKey] = parts as [TraceOrder, string, string];
  if (cursorOrder !== order) throw userError(`"after" is a cursor of a search ordered by ${cursorOrder}, not ${order}`, 'BAD_USER_INPUT');
  return { order, key: BigInt(key), traceKey: BigInt(traceKey) };
}

/** Raw GraphQL arguments of `traces(...)`. */
export interface TraceSearchArgs {
  service?: string | null;
  operation?: string | null;
  spanKind?: string | null;
  minDurationMs?: number | null;
  maxDurationMs?: number | null;
  status?: SpanStatus | null;
  attributes?: ReadonlyArray<{ key: string; value: string }> | null;
  orderBy?: TraceOrder | null;
  first?: number | null;
  after?: string | null;
}

// An empty text box in a client means "any", not "the service named ''".
const given = (s: string | null | undefined): string | undefined => (s == null || s === '' ? undefined : s);

/** Checks the arguments of `traces(...)`; errors name the argument and why. */
export function parseTraceSearch(args: TraceSearchArgs, window: TimeWindow): TraceSearch {
  const order = args.orderBy ?? 'NEWEST';
  const first = args.first ?? 20;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) throw userError(`first must be between 0 and ${MAX_PAGE}, got ${first}`, 'BAD_USER_INPUT');
  const spanKind = given(args.spanKind)?.toUpperCase();
  if (spanKind !== undefined && !KIND_SPELLINGS[spanKind]) {
    throw userError(`spanKind must be one of ${Object.keys(KIND_SPELLINGS).join(', ')}, got ${JSON.stringify(args.spanKind)}`, 'BAD_USER_INPUT');
  }
  const min = args.minDurationMs ?? undefined;
  const max = args.maxDurationMs ?? undefined;
  for (const [name, v] of [['minDurationMs', min], ['maxDurationMs', max]] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw userError(`${name} must be a duration in ms, 0 or more, got ${v}`, 'BAD_USER_INPUT');
  }
  if (min !== undefined && max !== undefined && min > max) throw userError(`minDurationMs (${min}) must not be more than maxDurationMs (${max})`, 'BAD_USER_INPUT');
  const attributes = args.attributes ?? [];
  if (attributes.length > MAX_ATTRIBUTE_FILTERS) throw userError(`at most ${MAX_ATTRIBUTE_FILTERS} attribute filters, got ${attributes.length}`, 'BAD_USER_INPUT');
  const blank = attributes.findIndex((a) => a.key === '');
  if (blank >= 0) throw userError(`attributes[${blank}].key must not be empty`, 'BAD_USER_INPUT');
  return {
    window,
    filter: { service: given(args.service), operation: given(args.operation), spanKind, minDurationMs: min, maxDurationMs: max, status: args.status ?? undefined, attributes },
    order,
    first,
    after: args.after ? decodeCursor(args.after, order) : null,
  };
}

/** SQL conditions on otel_traces for every filter given; empty when none is. */
export function spanConditions(f: SpanFilter): Sql[] {
  const out: Sql[] = [];
  if (f.service !== undefined) out.push(sql`ServiceName = ${f.service}`);
  if (f.operation !== undefined) out.push(sql`SpanName = ${f.operation}`);
  if (f.spanKind !== undefined) out.push(sql`SpanKind IN ${[...KIND_SPELLINGS[f.spanKind]!]}`);
  // The same expression as otel_span_facts.DurationMs, so a heatmap cell and a search agree on its edges.
  if (f.minDurationMs !== undefined) out.push(sql`Duration / 1e6 >= ${f.minDurationMs}`);
  if (f.maxDurationMs !== undefined) out.push(sql`Duration / 1e6 < ${f.maxDurationMs}`);
  if (f.status === 'OK') out.push(sql`StatusCode IN ${OK_CODES}`);
  if (f.status === 'ERROR') out.push(sql`StatusCode IN ${ERROR_STATUS_CODES}`);
  if (f.status === 'UNSET') out.push(sql`StatusCode NOT IN ${[...OK_CODES, ...ERROR_STATUS_CODES]}`);
  for (const { key, value } of f.attributes ?? []) {
    // A missing key reads as '', so an empty value must also find the key.
    const has = (m: Sql) => (value === '' ? sql`(mapContains(${m}, ${key}) AND ${m}[${key}] = '')` : sql`${m}[${key}] = ${value}`);
    out.push(sql`(${has(sql`SpanAttributes`)} OR ${has(sql`ResourceAttributes`)})`);
  }
  return out;
}

/** Summary rows of the window's traces: Start within the margin of it. */
export function summaryRange(w: TimeWindow): Sql {
  const from = new Date(w.from.getTime() - SUMMARY_MARGIN_MS);
  const to = new Date(w.to.getTime() + SUMMARY_MARGIN_MS);
  return sql`Start >= toDateTime64(${from}, 9) AND Start < toDateTime64(${to}, 9)`;
}

// Sort keys ascend: the negated start (newest first) or negated duration
// (longest first), in ns, then TraceKey, so ties fall in one fixed order.
function sortKey(order: TraceOrder): Sql {
  return order === 'NEWEST' ? sql`-toUnixTimestamp64Nano(s)` : sql`toUnixTimestamp64Nano(s) - toUnixTimestamp64Nano(e)`;
}

interface PageRow {
  total: string;
  page: Array<[string, string]>;
}

interface SummaryRow {
  traceKey: string;
  traceId: string;
  startNs: string;
  endNs: string;
  spans: string;
  errors: string;
  services: string[];
  root: [string, string];
  hasRoot: number;
}

/** One page of traces matching the search, with the exact number of matches. */
export async function searchTraces(store: Store, q: TraceSearch): Promise<TracePage> {
  const w = q.window;
  const conditions = spanConditions(q.filter);
  // Without span filters every trace with a span starting in the window
  // matches: one that starts before `to` and whose last span starts at or
  // after `from` (one spanning the whole window without a span inside it is
  // counted too).
  const matching = conditions.length === 0
    ? sql``
    : sql`AND TraceKey IN (SELECT ${traceKeySql(sql`TraceId`)} FROM otel_traces WHERE ${timestampBetween(sql`${w.from}`, sql`${w.to}`)} AND ${join(conditions, sql` AND `)})`;
  const key = sortKey(q.order);
  const n = q.first + 1;
  const pick = q.after
    ? sql`groupArraySortedIf(${n})((${key}, k), (${key}, k) > (${q.after.key}, ${param('UInt128', q.after.traceKey)}))`
    : sql`groupArraySorted(${n})((${key}, k))`;
  const [row] = await store.query<PageRow>(sql`
    SELECT count() AS total, ${pick} AS page
    FROM (
      SELECT TraceKey AS k, min(Start) AS s, max(End) AS e, max(LastStart) AS l
      FROM trace_summaries
      WHERE ${summaryRange(w)} ${matching}
      GROUP BY k
      HAVING s < toDateTime64(${w.to}, 9) AND l >= toDateTime64(${w.from}, 9)
    )`);
  const total = Number(row?.total ?? 0);
  const page = (row?.page ?? []).slice(0, q.first);
  const summaries = await readSummaries(store, w, page.map(([, k]) => k));
  return {
    totalCount: total,
    // Both reads group the same rows, so every listed key has its summary.
    traces: page.flatMap(([sortValue, k]) => {
      const summary = summaries.get(k);
      return summary ? [{ cursor: encodeCursor({ order: q.order, key: BigInt(sortValue), traceKey: BigInt(k) }), summary }] : [];
    }),
    hasNextPage: (row?.page.length ?? 0) > q.first,
  };
}

/** Summaries of the given traces (by TraceKey), from the same rows the search sorted them by. */
async function readSummaries(store: Store, w: TimeWindow, keys: readonly string[]): Promise<Map<string, TraceSummary>> {
  if (keys.length === 0) return new Map();
  const rows = await store.query<SummaryRow>(sql`
    SELECT toString(TraceKey) AS traceKey, any(TraceId) AS traceId,
      toString(toUnixTimestamp64Nano(min(Start))) AS startNs, toString(toUnixTimestamp64Nano(max(End))) AS endNs,
      sum(SpanCount) AS spans, sum(ErrorCount) AS errors, arraySort(groupUniqArrayArray(Services)) AS services,
      argMinMerge(Root) AS root, max(HasRoot) AS hasRoot
    FROM trace_summaries
    WHERE ${summaryRange(w)} AND TraceKey IN ${param('Array(UInt128)', keys.map(BigInt))}
    GROUP BY TraceKey`);
  return new Map(rows.map((r) => {
    const start = BigInt(r.startNs);
    return [r.traceKey, {
      traceId: r.traceId,
      rootService: r.root[0],
      rootOperation: r.root[1],
      rootMissing: r.hasRoot === 0,
      startTime: new Date(Number(start / 1_000_000n)),
      durationMs: Number(BigInt(r.endNs) - start) / 1e6,
      spanCount: Number(r.spans),
      errorCount: Number(r.errors),
      services: r.services,
    }];
  }));
}
