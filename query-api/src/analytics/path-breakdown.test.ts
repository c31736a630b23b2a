import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spanTree } from './critical-path.ts';
import { deepestChain } from './call-depth.ts';
import { pathBreakdown, quantile, type SampledSpan } from './path-breakdown.ts';

const MS = 1e6;
const s = (spanId: string, parentSpanId: string, service: string, name: string, kind: string, startMs: number, endMs: number): SampledSpan =>
  ({ spanId, parentSpanId, service, name, kind, start: startMs * MS, end: endMs * MS });

/** web GET / calls api (sync), which calls db-svc; api also publishes to a topic that worker consumes, and worker calls mail. */
function checkout(fraudMs: number) {
  return spanTree([
    s('a', '', 'web', 'GET /', 'SERVER', 0, 20 + fraudMs),
    s('b', 'a', 'web', 'call api', 'CLIENT', 5, 15 + fraudMs),
    s('c', 'b', 'api', 'POST /x', 'SERVER', 6, 14 + fraudMs),
    s('d', 'c', 'api', 'call fraud', 'CLIENT', 8, 8 + fraudMs),
    s('e', 'd', 'fraud', 'check', 'SERVER', 8, 8 + fraudMs),
    s('p', 'c', 'api', 'publish', 'PRODUCER', 7, 8),
    s('w', 'p', 'worker', 'consume', 'CONSUMER', 500, 600),
    s('x', 'w', 'worker', 'call mail', 'CLIENT', 510, 520),
    s('y', 'x', 'mail', 'send', 'SERVER', 511, 519),
  ]);
}

test('call depth: service hops along synchronous children; a consumer (below a producer) ends the chain', () => {
  assert.deepEqual(deepestChain(checkout(100), 0), { depth: 2, services: ['web', 'api', 'fraud'] });
  // From the consumer itself the chain continues synchronously.
  assert.deepEqual(deepestChain(checkout(100), 6), { depth: 1, services: ['worker', 'mail'] });
  // A child of a PRODUCER span is async even when it is not marked CONSUMER.
  const t = spanTree([s('a', '', 'web', 'GET', 'SERVER', 0, 10), s('p', 'a', 'web', 'send', 'PRODUCER', 1, 2), s('q', 'p', 'other', 'handle', 'INTERNAL', 3, 4)]);
  assert.deepEqual(deepestChain(t, 0), { depth: 0, services: ['web'] });
  // Going back to a service already on the chain is another hop (a -> b -> a is 2).
  const back = spanTree([s('a', '', 'x', 'op', 'SERVER', 0, 10), s('b', 'a', 'y', 'op', 'SERVER', 1, 9), s('c', 'b', 'x', 'op', 'SERVER', 2, 8)]);
  assert.equal(deepestChain(back, 0).depth, 2);
});

test('breakdown: each (service, operation) gets its self time on the path, shares of the summed entry durations', () => {
  // Trace 1 (fraud 100 ms, 120 ms in all), the path by hand:
  //   a 0-5, b 5-6, c 6-7, p 7-8 (its consumer starts after it ended: dropped), e 8-108 (d is all e), c 108-114, b 114-115, a 115-120
  //   web GET / 10, web call api 2, api POST /x 7, api publish 1, fraud check 100 = 120.
  // Trace 2 (fraud 300 ms, 320 in all): fraud 300, the rest the same 20.
  const samples = [{ tree: checkout(100), entry: 0 }, { tree: checkout(300), entry: 0 }];
  const b = pathBreakdown(samples);
  assert.equal(b.sampledSpans, 2);
  assert.equal(b.meanDurationMs, 220);
  assert.equal(b.p95DurationMs, 120 + 0.95 * 200);
  const total = 440;
  assert.deepEqual(b.contributors.map((c) => [c.service, c.operation, c.share, c.meanSelfMs, c.p95SelfMs, c.spans]), [
    ['fraud', 'check', 400 / total, 200, 100 + 0.95 * 200, 2],
    ['web', 'GET /', 20 / total, 10, 10, 2],
    ['api', 'POST /x', 14 / total, 7, 7, 2],
    ['web', 'call api', 4 / total, 2, 2, 2],
    ['api', 'publish', 2 / total, 1, 1, 2],
  ]);
  assert.ok(Math.abs(b.contributors.reduce((a, c) => a + c.share, 0) - 1) < 1e-12);
  assert.deepEqual(b.callDepth, { max: 2, p50: 2, deepestChain: ['web', 'api', 'fraud'] });
});

test('breakdown: an operation absent from some paths counts 0 there in its mean and p95', () => {
  const fast = spanTree([s('a', '', 'web', 'GET', 'SERVER', 0, 10)]);
  const slow = spanTree([s('a', '', 'web', 'GET', 'SERVER', 0, 50), s('b', 'a', 'db', 'q', 'SERVER', 10, 50)]);
  const b = pathBreakdown([{ tree: fast, entry: 0 }, { tree: slow, entry: 0 }, { tree: fast, entry: 0 }]);
  const db = b.contributors.find((c) => c.service === 'db')!;
  assert.deepEqual([db.share, db.meanSelfMs, db.spans], [40 / 70, 40 / 3, 1]);
  assert.equal(db.p95SelfMs, quantile([0, 0, 40], 0.95));
  assert.deepEqual(b.callDepth, { max: 1, p50: 0, deepestChain: ['web', 'db'] });
});

test('an empty sample gives no contributors and a zero depth', () => {
  assert.deepEqual(pathBreakdown([]), { sampledSpans: 0, meanDurationMs: null, p95DurationMs: null, contributors: [], callDepth: { max: 0, p50: 0, deepestChain: [] } });
});

test('quantile interpolates between the closest ranks', () => {
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([10], 0.95), 10);
  assert.equal(quantile([0, 100], 0.95), 95);
});
