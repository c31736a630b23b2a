import { sql, DD, type Sql } from '@plexus/store';

/** Latency percentiles in milliseconds; null when there were no calls. */
export interface Latency {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** SQL merging DDSketch states of a `Latency` column into [p50, p95, p99]. */
export const mergeLatency: Sql = sql`quantilesDDMerge(${DD})(Latency)`;

/** Turns a merged quantile array into a Latency, null when there is no data. */
export function toLatency(q: readonly number[] | null | undefined, count: number): Latency {
  if (!q || count === 0) return { p50: null, p95: null, p99: null };
  const clean = (v: number | undefined) => (v == null || !Number.isFinite(v) ? null : Math.round(v * 1000) / 1000);
  return { p50: clean(q[0]), p95: clean(q[1]), p99: clean(q[2]) };
}

/** A count per second over `seconds`. */
export function rate(count: number, seconds: number): number {
  return seconds > 0 ? count / seconds : 0;
}
