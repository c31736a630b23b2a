import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { WritePipeline, QueueFullError } from './write-pipeline.ts';

const chunk = (s: string) => Buffer.from(s);

test('batches by size, resolves each submit only after its batch is written', async () => {
  const batches: string[][] = [];
  const p = new WritePipeline(async (chunks) => {
    await sleep(5);
    batches.push(chunks.map((c) => Buffer.from(c).toString()));
  }, { maxQueueRows: 100, maxBatchRows: 4, maxBatchDelayMs: 10_000, minBatchRows: 4 });
  const done: string[] = [];
  const subs = ['a', 'b', 'c', 'd'].map((s) => p.submit(chunk(s), 2).then(() => done.push(s)));
  await Promise.all(subs);
  assert.deepEqual(batches, [['a', 'b'], ['c', 'd']]);
  assert.deepEqual(done, ['a', 'b', 'c', 'd']);
  assert.equal(p.depth, 0);
});

test('a partial batch is written after the delay', async () => {
  let writes = 0;
  const p = new WritePipeline(async () => void writes++, { maxQueueRows: 100, maxBatchRows: 1000, maxBatchDelayMs: 20, minBatchRows: 1000 });
  const t0 = Date.now();
  await p.submit(chunk('x'), 1);
  assert.equal(writes, 1);
  assert.ok(Date.now() - t0 >= 15);
});

test('refuses work over the bound instead of growing, and recovers after writing', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const p = new WritePipeline(() => gate, { maxQueueRows: 10, maxBatchRows: 10, maxBatchDelayMs: 0, minBatchRows: 1 });
  const first = p.submit(chunk('big'), 8);
  await assert.rejects(p.submit(chunk('more'), 5), QueueFullError);
  assert.equal(p.depth, 8);
  release();
  await first;
  await p.submit(chunk('more'), 5);
});

test('a failed write rejects exactly the submits of that batch', async () => {
  let n = 0;
  const p = new WritePipeline(async () => {
    if (n++ === 0) throw new Error('store down');
  }, { maxQueueRows: 100, maxBatchRows: 2, maxBatchDelayMs: 0, minBatchRows: 1 });
  const a = p.submit(chunk('a'), 2);
  const b = p.submit(chunk('b'), 2);
  await assert.rejects(a, /store down/);
  await b;
});

test('drain flushes a waiting partial batch', async () => {
  const seen: number[] = [];
  const p = new WritePipeline(async (_c, rows) => void seen.push(rows), { maxQueueRows: 100, maxBatchRows: 1000, maxBatchDelayMs: 60_000, minBatchRows: 1000 });
  const s = p.submit(chunk('x'), 3);
  await p.drain();
  await s;
  assert.deepEqual(seen, [3]);
});

test('an idle writer takes a minimum batch at once; rows arriving during a write form the next batch', async () => {
  const batches: number[] = [];
  let release!: () => void;
  let gate = new Promise<void>((r) => (release = r));
  const p = new WritePipeline(async (_c, rows) => {
    batches.push(rows);
    await gate;
  }, { maxQueueRows: 1000, maxBatchRows: 100, maxBatchDelayMs: 60_000, minBatchRows: 10 });
  const first = p.submit(chunk('a'), 10);
  await sleep(5);
  assert.deepEqual(batches, [10]);
  const rest = [p.submit(chunk('b'), 10), p.submit(chunk('c'), 10), p.submit(chunk('d'), 10)];
  release();
  gate = Promise.resolve();
  await Promise.all([first, ...rest]);
  assert.deepEqual(batches, [10, 30]);
});

test('waitOnlyForExpected: a lone small batch is written at once, and a batch waits for rows announced with expect()', async () => {
  const batches: string[][] = [];
  const p = new WritePipeline(async (chunks) => void batches.push(chunks.map((c) => Buffer.from(c).toString())), {
    maxQueueRows: 100, maxBatchRows: 100, maxBatchDelayMs: 60_000, minBatchRows: 50, waitOnlyForExpected: true,
  });
  await p.submit(chunk('alone'), 1); // nothing else on its way: no 60 s wait
  assert.deepEqual(batches, [['alone']]);

  const first = p.expect();
  const second = p.expect();
  const a = p.submit(chunk('a'), 1);
  first();
  await sleep(10);
  assert.deepEqual(batches, [['alone']], 'waits while another request is still being parsed');
  const b = p.submit(chunk('b'), 1);
  second();
  await Promise.all([a, b]);
  assert.deepEqual(batches, [['alone'], ['a', 'b']]);
  second(); // a second call is a no-op
  await p.submit(chunk('c'), 1);
  assert.deepEqual(batches.at(-1), ['c']);
});
