import { sql, ident, param, join, type Sql } from './sql.ts';

/**
 * The per-minute aggregate tables and their hourly rollups. Each recompute
 * rewrites whole buckets under a new Version (plus an empty-key marker row), so
 * a bucket's rows are those of its newest Version.
 */
export const AGGREGATES = {
  edges: { minute: 'service_edges', hour: 'service_edges_hourly', keys: ['Source', 'SourceKind', 'Target', 'TargetKind'], count: 'Calls' },
  red: { minute: 'operation_red', hour: 'operation_red_hourly', keys: ['ServiceName', 'SpanName', 'SpanKind'], count: 'Requests' },
  // Edges by the operation the target served; Source '' = calls with no calling service.
  operations: { minute: 'edge_operations', hour: 'edge_operations_hourly', keys: ['Target', 'TargetKind', 'Source', 'SourceKind', 'Method', 'Route'], count: 'Calls' },
} as const;

export type AggregateName = keyof typeof AGGREGATES;
export type Granularity = 'minute' | 'hour';
const TIME_COLUMN: Record<Granularity, string> = { minute: 'Minute', hour: 'Hour' };
const BUCKET_SECONDS: Record<Granularity, number> = { minute: 60, hour: 3600 };

/**
 * The DDSketch parameters of every latency state: relative accuracy 0.5%, then
 * the levels p50, p95, p99. Tables, states and merges must all use these.
 */
export const DD = sql`0.005, 0.5, 0.95, 0.99`;

/**
 * The newest rows of every bucket starting in [fromSec, toSec), markers
 * excluded, as columns Time, the table's keys, Count, Errors, DurationSumMs, Latency.
 */
export function newestRows(name: AggregateName, granularity: Granularity, fromSec: number, toSec: number): Sql {
  const a = AGGREGATES[name];
  const table = ident(a[granularity]);
  const time = ident(TIME_COLUMN[granularity]);
  const range = sql`${time} >= toDateTime(${param('UInt32', fromSec)}) AND ${time} < toDateTime(${param('UInt32', toSec)})`;
  const keys = join(a.keys.map((k) => sql`${ident(k)}`));
  return sql`SELECT ${time} AS Time, ${keys}, ${ident(a.count)} AS Count, Errors, DurationSumMs, Latency
    FROM ${table}
    WHERE ${range} AND ${ident(a.keys[0])} != ''
      AND (${time}, Version) IN (SELECT ${time}, max(Version) FROM ${table} WHERE ${range} GROUP BY ${time})`;
}

/** A contiguous part of a window read at one granularity. */
export interface Range {
  granularity: Granularity;
  from: number;
  to: number;
}

/** Splits minute-aligned [fromSec, toSec) into whole hours and the minutes around them. */
export function planRanges(fromSec: number, toSec: number): Range[] {
  const h0 = Math.ceil(fromSec / 3600) * 3600;
  const h1 = Math.floor(toSec / 3600) * 3600;
  if (h1 <= h0) return fromSec < toSec ? [{ granularity: 'minute', from: fromSec, to: toSec }] : [];
  const ranges: Range[] = [];
  if (fromSec < h0) ranges.push({ granularity: 'minute', from: fromSec, to: h0 });
  ranges.push({ granularity: 'hour', from: h0, to: h1 });
  if (h1 < toSec) ranges.push({ granularity: 'minute', from: h1, to: toSec });
  return ranges;
}

/** A window's rows from whole-hour rollups where they fit and minute rows elsewhere. */
export function windowRows(name: AggregateName, fromSec: number, toSec: number): Sql {
  const parts = planRanges(fromSec, toSec).map((r) => newestRows(name, r.granularity, r.from, r.to));
  // An empty window still needs a well-typed (empty) relation.
  if (parts.length === 0) return newestRows(name, 'minute', fromSec, fromSec);
  return join(parts, sql` UNION ALL `);
}

/** Rewrites the hourly rollup of the given hours from their newest minute rows. */
export function recomputeHoursSql(name: AggregateName, hours: readonly number[], version: bigint): Sql {
  const a = AGGREGATES[name];
  const keys = join(a.keys.map((k) => sql`${ident(k)}`));
  const blanks = join(a.keys.map(() => sql`''`));
  const v = param('UInt64', version.toString());
  const first = Math.min(...hours);
  const last = Math.max(...hours) + BUCKET_SECONDS.hour;
  return sql`INSERT INTO ${ident(a.hour)} (Hour, Version, ${keys}, ${ident(a.count)}, Errors, DurationSumMs, Latency)
    SELECT toStartOfHour(Time) AS Hour, ${v}, ${keys}, sum(Count), sum(Errors), sum(DurationSumMs), quantilesDDMergeState(${DD})(Latency)
    FROM (${newestRows(name, 'minute', first, last)})
    WHERE toUnixTimestamp(toStartOfHour(Time)) IN ${param('Array(UInt32)', hours)}
    GROUP BY Hour, ${keys}
    UNION ALL
    SELECT toDateTime(h) AS Hour, ${v}, ${blanks}, 0, 0, 0, quantilesDDStateIf(${DD})(toFloat64(0), false)
    FROM (SELECT arrayJoin(${param('Array(UInt32)', hours)}) AS h) GROUP BY h`;
}
