import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConcurrencyGate } from './concurrency-gate.ts';

class Full extends Error {}

function deferred(): { promise: Promise<string>; resolve: (v: string) => void; reject: (e: Error) => void } {
  let resolve!: (v: string) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

test('a gate runs at most its limit at once, queues up to its bound, and refuses beyond it', async () => {
  const gate = new ConcurrencyGate(1, 1, () => new Full('full'));
  const started: string[] = [];
  const a = deferred();
  const b = deferred();
  const ra = gate.run(() => (started.push('a'), a.promise));
  const rb = gate.run(() => (started.push('b'), b.promise));
  await assert.rejects(gate.run(async () => 'c'), Full, 'a third task is refused while one runs and one waits');
  await Promise.resolve();
  assert.deepEqual(started, ['a'], 'b waits for a');
  assert.equal(gate.waiting, 1);
  a.resolve('A');
  assert.equal(await ra, 'A');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, ['a', 'b'], 'b starts once a ends');
  assert.equal(gate.waiting, 0);
  b.reject(new Error('b failed'));
  await assert.rejects(rb, /b failed/);
  // A failed task frees its slot like a finished one.
  assert.equal(await gate.run(async () => 'd'), 'd');
  const [x, y] = await Promise.all([gate.run(async () => 'x'), gate.run(async () => 'y')]);
  assert.deepEqual([x, y], ['x', 'y']);
});
