import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildGrid,
  cellAt,
  cellIntensity,
  cellOpacity,
  cellRect,
  durationTicks,
  parseRegion,
  regionOf,
  serializeRegion,
  spanCount,
  spanOf,
  spanOfRegion,
  timeTicks,
  timeX,
} from './heatmap.ts';
import type { LatencyHeatmap } from './investigate-api.ts';

const T = (hhmmss: string) => Date.parse(`2025-03-04T${hhmmss}Z`);

// Four buckets: [1,2) [2,4) [4,8) [8,∞) ms; one-minute steps over 10:00:30..10:04:30.
const HEATMAP: LatencyHeatmap = {
  step: 60,
  bounds: [1, 2, 4, 8],
  cells: [
    { time: '2025-03-04T10:00:00Z', bucket: 0, count: 3 },
    { time: '2025-03-04T10:01:00Z', bucket: 1, count: 15 },
    { time: '2025-03-04T10:01:00Z', bucket: 2, count: 1 },
    { time: '2025-03-04T10:02:00Z', bucket: 1, count: 4 },
    { time: '2025-03-04T10:04:00Z', bucket: 3, count: 2 },
    { time: '2025-03-04T10:09:00Z', bucket: 0, count: 99 }, // after the window: dropped
    { time: '2025-03-04T10:02:00Z', bucket: 7, count: 99 }, // no such bucket: dropped
    { time: '2025-03-04T10:03:00Z', bucket: 0, count: 0 }, // empty: not a cell
  ],
};
const grid = buildGrid(HEATMAP, T('10:00:30'), T('10:04:30'));

test('buildGrid places cells by step and bucket, aligned to the step, and drops what is outside', () => {
  assert.equal(grid.startMs, T('10:00:00'));
  assert.equal(grid.stepMs, 60_000);
  assert.equal(grid.columns, 5);
  assert.equal(grid.rows, 4);
  assert.deepEqual(
    grid.cells.map((c) => [c.col, c.row, c.count]),
    [
      [0, 0, 3],
      [1, 1, 15],
      [1, 2, 1],
      [2, 1, 4],
      [4, 3, 2],
    ],
  );
  assert.equal(grid.max, 15);
  assert.equal(grid.total, 25);
  assert.equal(grid.cells[3]!.timeMs, T('10:02:00'));
});

test('colour is log-scaled against the busiest cell, with a visible floor', () => {
  assert.equal(cellIntensity(15, 15), 1);
  assert.equal(cellIntensity(1, 15), 0.25); // log(2) / log(16)
  assert.equal(cellIntensity(0, 15), 0);
  assert.equal(cellIntensity(3, 0), 0);
  assert.equal(cellOpacity(1, 15), 0.3625);
  assert.equal(cellOpacity(15, 15), 1);
  assert.equal(cellOpacity(0, 15), 0);
});

test('cell geometry: rows grow upwards, columns split the width evenly', () => {
  assert.deepEqual(cellRect(grid, 2, 1, 500, 200), { x: 200, y: 100, width: 100, height: 50 });
  assert.deepEqual(cellRect(grid, 0, 3, 500, 200), { x: 0, y: 0, width: 100, height: 50 });
  assert.deepEqual(cellAt(grid, 250, 120, 500, 200), { col: 2, row: 1 });
  assert.deepEqual(cellAt(grid, -20, 260, 500, 200), { col: 0, row: 0 }, 'clamped below and left');
  assert.deepEqual(cellAt(grid, 800, -5, 500, 200), { col: 4, row: 3 }, 'clamped above and right');
  assert.equal(timeX(grid, T('10:02:30'), 500), 250);
});

test('a dragged span becomes a time window and duration bounds', () => {
  const s = spanOf({ col: 2, row: 2 }, { col: 1, row: 1 });
  assert.deepEqual(s, { col0: 1, col1: 2, row0: 1, row1: 2 });
  assert.deepEqual(regionOf(grid, s), { fromMs: T('10:01:00'), toMs: T('10:03:00'), minMs: 2, maxMs: 8 });
  assert.equal(spanCount(grid, s), 20);
  // Edge columns are clipped to the window; the first and last buckets are open-ended.
  assert.deepEqual(regionOf(grid, { col0: 0, col1: 4, row0: 0, row1: 3 }), { fromMs: T('10:00:30'), toMs: T('10:04:30'), minMs: null, maxMs: null });
  assert.deepEqual(regionOf(grid, { col0: 4, col1: 4, row0: 3, row1: 3 }), { fromMs: T('10:04:00'), toMs: T('10:04:30'), minMs: 8, maxMs: null });
  assert.equal(spanCount(grid, { col0: 0, col1: 4, row0: 0, row1: 3 }), grid.total);
});

test('a region read back from the URL covers the same cells', () => {
  for (const s of [
    { col0: 1, col1: 2, row0: 1, row1: 2 },
    { col0: 0, col1: 4, row0: 0, row1: 3 },
    { col0: 4, col1: 4, row0: 3, row1: 3 },
  ]) {
    const r = parseRegion(serializeRegion(regionOf(grid, s)));
    assert.ok(r);
    assert.deepEqual(spanOfRegion(grid, r), s);
  }
  assert.equal(spanOfRegion(grid, { fromMs: T('11:00:00'), toMs: T('11:05:00'), minMs: null, maxMs: null }), null, 'outside the window');
});

test('the region URL parameter', () => {
  const r = { fromMs: T('10:01:00'), toMs: T('10:03:00'), minMs: 2, maxMs: null };
  assert.equal(serializeRegion(r), '2025-03-04T10:01:00Z,2025-03-04T10:03:00Z,2,');
  assert.deepEqual(parseRegion('2025-03-04T10:01:00Z,2025-03-04T10:03:00Z,2,'), r);
  assert.deepEqual(parseRegion('2025-03-04T10:01:00Z,2025-03-04T10:03:00Z,,0.5'), { ...r, minMs: null, maxMs: 0.5 });
  for (const bad of [undefined, '', 'x', '2025-03-04T10:03:00Z,2025-03-04T10:01:00Z,,', '2025-03-04T10:01:00Z,2025-03-04T10:03:00Z,8,2', 'a,b,,', '2025-03-04T10:01:00Z,2025-03-04T10:03:00Z,-1,']) {
    assert.equal(parseRegion(bad), null, String(bad));
  }
});

test('axis ticks: bucket bounds thinned to fit, round times', () => {
  const bounds = Array.from({ length: 24 }, (_, i) => 2 ** i / 4);
  assert.deepEqual(
    durationTicks(bounds, 8).map((t) => t.row),
    [0, 3, 6, 9, 12, 15, 18, 21],
  );
  assert.deepEqual(durationTicks([1, 2, 4, 8], 8), [
    { row: 0, ms: 1 },
    { row: 1, ms: 2 },
    { row: 2, ms: 4 },
    { row: 3, ms: 8 },
  ]);
  assert.deepEqual(timeTicks(T('10:00:30'), T('10:04:30'), 8), [T('10:01:00'), T('10:02:00'), T('10:03:00'), T('10:04:00')]);
  // An hour with at most 6 labels: every 10 minutes; with at most 4: every 15.
  assert.deepEqual(timeTicks(T('10:07:00'), T('11:07:00'), 6), [T('10:10:00'), T('10:20:00'), T('10:30:00'), T('10:40:00'), T('10:50:00'), T('11:00:00')]);
  assert.deepEqual(timeTicks(T('10:07:00'), T('11:07:00'), 4), [T('10:15:00'), T('10:30:00'), T('10:45:00'), T('11:00:00')]);
  assert.deepEqual(timeTicks(T('10:00:00'), T('10:00:00'), 6), []);
});
