import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sliceLength, sliceToken } from './otlp-slices.ts';

test('a fresh slice takes up to the limit', () => {
  assert.equal(sliceLength(['10', '11', '12'], 8, undefined), 3);
  assert.equal(sliceLength(['10', '11', '12'], 2, undefined), 2);
});

test('resuming at a recorded slice takes exactly its offsets, gaps included', () => {
  assert.equal(sliceLength(['10', '11', '14', '15', '16'], 8, { first: '10', last: '14' }), 3);
  // Offsets beyond 2^53 compare as integers, not floats.
  assert.equal(sliceLength(['9007199254740993', '9007199254740994'], 8, { first: '9007199254740993', last: '9007199254740993' }), 1);
});

test('a recorded slice that does not start here is ignored', () => {
  assert.equal(sliceLength(['20', '21'], 8, { first: '10', last: '14' }), 2);
});

test('a token names topic, partition and offsets', () => {
  assert.equal(sliceToken('otlp_spans', 2, { first: '10', last: '14' }), 'kafka-otlp/otlp_spans/2/10-14');
});
