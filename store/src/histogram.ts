/**
 * A quantile of a histogram as Prometheus' histogram_quantile computes it:
 * find the bucket holding rank q·total and interpolate linearly between its
 * lower and upper bound. `counts` holds per-bucket (not cumulative) counts by
 * upper bound; `bounds` holds every bound of the layout, empty buckets'
 * included, since a bucket's lower bound is the bound before it (0 for the
 * first). A quantile landing in the +Inf bucket is the highest finite bound.
 * Returns null for an empty histogram.
 */
export function histogramQuantile(q: number, counts: ReadonlyMap<number, number>, bounds: Iterable<number> = []): number | null {
  const all = [...new Set([...bounds, ...counts.keys()])].sort((a, b) => a - b);
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total <= 0 || !(q >= 0 && q <= 1)) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < all.length; i++) {
    const upper = all[i]!;
    const n = counts.get(upper) ?? 0;
    if (n > 0 && below + n >= rank) {
      const lower = i > 0 ? all[i - 1]! : 0;
      if (upper === Infinity) return lower;
      // Prometheus: a first bucket with a positive bound starts at 0.
      const from = i > 0 ? lower : Math.min(0, upper);
      return from + (upper - from) * ((rank - below) / n);
    }
    below += n;
  }
  return all.filter(Number.isFinite).pop() ?? null;
}
