// A service's entry-span durations over time, for a heatmap: counts per (time
// step, log-spaced duration bucket). Read from otel_traces with the same
// expressions trace search uses (trace-search.ts), so a cell's count and a
// search for its region (service, kind, duration bounds, time) see the same
// spans. otel_traces rather than otel_span_facts: its key starts with the
// service, and one service's entry spans of a day read 2-4 times faster there
// (10M spans, 24 h: 51 against 210 ms for the bounds, 118 against 260 ms for the cells).
import { sql, param, timestampBetween, KIND_SPELLINGS, type Store } from '@plexus/store';
import { userError, type TimeWindow } from './window.ts';
import { seriesStep } from './red.ts';

/** Most duration buckets a heatmap may have. */
export const MAX_BUCKETS = 60;

/** Bucket bounds and the non-empty cells. */
export interface LatencyHeatmap {
  step: number;
  bounds: number[];
  cells: Array<{ time: Date; bucket: number; count: number }>;
}

// Nice mantissas per decade, finest first: Renard R10 and R5, 1-2-5, 1-3, 1.
// Each is close to evenly spaced on a log scale.
const SERIES: ReadonlyArray<readonly number[]> = [
  [1, 1.25, 1.6, 2, 2.5, 3.15, 4, 5, 6.3, 8],
  [1, 1.6, 2.5, 4, 6.3],
  [1, 2, 5],
  [1, 3],
  [1],
];

/** mantissa × 10^exp without binary noise (1.6e-1 is 0.16, not 0.16000000000000003). */
const nice = (mantissa: number, exp: number) => Number.parseFloat(`${mantissa}e${exp}`);

/**
 * Nice values of a series from the largest <= lo to the largest <= hi, a decade
 * apart or, for the single-mantissa series, every `decades` decades.
 */
function ladder(mantissas: readonly number[], decades: number, lo: number, hi: number): number[] {
  let exp = Math.floor(Math.log10(lo));
  // log10 can round up just below a power of ten.
  if (nice(1, exp) > lo) exp--;
  const out: number[] = [];
  for (; ; exp += decades) {
    for (const m of mantissas) {
      const v = nice(m, exp);
      if (v > hi) return out;
      if (v <= lo) out.length = 0;
      out.push(v);
    }
  }
}

/**
 * Log-spaced bucket bounds (ms) covering [min, max] on nice values: the finest
 * series that gives at most `buckets` bounds. The first bound is at or below
 * min (0 when some durations are 0); the last bucket is open-ended.
 */
export function heatmapBounds(minMs: number, maxMs: number, minPositiveMs: number | null, buckets: number): number[] {
  if (minPositiveMs === null) return [0];
  const lo = minMs > 0 ? minMs : minPositiveMs;
  let bounds: number[] = [];
  for (const mantissas of SERIES) {
    bounds = ladder(mantissas, 1, lo, maxMs);
    if (bounds.length <= buckets) break;
  }
  // Wider than even one bound per decade allows: one per 2, 3, … decades (down to one bound).
  for (let decades = 2; bounds.length > buckets; decades++) bounds = ladder([1], decades, lo, maxMs);
  if (minMs <= 0 && bounds[0]! > 0) bounds[0] = 0;
  return bounds;
}

interface StatsRow {
  n: string;
  min: number | null;
  max: number | null;
  minPositive: number | null;
}

/** The heatmap of one service's entry spans (SERVER and CONSUMER) in the window. */
export async function readLatencyHeatmap(store: Store, w: TimeWindow, service: string, stepArg: number | null | undefined, bucketsArg: number | null | undefined): Promise<LatencyHeatmap> {
  const buckets = bucketsArg ?? 24;
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_BUCKETS) throw userError(`buckets must be between 1 and ${MAX_BUCKETS}, got ${buckets}`, 'BAD_USER_INPUT');
  const step = seriesStep(stepArg, w);
  const entry = sql`ServiceName = ${service} AND SpanKind IN ${[...KIND_SPELLINGS.SERVER, ...KIND_SPELLINGS.CONSUMER]}
    AND ${timestampBetween(sql`${w.from}`, sql`${w.to}`)}`;
  const [stats] = await store.query<StatsRow>(sql`
    SELECT count() AS n, min(Duration / 1e6) AS min, max(Duration / 1e6) AS max, minIf(Duration / 1e6, Duration > 0) AS minPositive
    FROM otel_traces WHERE ${entry}`);
  if (!stats || Number(stats.n) === 0) return { step, bounds: [], cells: [] };
  // minIf over no rows is 0, not null: all durations 0 means no positive one.
  const bounds = heatmapBounds(stats.min!, stats.max!, stats.max! > 0 ? stats.minPositive : null, buckets);
  const s = param('UInt32', step);
  const rows = await store.query<{ t: string; bucket: string; n: string }>(sql`
    SELECT intDiv(toUnixTimestamp(Timestamp), ${s}) * ${s} AS t, arrayCount(b -> b <= Duration / 1e6, ${param('Array(Float64)', bounds)}) - 1 AS bucket, count() AS n
    FROM otel_traces WHERE ${entry}
    GROUP BY t, bucket ORDER BY t, bucket`);
  return { step, bounds, cells: rows.map((r) => ({ time: new Date(Number(r.t) * 1000), bucket: Number(r.bucket), count: Number(r.n) })) };
}
