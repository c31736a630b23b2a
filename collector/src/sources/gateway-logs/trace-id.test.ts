import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromB3Single, fromB3TraceId, fromTraceparent, fromXRay, traceIdOf } from './trace-id.ts';

const ID = '4bf92f3577b34da6a3ce929d0e0e4736';

test('W3C traceparent gives its trace id, upper-case hex lowered; invalid ones give ""', () => {
  assert.equal(fromTraceparent(`00-${ID}-00f067aa0ba902b7-01`), ID);
  assert.equal(fromTraceparent(`00-${ID.toUpperCase()}-00F067AA0BA902B7-01`), ID);
  assert.equal(fromTraceparent(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`), '');
  assert.equal(fromTraceparent('ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'), '');
  assert.equal(fromTraceparent('garbage'), '');
});

test('B3: 128-bit ids as they are, 64-bit ids left-padded with zeros as OpenTelemetry does', () => {
  assert.equal(fromB3Single(`${ID}-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90`), ID);
  assert.equal(fromB3Single('80f198ee56343ba8-e457b5a2e4d86bd1-1'), '000000000000000080f198ee56343ba8');
  assert.equal(fromB3Single('1'), '');
  assert.equal(fromB3TraceId('80F198EE56343BA8'), '000000000000000080f198ee56343ba8');
  assert.equal(fromB3TraceId('80f198ee56343ba'), '');
});

test('X-Ray: epoch hex and the 24 hex after it make the 32, from a header Root or a bare id', () => {
  assert.equal(fromXRay('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1'), '5759e988bd862e3fe1be46a994272793');
  assert.equal(fromXRay('Self=1-67891234-12456789abcdef012345678;Root=1-5759e988-bd862e3fe1be46a994272793'), '5759e988bd862e3fe1be46a994272793');
  assert.equal(fromXRay('1-5759e988-bd862e3fe1be46a994272793'), '5759e988bd862e3fe1be46a994272793');
  assert.equal(fromXRay('1-5759e988-bd862e3f'), '');
  assert.equal(fromXRay('2-5759e988-bd862e3fe1be46a994272793'), '');
});

test('traceIdOf takes the first valid header in the order traceparent, b3, X-B3-TraceId, X-Amzn-Trace-Id', () => {
  const xray = 'Root=1-5759e988-bd862e3fe1be46a994272793';
  assert.equal(traceIdOf({ traceparent: `00-${ID}-00f067aa0ba902b7-01`, xAmznTraceId: xray }), ID);
  assert.equal(traceIdOf({ traceparent: 'broken', xB3TraceId: '80f198ee56343ba8', xAmznTraceId: xray }), '000000000000000080f198ee56343ba8');
  assert.equal(traceIdOf({ xAmznTraceId: xray }), '5759e988bd862e3fe1be46a994272793');
  assert.equal(traceIdOf({ traceparent: 42, b3: null }), '');
});
