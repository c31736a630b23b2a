import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextDelay } from './edge-job.ts';

test('the job waits its interval after quick passes and backs off after slow ones', () => {
  const opts = { intervalMs: 3000, maxCoreShare: 0.25 };
  assert.equal(nextDelay(opts, 100), 3000);
  assert.equal(nextDelay(opts, 2000), 6000, 'a 2 s pass is followed by 6 s of rest: 25% of a core');
  assert.equal(nextDelay({ intervalMs: 500, maxCoreShare: 0.5 }, 800), 800);
});
