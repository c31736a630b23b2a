import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spanTree, subtreePath, traceCriticalPath, type PathSpan } from './critical-path.ts';

const span = (spanId: string, parentSpanId: string, start: number, end: number): PathSpan => ({ spanId, parentSpanId, start, end });

/** The trace's path as `id start-end` strings, after checking the segments tile the chosen root. */
function path(spans: PathSpan[]): string[] {
  const tree = spanTree(spans);
  const r = traceCriticalPath(tree)!;
  const root = tree.spans[r.root]!;
  assert.equal(r.segments.reduce((a, s) => a + s.end - s.start, 0), root.end - root.start, 'segments sum to the root duration');
  r.segments.forEach((s, i) => assert.equal(s.start, i === 0 ? root.start : r.segments[i - 1]!.end, 'contiguous, in time order'));
  return r.segments.map((s) => `${tree.spans[s.span]!.spanId} ${s.start}-${s.end}`);
}

test('sequential children: each is on the path, the parent keeps the gaps around them', () => {
  assert.deepEqual(path([span('a', '', 0, 100), span('b', 'a', 10, 40), span('c', 'a', 50, 90)]), [
    'a 0-10', 'b 10-40', 'a 40-50', 'c 50-90', 'a 90-100',
  ]);
});

test('parallel children: only the last to finish counts, then whatever ended before it started', () => {
  // b and c overlap; c ends last. d ended before c started, so it is on the path; b did not.
  assert.deepEqual(path([span('a', '', 0, 100), span('d', 'a', 5, 15), span('b', 'a', 20, 70), span('c', 'a', 30, 80)]), [
    'a 0-5', 'd 5-15', 'a 15-30', 'c 30-80', 'a 80-100',
  ]);
});

test('a child outliving its parent is clipped to the parent end (fire-and-forget)', () => {
  assert.deepEqual(path([span('a', '', 0, 50), span('b', 'a', 10, 200), span('c', 'b', 20, 190)]), [
    'a 0-10', 'b 10-20', 'c 20-50',
  ]);
  // A child that starts after its parent ended is not on the path at all.
  assert.deepEqual(path([span('a', '', 0, 50), span('late', 'a', 60, 90)]), ['a 0-50']);
});

test('a gap between children is the parent\'s own time; a zero-length child changes nothing', () => {
  assert.deepEqual(path([span('a', '', 0, 60), span('b', 'a', 0, 20), span('z', 'a', 30, 30), span('c', 'a', 40, 60)]), [
    'b 0-20', 'a 20-40', 'c 40-60',
  ]);
});

test('nested: the walk recurses into the child on the path, children ending exactly where the next starts stay on it', () => {
  assert.deepEqual(path([
    span('a', '', 0, 340), span('b', 'a', 2, 24), span('c', 'b', 3, 23),
    span('d', 'a', 26, 336), span('e', 'd', 27, 335), span('f', 'e', 30, 332), span('g', 'f', 31, 331),
    span('r', 'a', 26, 100), span('p', 'e', 28, 29), span('q', 'e', 29, 30),
  ]), [
    'a 0-2', 'b 2-3', 'c 3-23', 'b 23-24', 'a 24-26', 'd 26-27', 'e 27-28', 'p 28-29', 'q 29-30', 'f 30-31', 'g 31-331', 'f 331-332', 'e 332-335', 'd 335-336', 'a 336-340',
  ]);
});

test('orphans: each subtree top is a root; the path follows the root that ends last', () => {
  // The real root x is missing: o1 and o2 both name it. o2 ends last.
  const spans = [span('o1', 'x', 0, 100), span('k', 'o1', 10, 90), span('o2', 'x', 50, 120), span('m', 'o2', 60, 70)];
  assert.deepEqual(spanTree(spans).roots, [0, 2]);
  assert.deepEqual(path(spans), ['o2 50-60', 'm 60-70', 'o2 70-120']);
  // Below a given span the path is its subtree's alone.
  const tree = spanTree(spans);
  assert.deepEqual(subtreePath(tree, 0).map((s) => `${s.span} ${s.start}-${s.end}`), ['0 0-10', '1 10-90', '0 90-100']);
});

test('a shared span id (Zipkin client and server halves) nests the server half inside the client half', () => {
  assert.deepEqual(path([span('a', '', 0, 100), span('s', 'a', 10, 90), span('s', 'a', 12, 88), span('t', 's', 20, 80)]), [
    'a 0-10', 's 10-12', 's 12-20', 't 20-80', 's 80-88', 's 88-90', 'a 90-100',
  ]);
});

test('an empty trace has no path; a single span is its own path', () => {
  assert.equal(traceCriticalPath(spanTree([])), null);
  assert.deepEqual(path([span('a', '', 5, 9)]), ['a 5-9']);
});
