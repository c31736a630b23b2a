import { sql, param, type Store } from '@plexus/store';
import { rowsInWindow, minuteRowsInWindow } from './window-rows.ts';
import { mergeLatency, toLatency, rate, type Latency } from './latency.ts';
import { userError, stepStarts, type TimeWindow } from './window.ts';

/** RED of one service or operation over a window. */
export interface Red {
  requests: number;
  errors: number;
  errorRate: number;
  requestRate: number;
  latency: Latency;
}

interface RedRow {
  requests: string;
  errors: string;
  q: number[];
}

function toRed(row: RedRow, seconds: number): Red {
  const requests = Number(row.requests);
  const errors = Number(row.errors);
  return { requests, errors, errorRate: requests > 0 ? errors / requests : 0, requestRate: rate(requests, seconds), latency: toLatency(row.q, requests) };
}

/** RED per service (entry spans only), keyed by service name. */
export async function readServiceRed(store: Store, w: TimeWindow, service?: string): Promise<Map<string, Red>> {
  const only = service === undefined ? sql`` : sql`WHERE ServiceName = ${service}`;
  const rows = await store.query<RedRow & { name: string }>(sql`
    SELECT ServiceName AS name, sum(Count) AS requests, sum(Errors) AS errors, ${mergeLatency} AS q
    FROM (${rowsInWindow('red', w)})
    ${only}
    GROUP BY ServiceName`);
  return new Map(rows.map((r) => [r.name, toRed(r, w.seconds)]));
}

/** RED per operation of one service. */
export async function readOperations(store: Store, w: TimeWindow, service: string): Promise<Array<Red & { name: string; kind: string }>> {
  const rows = await store.query<RedRow & { name: string; kind: string }>(sql`
    SELECT SpanName AS name, SpanKind AS kind, sum(Count) AS requests, sum(Errors) AS errors, ${mergeLatency} AS q
    FROM (${rowsInWindow('red', w)})
    WHERE ServiceName = ${service}
    GROUP BY SpanName, SpanKind
    ORDER BY requests DESC, name`);
  return rows.map((r) => ({ name: r.name, kind: r.kind, ...toRed(r, w.seconds) }));
}

/** Picks a step (a multiple of 60 s) that gives about 60 points over the window. */
export function defaultStep(w: TimeWindow): number {
  return Math.max(60, Math.ceil(w.seconds / 60 / 60) * 60);
}

/** A series' step: the requested one, checked (a multiple of 60 s, at most 10,000 points), or `fallback` for the window. */
export function seriesStep(requested: number | null | undefined, w: TimeWindow, fallback: (w: TimeWindow) => number = defaultStep): number {
  if (requested == null) return fallback(w);
  if (requested < 60 || requested % 60 !== 0) throw userError(`step must be a positive multiple of 60 seconds, got ${requested}`, 'BAD_USER_INPUT');
  if (w.seconds / requested > 10_000) throw userError(`step ${requested} gives more than 10,000 points over this window`, 'BAD_USER_INPUT');
  return requested;
}

/** One service's RED per step; every bucket of the window is present, empty ones with zeros. */
export async function readSeries(store: Store, w: TimeWindow, service: string, step: number): Promise<Array<Red & { time: Date }>> {
  const s = param('UInt32', step);
  const rows = await store.query<RedRow & { t: string }>(sql`
    SELECT toUnixTimestamp(toStartOfInterval(Time, toIntervalSecond(${s}))) AS t,
      sum(Count) AS requests, sum(Errors) AS errors, ${mergeLatency} AS q
    FROM (${minuteRowsInWindow('red', w)})
    WHERE ServiceName = ${service}
    GROUP BY t ORDER BY t`);
  const byTime = new Map(rows.map((r) => [Number(r.t), r]));
  return stepStarts(w, step).map((t) => ({ time: new Date(t * 1000), ...toRed(byTime.get(t) ?? { requests: '0', errors: '0', q: [] }, step) }));
}

/** Whether any span, gateway log or mesh reading ever named this service (to tell "unknown" from "quiet"). */
export async function serviceExists(store: Store, name: string): Promise<boolean> {
  const rows = await store.query<{ n: string }>(sql`SELECT count() AS n FROM (
    SELECT 1 FROM otel_traces WHERE ServiceName = ${name} LIMIT 1
    UNION ALL SELECT 1 FROM source_edges WHERE Caller = ${name} OR Callee = ${name} LIMIT 1)`);
  return Number(rows[0]?.n ?? 0) > 0;
}
