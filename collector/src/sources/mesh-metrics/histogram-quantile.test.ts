import { test } from 'node:test';
import assert from 'node:assert/strict';
import { histogramQuantile } from './histogram-quantile.ts';

// Per-bucket: 2 in (0, 10], 6 in (10, 20], 2 in (20, 50], none above. Cumulative 2, 8, 10, 10.
const H: Array<[number, number]> = [[10, 2], [20, 6], [50, 2], [Infinity, 0]];

test('interpolates linearly inside the bucket the rank falls in (hand-computed)', () => {
  assert.equal(histogramQuantile(0.1, H), 5); // rank 1 of 2 in (0, 10]
  assert.equal(histogramQuantile(0.5, H), 15); // rank 5: 3rd of 6 in (10, 20]
  assert.equal(histogramQuantile(0.9, H), 35); // rank 9: 1st of 2 in (20, 50]
  assert.equal(histogramQuantile(1, H), 50);
  assert.equal(histogramQuantile(0.95, H), 42.5); // rank 9.5: 1.5 of 2 in (20, 50]
});

test('a rank in the +Inf bucket gives the highest finite bound', () => {
  assert.equal(histogramQuantile(0.5, [[10, 1], [Infinity, 3]]), 10);
});

test('bounds in any order and repeated bounds are merged, as Prometheus coalesces buckets', () => {
  // {10: 1, 20: 6, +Inf: 0}; rank 3.5 is 2.5 of 6 into (10, 20].
  assert.equal(histogramQuantile(0.5, [[20, 3], [10, 1], [20, 3], [Infinity, 0]]), 10 + 10 * (2.5 / 6));
});

test('a first bucket with a bound <= 0 gives that bound', () => {
  assert.equal(histogramQuantile(0.2, [[0, 5], [10, 5], [Infinity, 0]]), 0);
});

test('Prometheus\' edge cases: q outside [0, 1], no +Inf bucket, no observations', () => {
  assert.equal(histogramQuantile(-0.1, H), -Infinity);
  assert.equal(histogramQuantile(1.1, H), Infinity);
  assert.ok(Number.isNaN(histogramQuantile(NaN, H)));
  assert.ok(Number.isNaN(histogramQuantile(0.5, [[10, 2], [20, 6]])), 'no +Inf bucket');
  assert.ok(Number.isNaN(histogramQuantile(0.5, [[10, 0], [Infinity, 0]])), 'no observations');
  assert.ok(Number.isNaN(histogramQuantile(0.5, [[Infinity, 4]])), 'fewer than two bounds');
});
