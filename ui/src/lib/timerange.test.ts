import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_RANGE,
  PRESETS,
  absoluteRange,
  describeRelative,
  describeRelativeRange,
  fromLocalInput,
  isRelative,
  normalizeRange,
  parseTimeValue,
  presetFor,
  rangeSeconds,
  resolveRange,
  toIsoSeconds,
  toLocalInput,
} from './timerange.ts';

const NOW = Date.parse('2025-03-04T12:00:00Z');

test('parses relative and absolute values', () => {
  assert.deepEqual(parseTimeValue('now'), { kind: 'relative', offsetMs: 0 });
  assert.deepEqual(parseTimeValue('now-15m'), { kind: 'relative', offsetMs: 900_000 });
  assert.deepEqual(parseTimeValue('now-7d'), { kind: 'relative', offsetMs: 7 * 86_400_000 });
  assert.deepEqual(parseTimeValue('2025-03-04T10:00:00Z'), { kind: 'absolute', ms: Date.parse('2025-03-04T10:00:00Z') });
  assert.deepEqual(parseTimeValue('2025-03-04T10:00:00.123+01:00'), {
    kind: 'absolute',
    ms: Date.parse('2025-03-04T09:00:00.123Z'),
  });
  for (const bad of ['', 'now+1h', 'now-1y', 'yesterday', '1700000000', '2025-13-45T99:99:99Z', null, undefined]) {
    assert.equal(parseTimeValue(bad), null, String(bad));
  }
});

test('presets are the five documented windows', () => {
  assert.deepEqual(
    PRESETS.map((p) => p.from),
    ['now-15m', 'now-1h', 'now-6h', 'now-24h', 'now-7d'],
  );
  assert.equal(presetFor({ from: 'now-6h', to: 'now' })?.key, '6h');
  assert.equal(presetFor({ from: 'now-6h', to: 'now-1h' }), undefined);
});

test('normalizes URL values, falling back to the default', () => {
  assert.deepEqual(normalizeRange(null, null), DEFAULT_RANGE);
  assert.deepEqual(normalizeRange('now-6h', null), { from: 'now-6h', to: 'now' });
  assert.deepEqual(normalizeRange('garbage', 'now'), DEFAULT_RANGE);
  assert.deepEqual(normalizeRange('now', 'now-1h'), DEFAULT_RANGE, 'reversed');
  assert.deepEqual(normalizeRange('2025-03-04T11:00:00Z', '2025-03-04T10:00:00Z'), DEFAULT_RANGE);
  assert.deepEqual(normalizeRange(' 2025-03-04T10:00:00Z ', '2025-03-04T11:00:00Z'), {
    from: '2025-03-04T10:00:00Z',
    to: '2025-03-04T11:00:00Z',
  });
});

test('resolves against an explicit now', () => {
  const r = resolveRange({ from: 'now-1h', to: 'now' }, NOW);
  assert.equal(r.from.toISOString(), '2025-03-04T11:00:00.000Z');
  assert.equal(r.to.toISOString(), '2025-03-04T12:00:00.000Z');
  assert.equal(rangeSeconds(r), 3600);
  const a = resolveRange({ from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' }, NOW);
  assert.equal(rangeSeconds(a), 86400);
  assert.equal(isRelative({ from: 'now-1h', to: 'now' }), true);
  assert.equal(isRelative({ from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' }), false);
  assert.equal(isRelative({ from: '2025-01-01T00:00:00Z', to: 'now' }), true);
});

test('chart selections become absolute ranges of at least a minute', () => {
  const a = Date.parse('2025-03-04T10:00:00.400Z');
  const b = Date.parse('2025-03-04T10:30:00Z');
  assert.deepEqual(absoluteRange(b, a), { from: '2025-03-04T10:00:00Z', to: '2025-03-04T10:30:00Z' });
  const narrow = absoluteRange(b, b + 1000);
  assert.equal(Date.parse(narrow.to) - Date.parse(narrow.from), 60_000);
  assert.equal(toIsoSeconds(Date.parse('2025-03-04T10:00:00.600Z')), '2025-03-04T10:00:01Z');
});

test('datetime-local round trip', () => {
  const d = new Date(2025, 2, 4, 9, 5);
  assert.equal(toLocalInput(d), '2025-03-04T09:05');
  assert.equal(fromLocalInput('2025-03-04T09:05')?.getTime(), d.getTime());
  assert.equal(fromLocalInput(''), null);
  assert.equal(fromLocalInput('tomorrow'), null);
});

test('describes ranges in words', () => {
  assert.equal(describeRelativeRange({ from: 'now-1h', to: 'now' }), 'Last hour');
  assert.equal(describeRelativeRange({ from: 'now-3d', to: 'now' }), 'Last 3 days');
  assert.equal(describeRelativeRange({ from: 'now-1m', to: 'now' }), 'Last 1 minute');
  assert.equal(describeRelativeRange({ from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' }), undefined);
  assert.equal(describeRelative('now-2h'), '2 hours ago');
  assert.equal(describeRelative('now'), 'now');
});
