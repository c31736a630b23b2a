import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedCache } from './shared-cache.ts';

test('values are shared within their time to live, reloaded after it, and failures are not kept', async () => {
  const cache = new SharedCache(2);
  let loads = 0;
  const load = async () => ++loads;
  assert.equal(await cache.get('a', 1000, load, 0), 1);
  assert.equal(await cache.get('a', 1000, load, 999), 1);
  assert.equal(await cache.get('a', 1000, load, 1000), 2);
  await assert.rejects(cache.get('b', 1000, () => Promise.reject(new Error('down')), 0));
  assert.equal(await cache.get('b', 1000, load, 1), 3, 'a failed load is retried at once');
  await cache.get('c', 1000, load, 2);
  assert.equal(await cache.get('a', 1000, load, 1001), 5, 'the oldest entry was dropped beyond two');
});
