import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heatmapBounds } from './latency-heatmap.ts';

test('bounds are the finest nice series that fits the bucket count, from at or below the minimum', () => {
  // Three decades in 12 buckets: 1-2-5 fits (10 bounds), R5 (16) does not.
  assert.deepEqual(heatmapBounds(1, 1161.3, 1, 12), [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]);
  // The same range with room for more: Renard R5, log-even.
  assert.deepEqual(heatmapBounds(1, 1161.3, 1, 24), [1, 1.6, 2.5, 4, 6.3, 10, 16, 25, 40, 63, 100, 160, 250, 400, 630, 1000]);
  // A narrow range gets R10 and starts below the minimum, on a nice value (no binary noise).
  assert.deepEqual(heatmapBounds(0.17, 0.52, 0.17, 24), [0.16, 0.2, 0.25, 0.315, 0.4, 0.5]);
  // Nine decades in 4 buckets: one bound per three decades; in 2, one per five.
  assert.deepEqual(heatmapBounds(0.001, 500_000, 0.001, 4), [0.001, 1, 1000]);
  assert.deepEqual(heatmapBounds(0.001, 500_000, 0.001, 3), [0.001, 1, 1000]);
  assert.deepEqual(heatmapBounds(0.002, 500_000, 0.002, 2), [0.001, 100]);
});

test('one duration gives one open bucket; zero durations start the first bucket at 0', () => {
  assert.deepEqual(heatmapBounds(42, 42, 42, 24), [40]);
  assert.deepEqual(heatmapBounds(0, 9, 3, 3), [0, 4, 6.3]);
  assert.deepEqual(heatmapBounds(0, 0, null, 24), [0]);
});

test('every bound list is ascending, starts at or below the minimum and ends at or below the maximum', () => {
  for (const [min, max] of [[0.3, 7], [1.25, 1.26], [3, 3e6], [999, 1001], [0.0005, 0.0009]] as const) {
    for (const buckets of [1, 2, 5, 12, 24, 60]) {
      const b = heatmapBounds(min, max, min, buckets);
      assert.ok(b.length >= 1 && b.length <= buckets, `${min}..${max} in ${buckets}: ${b}`);
      assert.ok(b[0]! <= min && b.at(-1)! <= max, `${min}..${max}: ${b}`);
      assert.ok(b.every((v, i) => i === 0 || v > b[i - 1]!), `${b}`);
    }
  }
});
