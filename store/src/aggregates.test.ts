import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planRanges } from './aggregates.ts';

const H = 3600;

test('whole hours come from rollups, the minutes around them from minute rows', () => {
  assert.deepEqual(planRanges(10 * H - 600, 13 * H + 120), [
    { granularity: 'minute', from: 10 * H - 600, to: 10 * H },
    { granularity: 'hour', from: 10 * H, to: 13 * H },
    { granularity: 'minute', from: 13 * H, to: 13 * H + 120 },
  ]);
});

test('aligned windows need no minute rows; short ones need no hours', () => {
  assert.deepEqual(planRanges(2 * H, 4 * H), [{ granularity: 'hour', from: 2 * H, to: 4 * H }]);
  assert.deepEqual(planRanges(2 * H + 60, 3 * H - 60), [{ granularity: 'minute', from: 2 * H + 60, to: 3 * H - 60 }]);
  // crosses an hour boundary without holding a whole hour
  assert.deepEqual(planRanges(2 * H + 60, 3 * H + 60), [{ granularity: 'minute', from: 2 * H + 60, to: 3 * H + 60 }]);
  assert.deepEqual(planRanges(5 * H, 5 * H), []);
});
