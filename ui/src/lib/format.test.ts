import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duration, formatCount, formatMs, formatPercent, formatRate, formatRateValue, formatWindow, percent, rate } from './format.ts';

test('milliseconds pick a readable unit', () => {
  assert.equal(formatMs(0), '0 ms');
  assert.equal(formatMs(0.4234), '0.42 ms');
  assert.equal(formatMs(4.2), '4.2 ms');
  assert.equal(formatMs(12.34), '12.3 ms');
  assert.equal(formatMs(123.4), '123 ms');
  assert.equal(formatMs(1234), '1.23 s');
  assert.equal(formatMs(12_345), '12.3 s');
  assert.equal(formatMs(150_000), '2.5 min');
  assert.equal(formatMs(null), '—');
  assert.equal(formatMs(undefined), '—');
  assert.equal(formatMs(Number.NaN), '—');
  assert.deepEqual(duration(250), { value: '250', unit: 'ms' });
  assert.deepEqual(duration(null), { value: '—', unit: '' });
});

test('rates', () => {
  assert.equal(formatRateValue(0), '0');
  assert.equal(formatRateValue(0.0004), '<0.001');
  assert.equal(formatRateValue(0.0042), '0.004');
  assert.equal(formatRateValue(0.25), '0.25');
  assert.equal(formatRateValue(3.456), '3.46');
  assert.equal(formatRateValue(3), '3');
  assert.equal(formatRateValue(42.31), '42.3');
  assert.equal(formatRateValue(420.6), '421');
  assert.equal(formatRateValue(1234), '1.2k');
  assert.equal(formatRate(12.5), '12.5 req/s');
  assert.equal(formatRate(null), '—');
  assert.deepEqual(rate(2, '/s'), { value: '2', unit: '/s' });
});

test('percentages from ratios', () => {
  assert.equal(formatPercent(0), '0%');
  assert.equal(formatPercent(0.00001), '<0.01%');
  assert.equal(formatPercent(0.0025), '0.25%');
  assert.equal(formatPercent(0.034), '3.4%');
  assert.equal(formatPercent(0.42), '42%');
  assert.equal(formatPercent(1), '100%');
  assert.equal(formatPercent(null), '—');
  assert.deepEqual(percent(0.05), { value: '5', unit: '%' });
});

test('counts and windows', () => {
  assert.equal(formatCount(950), '950');
  assert.equal(formatCount(1200), '1.2k');
  assert.equal(formatCount(34_000), '34k');
  assert.equal(formatCount(1_500_000), '1.5M');
  assert.equal(formatCount(1000), '1k');
  assert.equal(formatWindow(900), '15 min');
  assert.equal(formatWindow(3600), '1 h');
  assert.equal(formatWindow(5400), '1 h 30 min');
  assert.equal(formatWindow(7 * 86400), '7 d');
  assert.equal(formatWindow(30), '30 s');
});
