import { sql, param, normalizedKind, timestampBetween, type Sql, type Store } from '@plexus/store';
import { spanTree, type SpanTree } from './critical-path.ts';
import type { EntrySample, SampledSpan } from './path-breakdown.ts';
import type { TimeWindow } from './window.ts';

/** Entry spans read per operation: enough for stable shares and a p95, bounded in cost. */
export const SAMPLE_LIMIT = 1000;
/** Clock skew tolerated between a span and its children when bounding reads by time. */
export const SKEW_MS = 60_000;

/** One operation's entry spans in a window and the sample drawn from them. */
export interface OperationSample {
  operation: string;
  /** SERVER or CONSUMER: the kind most of its entry spans have. */
  kind: string;
  total: number;
  /** Spans of it were trace roots in the window. */
  entryPoint: boolean;
  samples: EntrySample[];
}

/** A time in ms as exact DateTime64 seconds for timestampBetween. */
export const epochSeconds = (ms: number): Sql => sql`${param('Decimal64(3)', (ms / 1000).toFixed(3))}`;

/** Entry spans (SERVER or CONSUMER) of the service starting in the window, optionally of one operation. */
function entrySpans(w: TimeWindow, service: string, operation: string | undefined, columns: Sql): Sql {
  const only = operation === undefined ? sql`` : sql`AND SpanName = ${operation}`;
  // otel_traces is ordered by service and span name: one service's spans are a key range.
  return sql`SELECT ${columns} FROM (
      SELECT TraceId, SpanId, SpanName, ParentSpanId, Duration, ${normalizedKind()} AS k FROM otel_traces
      WHERE ServiceName = ${service} ${only} AND ${timestampBetween(epochSeconds(w.from.getTime()), epochSeconds(w.to.getTime()))})
    WHERE k IN ('SERVER', 'CONSUMER')`;
}

/** A span of otel_span_facts as the trace walks read it. */
export interface FactRow {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  service: string;
  name: string;
  kind: string;
  ns: string;
  ms: number;
  h: string;
}

/**
 * The service's entry spans per operation, each with a deterministic sample of
 * at most `limit` of them: the first by cityHash64(TraceId) (then trace and
 * span id), so the same window gives the same sample. The sampled traces'
 * span structure comes from otel_span_facts, bounded by the window (less the
 * tolerated skew, plus the longest entry span).
 */
export async function sampleEntrySpans(store: Store, w: TimeWindow, service: string, operation?: string, limit: number = SAMPLE_LIMIT): Promise<OperationSample[]> {
  const ops = await store.query<{ op: string; total: string; roots: string; servers: string; maxNs: string }>(sql`
    SELECT SpanName AS op, count() AS total, countIf(ParentSpanId = '') AS roots, countIf(k = 'SERVER') AS servers, toString(max(Duration)) AS maxNs
    FROM (${entrySpans(w, service, operation, sql`SpanName, ParentSpanId, Duration, k`)})
    GROUP BY op ORDER BY op`);
  if (ops.length === 0) return [];
  const longestMs = Math.ceil(Math.max(...ops.map((o) => Number(o.maxNs) / 1e6)));
  const rows = await store.query<FactRow>(sql`
    SELECT ${FACT_COLUMNS}
    FROM otel_span_facts
    WHERE ${timestampBetween(epochSeconds(w.from.getTime() - SKEW_MS), epochSeconds(w.to.getTime() + longestMs + SKEW_MS))}
      AND TraceId IN (SELECT TraceId FROM (
        ${entrySpans(w, service, operation, sql`TraceId, SpanId, SpanName`)}
        ORDER BY cityHash64(TraceId), TraceId, SpanId
        LIMIT ${param('UInt32', limit)} BY SpanName))`);

  // The sample rule again, over the traces read: a span written between the
  // two statements cannot change who is sampled once its trace is here.
  const fromNs = BigInt(w.from.getTime()) * 1_000_000n;
  const toNs = BigInt(w.to.getTime()) * 1_000_000n;
  const candidates = new Map<string, Array<{ h: bigint; traceId: string; spanId: string; sample: EntrySample }>>();
  for (const trace of groupByTrace(rows)) {
    const tree = factTree(trace);
    trace.forEach((r, i) => {
      const ns = BigInt(r.ns);
      if (r.service !== service || (r.kind !== 'SERVER' && r.kind !== 'CONSUMER') || ns < fromNs || ns >= toNs) return;
      if (operation !== undefined && r.name !== operation) return;
      const list = candidates.get(r.name) ?? [];
      candidates.set(r.name, list);
      list.push({ h: BigInt(r.h), traceId: r.traceId, spanId: r.spanId, sample: { tree, entry: i } });
    });
  }
  return ops.map((o) => {
    const list = (candidates.get(o.op) ?? []).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0) || cmp(a.traceId, b.traceId) || cmp(a.spanId, b.spanId));
    const total = Number(o.total);
    return {
      operation: o.op,
      kind: Number(o.servers) * 2 >= total ? 'SERVER' : 'CONSUMER',
      total,
      entryPoint: Number(o.roots) > 0,
      samples: list.slice(0, limit).map((c) => c.sample),
    };
  });
}

/** The columns of FactRow. */
export const FACT_COLUMNS = sql`TraceId AS traceId, SpanId AS spanId, ParentSpanId AS parentSpanId, ServiceName AS service, SpanName AS name, Kind AS kind,
  toString(toUnixTimestamp64Nano(Timestamp)) AS ns, DurationMs AS ms, toString(cityHash64(TraceId)) AS h`;

/** One trace's spans (fact rows, or read by readTrace) as a span tree, times in ns after its first span (exact integers). */
export function factTree(trace: ReadonlyArray<Pick<FactRow, 'spanId' | 'parentSpanId' | 'service' | 'name' | 'kind' | 'ns' | 'ms'>>): SpanTree<SampledSpan> {
  const base = trace.reduce((m, r) => (BigInt(r.ns) < m ? BigInt(r.ns) : m), BigInt(trace[0]!.ns));
  return spanTree(trace.map((r) => {
    const start = Number(BigInt(r.ns) - base);
    return { spanId: r.spanId, parentSpanId: r.parentSpanId, start, end: start + Math.max(0, Math.round(r.ms * 1e6)), service: r.service, name: r.name, kind: r.kind };
  }));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Rows grouped by trace id, in first-seen order. */
export function groupByTrace<R extends { traceId: string }>(rows: readonly R[]): R[][] {
  const byTrace = new Map<string, R[]>();
  for (const r of rows) {
    const list = byTrace.get(r.traceId);
    if (list) list.push(r);
    else byTrace.set(r.traceId, [r]);
  }
  return [...byTrace.values()];
}
