import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_THRESHOLDS, LAG_WARN_MESSAGES, errorLevel, lagIsHigh, legend, trafficWeight } from './thresholds.ts';

test('error levels follow the thresholds', () => {
  assert.equal(ERROR_THRESHOLDS.warn, 0.01);
  assert.equal(ERROR_THRESHOLDS.bad, 0.05);
  assert.equal(errorLevel(0, 10), 'ok');
  assert.equal(errorLevel(0.0099, 10), 'ok');
  assert.equal(errorLevel(0.01, 10), 'warn');
  assert.equal(errorLevel(0.05, 10), 'warn');
  assert.equal(errorLevel(0.0501, 10), 'bad');
  assert.equal(errorLevel(1, 10), 'bad');
});

test('no traffic is its own level, not healthy', () => {
  assert.equal(errorLevel(0, 0), 'idle');
  assert.equal(errorLevel(null), 'idle');
  assert.equal(errorLevel(Number.NaN), 'idle');
  assert.equal(errorLevel(0.2), 'bad');
});

test('legend lists every level with its range', () => {
  const l = legend();
  assert.deepEqual(l.map((x) => x.level), ['ok', 'warn', 'bad', 'idle']);
  assert.equal(l[0]?.range, '< 1% errors');
  assert.equal(l[1]?.range, '1–5% errors');
  assert.equal(l[2]?.range, '> 5% errors');
});

test('traffic weight is log-scaled into 0..1', () => {
  assert.equal(trafficWeight(0, 100), 0);
  assert.equal(trafficWeight(100, 100), 1);
  assert.equal(trafficWeight(5, 0), 0);
  const w = trafficWeight(10, 1000);
  assert.ok(w > 0.3 && w < 0.4, String(w));
  assert.ok(trafficWeight(1, 1000) < trafficWeight(10, 1000));
});

test('lag is marked above 1000 messages, never when unknown', () => {
  assert.equal(LAG_WARN_MESSAGES, 1000);
  assert.equal(lagIsHigh(1000), false);
  assert.equal(lagIsHigh(1001), true);
  assert.equal(lagIsHigh(0), false);
  assert.equal(lagIsHigh(null), false);
  assert.equal(lagIsHigh(undefined), false);
  assert.equal(lagIsHigh(Number.NaN), false);
  assert.equal(lagIsHigh(50, 10), true);
});
