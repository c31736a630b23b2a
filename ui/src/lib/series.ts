// Service time series -> column arrays for uPlot (x in Unix seconds).
import type { ServicePoint } from './api.ts';

export type Column = (number | null)[];

export interface SeriesColumns {
  time: number[];
  p50: Column;
  p95: Column;
  p99: Column;
  requestRate: Column;
  errorPercent: Column;
}

function num(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

/** Sorted by time; points with an unparsable time are dropped; duplicate times keep the last. */
export function toColumns(points: readonly ServicePoint[]): SeriesColumns {
  const byTime = new Map<number, ServicePoint>();
  for (const p of points) {
    const ms = Date.parse(p.time);
    if (Number.isFinite(ms)) byTime.set(Math.floor(ms / 1000), p);
  }
  const time = [...byTime.keys()].sort((a, b) => a - b);
  const cols: SeriesColumns = { time, p50: [], p95: [], p99: [], requestRate: [], errorPercent: [] };
  for (const t of time) {
    const p = byTime.get(t)!;
    const idle = !(p.requests > 0);
    cols.p50.push(num(p.latency?.p50));
    cols.p95.push(num(p.latency?.p95));
    cols.p99.push(num(p.latency?.p99));
    cols.requestRate.push(num(p.requestRate) ?? 0);
    // With no requests the error rate is undefined, not 0%: leave a gap.
    cols.errorPercent.push(idle ? null : (num(p.errorRate) ?? 0) * 100);
  }
  return cols;
}

/** The most recent non-null value of a column, for headline numbers. */
export function lastValue(col: Column): number | null {
  for (let i = col.length - 1; i >= 0; i--) {
    const v = col[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

/** Maximum of a column ignoring nulls; 0 when empty. */
export function columnMax(col: Column): number {
  let m = 0;
  for (const v of col) if (v !== null && v !== undefined && v > m) m = v;
  return m;
}
