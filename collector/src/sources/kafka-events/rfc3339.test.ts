import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRfc3339 } from './rfc3339.ts';

test('RFC 3339 date-times: offsets become UTC, fractions are cut to milliseconds', () => {
  assert.deepEqual(parseRfc3339('2018-04-26T14:48:09+02:00'), { ms: Date.UTC(2018, 3, 26, 12, 48, 9) });
  assert.deepEqual(parseRfc3339('2018-04-26T14:48:09.1239Z'), { ms: Date.UTC(2018, 3, 26, 14, 48, 9, 123) });
  assert.deepEqual(parseRfc3339('2018-04-26t14:48:09.5-00:30'), { ms: Date.UTC(2018, 3, 26, 15, 18, 9, 500) });
  assert.deepEqual(parseRfc3339('2024-02-29T00:00:00Z'), { ms: Date.UTC(2024, 1, 29) });
  assert.deepEqual(parseRfc3339('1969-12-31T23:59:59.999Z'), { ms: -1 });
});

test('other shapes and impossible fields are not RFC 3339', () => {
  for (const text of ['2018-04-26 14:48:09Z', '2018-04-26T14:48:09', '2018-04-26', '1524754089', '2018-4-26T14:48:09Z', 'Thu, 26 Apr 2018 14:48:09 GMT']) {
    assert.deepEqual(parseRfc3339(text), { error: 'is not an RFC 3339 date-time' }, text);
  }
  for (const text of ['2023-02-29T00:00:00Z', '2018-13-01T00:00:00Z', '2018-04-31T00:00:00Z', '2018-04-26T24:00:00Z', '2018-04-26T14:48:09+24:00']) {
    assert.deepEqual(parseRfc3339(text), { error: 'is not an RFC 3339 date-time (a field is out of range)' }, text);
  }
});

test('times DateTime64 cannot hold are refused', () => {
  assert.deepEqual(parseRfc3339('0099-01-01T00:00:00Z'), { error: 'is before 1900, outside what DateTime64 holds' });
  assert.deepEqual(parseRfc3339('2300-01-01T00:00:00Z'), { error: 'is outside what DateTime64 holds (1900-2299)' });
  assert.deepEqual(parseRfc3339('1900-01-01T00:30:00+01:00'), { error: 'is outside what DateTime64 holds (1900-2299)' });
});
