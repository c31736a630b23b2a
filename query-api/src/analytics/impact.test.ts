import { test } from 'node:test';
import assert from 'node:assert/strict';
import { upstreamOf } from './impact.ts';

test('upstream: fewest hops win, calls are those towards services one hop nearer, nearest then busiest first', () => {
  const up = upstreamOf([
    { caller: 'pay', callee: 'fraud', calls: 13 },
    { caller: 'web', callee: 'pay', calls: 10 },
    { caller: 'mobile', callee: 'pay', calls: 20 },
    // web also reaches fraud in two hops through pay; its direct call makes it depth 1 with only these calls.
    { caller: 'web', callee: 'fraud', calls: 2 },
    { caller: 'edge', callee: 'web', calls: 7 },
    { caller: 'edge', callee: 'mobile', calls: 3 },
    // a cycle back into the failing service and a self call change nothing.
    { caller: 'fraud', callee: 'pay', calls: 1 },
    { caller: 'pay', callee: 'pay', calls: 4 },
    // not upstream: fraud's own callee.
    { caller: 'fraud', callee: 'rules', calls: 9 },
  ], 'fraud');
  assert.deepEqual(up, [
    { service: 'pay', depth: 1, calls: 13 },
    { service: 'web', depth: 1, calls: 2 },
    { service: 'mobile', depth: 2, calls: 20 },
    { service: 'edge', depth: 2, calls: 7 },
  ]);
});

test('upstream of a service nobody calls is empty', () => {
  assert.deepEqual(upstreamOf([{ caller: 'a', callee: 'b', calls: 1 }], 'a'), []);
});
