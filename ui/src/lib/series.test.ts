import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServicePoint } from './api.ts';
import { columnMax, lastValue, toColumns } from './series.ts';

function pt(time: string, requests: number, errors: number, p95: number | null): ServicePoint {
  return {
    time,
    requests,
    errors,
    errorRate: requests ? errors / requests : 0,
    requestRate: requests / 60,
    latency: { p50: p95 === null ? null : p95 / 2, p95, p99: p95 === null ? null : p95 * 2 },
  };
}

test('columns are time-sorted, in seconds, with gaps for missing data', () => {
  const cols = toColumns([
    pt('2025-03-04T10:01:00Z', 0, 0, null),
    pt('2025-03-04T10:00:00Z', 120, 6, 40),
    pt('not a time', 1, 1, 1),
    pt('2025-03-04T10:02:00Z', 60, 0, 10),
  ]);
  const t0 = Date.parse('2025-03-04T10:00:00Z') / 1000;
  assert.deepEqual(cols.time, [t0, t0 + 60, t0 + 120]);
  assert.deepEqual(cols.p95, [40, null, 10]);
  assert.deepEqual(cols.p50, [20, null, 5]);
  assert.deepEqual(cols.requestRate, [2, 0, 1]);
  assert.deepEqual(cols.errorPercent, [5, null, 0]);
});

test('last and max ignore gaps', () => {
  assert.equal(lastValue([1, 2, null]), 2);
  assert.equal(lastValue([null]), null);
  assert.equal(columnMax([null, 3, 1]), 3);
  assert.equal(columnMax([]), 0);
});
