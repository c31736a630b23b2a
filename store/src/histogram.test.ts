import { test } from 'node:test';
import assert from 'node:assert/strict';
import { histogramQuantile } from './histogram.ts';

test('interpolates inside the bucket holding the rank, from the previous bound', () => {
  // 10 calls: 5 in (0,10], 0 in (10,25], 5 in (25,50].
  const counts = new Map([[10, 5], [50, 5]]);
  const bounds = [10, 25, 50, Infinity];
  assert.equal(histogramQuantile(0.5, counts, bounds), 10);
  assert.equal(histogramQuantile(0.75, counts, bounds), 37.5); // 25 + 25 × 2.5/5
  assert.equal(histogramQuantile(0.25, counts, bounds), 5);
});

test('without the empty bucket the lower bound moves, which is why bounds are kept', () => {
  assert.equal(histogramQuantile(0.75, new Map([[10, 5], [50, 5]])), 30);
});

test('the +Inf bucket answers with the highest finite bound', () => {
  assert.equal(histogramQuantile(0.99, new Map([[100, 1], [Infinity, 9]]), [100, Infinity]), 100);
});

test('an empty histogram has no quantile', () => {
  assert.equal(histogramQuantile(0.5, new Map(), [1, 2]), null);
});
