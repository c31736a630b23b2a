import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meshSamples } from './exposition.ts';
import { ISTIO_READINGS, ISTIO_SCRAPE, setValues } from './fixture-readings.ts';
import { histogramQuantile } from '@plexus/store';
import type { MeshEdgeDelta } from './mesh-delta.ts';
import type { MeshSample } from './mesh-sample.ts';
import { MeshRateTracker } from './rate-tracker.ts';

const T0 = Date.UTC(2025, 0, 15, 12, 0, 30);
const MIN = 60_000;
const BOUNDS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000, Infinity];

/** Per-bucket counts over all the fixture's bounds, zero where not given. */
const buckets = (counts: Record<number, number>): Array<[number, number]> => BOUNDS.map((b) => [b, counts[b] ?? 0]);
const samples = (text: string): MeshSample[] => meshSamples(text).samples;

function edgeDelta(minuteMs: number, over: Partial<MeshEdgeDelta>): MeshEdgeDelta {
  return { minuteMs, mesh: 'istio', caller: 'productpage', callee: 'reviews', calls: 0, errors: 0, durationSumMs: 0, buckets: buckets({}), ...over };
}

test('first reading sets baselines and emits nothing; the second gives the exact increase, in the newer reading\'s minute', () => {
  const t = new MeshRateTracker();
  assert.deepEqual(t.update('sidecar', T0, samples(ISTIO_READINGS[0]!)), []);
  assert.equal(t.seriesCount('sidecar'), 23);
  // 40 s later, in the next minute: 3 calls of 20, 70 and 1500 ms. The 503 series is new, so it only gets its baseline.
  const d = t.update('sidecar', T0 + 40_000, samples(ISTIO_READINGS[1]!));
  assert.deepEqual(d, [edgeDelta(T0 - 30_000 + MIN, { calls: 3, errors: 0, durationSumMs: 1590, buckets: buckets({ 25: 1, 100: 1, 2500: 1 }) })]);
  assert.equal(histogramQuantile(0.5, new Map(d[0]!.buckets), d[0]!.buckets.map(([b]) => b)), 75, 'median: rank 1.5 of 3, halfway into the (50, 100] bucket');
});

test('errors come from the error series\' increase; buckets are per-bucket increases', () => {
  const t = new MeshRateTracker();
  for (const [i, text] of ISTIO_READINGS.slice(0, 2).entries()) t.update('sidecar', T0 + i * MIN, samples(text));
  // +2 calls of 300 ms with code 200, and the 503 series from 1 to 3.
  assert.deepEqual(t.update('sidecar', T0 + 2 * MIN, samples(ISTIO_READINGS[2]!)), [
    edgeDelta(T0 - 30_000 + 2 * MIN, { calls: 4, errors: 2, durationSumMs: 600, buckets: buckets({ 500: 2 }) }),
  ]);
});

test('a counter reset counts the new value as the increase', () => {
  const t = new MeshRateTracker();
  for (const [i, text] of ISTIO_READINGS.slice(0, 3).entries()) t.update('sidecar', T0 + i * MIN, samples(text));
  // The proxy restarted: requests 6 -> 1, sum 3240 -> 1200, one call in the 2500 bucket.
  assert.deepEqual(t.update('sidecar', T0 + 3 * MIN, samples(ISTIO_READINGS[3]!)), [
    edgeDelta(T0 - 30_000 + 3 * MIN, { calls: 1, errors: 0, durationSumMs: 1200, buckets: buckets({ 2500: 1 }) }),
  ]);
});

test('an unchanged reading emits nothing; a reading that is not newer is ignored', () => {
  const t = new MeshRateTracker();
  t.update('sidecar', T0, samples(ISTIO_SCRAPE));
  assert.deepEqual(t.update('sidecar', T0 + MIN, samples(ISTIO_SCRAPE)), []);
  assert.deepEqual(t.update('sidecar', T0 + MIN, samples(ISTIO_READINGS[1]!)), [], 'same timestamp');
  assert.equal(t.update('sidecar', T0 + 2 * MIN, samples(ISTIO_READINGS[1]!))[0]!.calls, 3, 'the ignored reading did not move the baseline');
});

test('targets are tracked apart: one target\'s reading is no baseline for another', () => {
  const t = new MeshRateTracker();
  t.update('a', T0, samples(ISTIO_SCRAPE));
  assert.deepEqual(t.update('b', T0 + MIN, samples(ISTIO_READINGS[1]!)), []);
  assert.equal(t.update('a', T0 + MIN, samples(ISTIO_READINGS[1]!))[0]!.calls, 3);
});

test('series that vanish are forgotten after forgetAfterMs; back later, they start from a new baseline', () => {
  const t = new MeshRateTracker({ forgetAfterMs: 5 * MIN });
  t.update('sidecar', T0, samples(ISTIO_SCRAPE));
  t.update('sidecar', T0 + MIN, samples(ISTIO_READINGS[1]!));
  assert.equal(t.seriesCount('sidecar'), 24);
  // Only the 503 series keeps being reported; the 200 series is gone for longer than 5 minutes.
  const only503 = samples(ISTIO_READINGS[1]!).filter((s) => s.series.includes('response_code="503"'));
  t.update('sidecar', T0 + 4 * MIN, only503);
  assert.equal(t.seriesCount('sidecar'), 24, 'not yet');
  t.update('sidecar', T0 + 7 * MIN, only503);
  assert.equal(t.seriesCount('sidecar'), 1);
  assert.deepEqual(t.update('sidecar', T0 + 8 * MIN, samples(ISTIO_READINGS[2]!)), [
    edgeDelta(T0 - 30_000 + 8 * MIN, { calls: 2, errors: 2, buckets: [] }),
  ], 'only the 503 series still had a baseline');
  t.forget('sidecar');
  assert.equal(t.seriesCount(), 0);
});

test('without a requests counter, calls and errors come from the histogram\'s _count', () => {
  const countOnly = (text: string) => samples(text).filter((s) => s.kind !== 'requests');
  const t = new MeshRateTracker();
  t.update('sidecar', T0, countOnly(ISTIO_SCRAPE));
  const d = t.update('sidecar', T0 + MIN, countOnly(setValues(ISTIO_SCRAPE, { istio_request_duration_milliseconds_count: 5 })));
  assert.deepEqual(d.map((e) => [e.calls, e.errors]), [[4, 0]]);
});
