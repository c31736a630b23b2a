/**
 * Prometheus' histogram_quantile over per-bucket counts ([upper bound, count],
 * not cumulative, as MeshEdgeDelta holds them): the q-quantile by linear
 * interpolation inside the bucket the rank falls in, the first bucket starting
 * at 0. As in Prometheus: q < 0 gives -Infinity, q > 1 Infinity; no +Inf
 * bucket, fewer than two bounds or no observations give NaN; a rank in the
 * +Inf bucket gives the highest finite bound; a first bucket with a bound <= 0
 * gives that bound.
 */
export function histogramQuantile(q: number, buckets: ReadonlyArray<readonly [number, number]>): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  // Per-bucket counts of equal bounds add up, which is Prometheus' coalescing of duplicate `le`.
  const byBound = new Map<number, number>();
  for (const [le, n] of buckets) byBound.set(le, (byBound.get(le) ?? 0) + Math.max(0, n));
  const bounds = [...byBound.keys()].sort((a, b) => a - b);
  if (bounds.length < 2 || bounds[bounds.length - 1] !== Infinity) return NaN;
  const cumulative: number[] = [];
  let total = 0;
  for (const b of bounds) cumulative.push((total += byBound.get(b)!));
  if (total === 0) return NaN;
  let rank = q * total;
  // The first bucket whose cumulative count reaches the rank, searching all but +Inf (as sort.Search over len-1).
  let b = 0;
  while (b < bounds.length - 1 && cumulative[b]! < rank) b++;
  if (b === bounds.length - 1) return bounds[bounds.length - 2]!;
  if (b === 0 && bounds[0]! <= 0) return bounds[0]!;
  const end = bounds[b]!;
  let start = 0;
  let count = cumulative[b]!;
  if (b > 0) {
    start = bounds[b - 1]!;
    count -= cumulative[b - 1]!;
    rank -= cumulative[b - 1]!;
  }
  return start + (end - start) * (rank / count);
}
