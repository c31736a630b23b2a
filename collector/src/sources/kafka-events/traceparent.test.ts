import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTraceparent } from './traceparent.ts';

// The example value from the W3C Trace Context recommendation.
const EXAMPLE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

test('a version-00 traceparent gives its trace id and parent span id', () => {
  assert.deepEqual(parseTraceparent(EXAMPLE), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' });
  assert.deepEqual(parseTraceparent(` ${EXAMPLE} `), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' });
});

test('a later version may append fields; version ff and extra fields on version 00 are invalid', () => {
  assert.deepEqual(parseTraceparent(`01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds`), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' });
  assert.equal(parseTraceparent(`${EXAMPLE}-extra`), null);
  assert.equal(parseTraceparent(EXAMPLE.replace(/^00/, 'ff')), null);
});

test('all-zero ids, upper-case hex and wrong lengths are invalid', () => {
  assert.equal(parseTraceparent(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`), null);
  assert.equal(parseTraceparent(`00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`), null);
  assert.equal(parseTraceparent(EXAMPLE.toUpperCase()), null);
  assert.equal(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'), null);
  assert.equal(parseTraceparent(''), null);
});
