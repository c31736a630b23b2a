import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  alignById,
  ancestors,
  barExtent,
  buildTree,
  flatten,
  niceStep,
  offsetMs,
  parents,
  rootNode,
  segmentExtents,
  segmentsBySpan,
  timeTicks,
  visibleSlice,
  type TreeSpan,
} from './waterfall.ts';

const T0 = 1_700_000_000_000_000_000n;

/** A span starting `atMs` after T0. */
function span(spanId: string, parentSpanId: string, atMs: number, durationMs: number): TreeSpan {
  return { spanId, parentSpanId, startTimeUnixNano: (T0 + BigInt(Math.round(atMs * 1e6))).toString(), durationMs };
}

// root ─┬─ a (10 ms) ── a1 (12 ms)
//       │             └ a2 (20 ms)
//       └─ b (5 ms, starts first) ── b1
// plus an orphan (parent never received) that starts at 3 ms.
const SPANS = [
  span('root', '', 0, 100),
  span('a', 'root', 10, 40),
  span('a2', 'a', 20, 5),
  span('a1', 'a', 12, 5),
  span('orphan', 'gone', 3, 4),
  span('b', 'root', 5, 30),
  span('b1', 'b', 6, 2),
];

const ids = (tree: ReturnType<typeof buildTree>, rows: number[]) => rows.map((i) => tree.nodes[i]!.span.spanId);

test('buildTree: pre-order, children by start time, depth, counts and orphans at the top level', () => {
  const tree = buildTree(SPANS);
  assert.deepEqual(tree.nodes.map((n) => n.span.spanId), ['root', 'b', 'b1', 'a', 'a1', 'a2', 'orphan']);
  assert.deepEqual(tree.nodes.map((n) => n.depth), [0, 1, 2, 1, 2, 2, 0]);
  assert.deepEqual(tree.nodes.map((n) => n.parent), [-1, 0, 1, 0, 3, 3, -1]);
  assert.deepEqual(tree.nodes.map((n) => n.childCount), [2, 1, 0, 2, 0, 0, 0]);
  assert.deepEqual(tree.nodes.map((n) => n.descendants), [5, 1, 0, 2, 0, 0, 0]);
  assert.deepEqual(tree.nodes.map((n) => n.orphan), [false, false, false, false, false, false, true]);
  assert.deepEqual(tree.nodes.map((n) => n.input), [0, 5, 6, 1, 3, 2, 4]);
  assert.equal(tree.startNs, T0);
  assert.equal(tree.durationMs, 100);
  assert.deepEqual(tree.nodes.map((n) => [n.startMs, n.endMs]), [[0, 100], [5, 35], [6, 8], [10, 50], [12, 17], [20, 25], [3, 7]]);
  assert.equal(tree.bySpanId.get('a1'), 4);
  assert.equal(rootNode(tree), 0);
});

test('buildTree: top-level spans by start; the duration runs to the latest end; ties keep input order', () => {
  const tree = buildTree([span('late', '', 50, 10), span('x', 'missing', 0, 80), span('t2', 'late', 55, 1), span('t1', 'late', 55, 1)]);
  assert.deepEqual(tree.nodes.map((n) => n.span.spanId), ['x', 'late', 't2', 't1']);
  assert.equal(tree.durationMs, 80);
  // The true root names the trace even when an orphan starts earlier; without one, the earliest span does.
  assert.equal(rootNode(tree), 1);
  const rootless = buildTree([span('y', 'gone', 5, 1), span('z', 'gone', 2, 1)]);
  assert.equal(rootless.nodes[rootNode(rootless)]!.span.spanId, 'z');
  assert.equal(rootNode(buildTree([])), -1);
});

test('buildTree: parent cycles and self-parents still show every span once', () => {
  const tree = buildTree([span('p', 'q', 0, 10), span('q', 'p', 1, 5), span('s', 's', 2, 1)]);
  assert.deepEqual(tree.nodes.map((n) => n.span.spanId).sort(), ['p', 'q', 's']);
  assert.equal(tree.nodes.length, 3);
  const s = tree.nodes.find((n) => n.span.spanId === 's')!;
  assert.equal(s.orphan, true);
  assert.equal(s.parent, -1);
  // The cycle is broken at its earliest span, which becomes a top-level orphan with the other below.
  assert.deepEqual(tree.nodes.filter((n) => n.span.spanId !== 's').map((n) => [n.span.spanId, n.depth, n.orphan]), [['p', 0, true], ['q', 1, false]]);
});

test('buildTree: a Zipkin shared span (client and server halves with one id) nests, children under the server half', () => {
  const tree = buildTree([span('r', '', 0, 50), span('sh', 'r', 1, 40), span('sh', 'r', 2, 38), span('c', 'sh', 3, 10)]);
  assert.deepEqual(tree.nodes.map((n) => [n.span.spanId, n.depth]), [['r', 0], ['sh', 1], ['sh', 2], ['c', 3]]);
  assert.equal(tree.bySpanId.get('sh'), 2);
});

test('buildTree: a 10,000-span chain does not overflow the stack', () => {
  const chain = Array.from({ length: 10_000 }, (_, i) => span(`s${i}`, i ? `s${i - 1}` : '', i * 0.01, 200 - i * 0.01));
  const tree = buildTree(chain);
  assert.equal(tree.nodes.length, 10_000);
  assert.equal(tree.nodes[9999]!.depth, 9999);
  assert.equal(tree.nodes[0]!.descendants, 9999);
});

test('flatten: collapsing hides exactly the subtree; keep filters rows in tree order', () => {
  const tree = buildTree(SPANS);
  assert.deepEqual(ids(tree, flatten(tree, new Set())), ['root', 'b', 'b1', 'a', 'a1', 'a2', 'orphan']);
  // Collapse a (node 3): its 2 descendants go.
  assert.deepEqual(ids(tree, flatten(tree, new Set([3]))), ['root', 'b', 'b1', 'a', 'orphan']);
  assert.deepEqual(ids(tree, flatten(tree, new Set([0]))), ['root', 'orphan']);
  // A collapsed node inside a collapsed subtree changes nothing more.
  assert.deepEqual(ids(tree, flatten(tree, new Set([0, 3]))), ['root', 'orphan']);
  assert.deepEqual(ids(tree, flatten(tree, parents(tree))), ['root', 'orphan']);
  assert.deepEqual([...parents(tree)], [0, 1, 3]);
  const onPath = new Set(['root', 'a', 'a2']);
  assert.deepEqual(ids(tree, flatten(tree, new Set(), (i) => onPath.has(tree.nodes[i]!.span.spanId))), ['root', 'a', 'a2']);
  assert.deepEqual(ids(tree, flatten(tree, new Set([3]), (i) => onPath.has(tree.nodes[i]!.span.spanId))), ['root', 'a']);
  assert.deepEqual(ancestors(tree, 5), [3, 0]);
  assert.deepEqual(ancestors(tree, 0), []);
});

test('niceStep and timeTicks: round steps from 0 to at most the duration', () => {
  assert.equal(niceStep(18), 20);
  assert.equal(niceStep(20), 20);
  assert.equal(niceStep(21), 50);
  assert.equal(niceStep(0.07), 0.1);
  assert.equal(niceStep(0.3), 0.5);
  assert.equal(niceStep(600), 1000);
  assert.deepEqual(timeTicks(100).map((t) => t.ms), [0, 20, 40, 60, 80, 100]);
  assert.deepEqual(timeTicks(100).map((t) => t.pct), [0, 20, 40, 60, 80, 100]);
  assert.deepEqual(timeTicks(93).map((t) => t.ms), [0, 20, 40, 60, 80]);
  assert.deepEqual(timeTicks(93).map((t) => t.label), ['0 ms', '20 ms', '40 ms', '60 ms', '80 ms']);
  assert.deepEqual(timeTicks(1.5).map((t) => t.ms), [0, 0.5, 1, 1.5]);
  assert.deepEqual(timeTicks(2400).map((t) => t.label), ['0 ms', '500 ms', '1 s', '1.5 s', '2 s']);
  assert.deepEqual(timeTicks(0.3).map((t) => t.ms), [0, 0.1, 0.2, 0.3]);
  assert.deepEqual(timeTicks(0), [{ ms: 0, pct: 0, label: '0 ms' }]);
});

test('barExtent and segmentExtents: percent of the axis, clamped to it', () => {
  assert.deepEqual(barExtent({ startMs: 10, endMs: 50 }, 200), { leftPct: 5, widthPct: 20 });
  assert.deepEqual(barExtent({ startMs: 190, endMs: 230 }, 200), { leftPct: 95, widthPct: 5 });
  assert.deepEqual(barExtent({ startMs: 0, endMs: 0 }, 0), { leftPct: 0, widthPct: 0 });
  const bySpan = segmentsBySpan([
    { spanId: 'a', startMs: 30, durationMs: 10 },
    { spanId: 'root', startMs: 0, durationMs: 10 },
    { spanId: 'a', startMs: 10, durationMs: 5 },
  ]);
  assert.deepEqual([...bySpan.keys()], ['a', 'root']);
  assert.deepEqual(bySpan.get('a')!.map((s) => s.startMs), [10, 30]);
  assert.deepEqual(segmentExtents(bySpan.get('a')!, 200), [{ leftPct: 5, widthPct: 2.5 }, { leftPct: 15, widthPct: 5 }]);
});

test('visibleSlice: rows in view plus overscan, clamped to the list', () => {
  assert.deepEqual(visibleSlice(0, 240, 24, 10_000, 5), { start: 0, end: 15 });
  assert.deepEqual(visibleSlice(2400, 240, 24, 10_000, 5), { start: 95, end: 115 });
  assert.deepEqual(visibleSlice(2410, 240, 24, 10_000, 5), { start: 95, end: 116 });
  assert.deepEqual(visibleSlice(239_000, 1000, 24, 10_000, 5), { start: 9953, end: 10_000 });
  assert.deepEqual(visibleSlice(0, 0, 24, 3, 5), { start: 0, end: 3 });
  assert.deepEqual(visibleSlice(-50, 100, 24, 0, 5), { start: 0, end: 0 });
});

test('offsetMs: an event time relative to the trace start', () => {
  const tree = buildTree(SPANS);
  const iso = new Date(Number(T0 / 1_000_000n) + 42).toISOString();
  assert.equal(offsetMs(tree, iso), 42);
});

test('alignById: by index when the lists agree, else by span id', () => {
  const spans = [{ spanId: 'a' }, { spanId: 'b' }, { spanId: 'a' }];
  const same = [{ spanId: 'a', v: 1 }, { spanId: 'b', v: 2 }, { spanId: 'a', v: 3 }];
  assert.deepEqual(alignById(spans, same).map((x) => x?.v), [1, 2, 3]);
  const shuffled = [{ spanId: 'b', v: 2 }, { spanId: 'a', v: 1 }];
  assert.deepEqual(alignById(spans, shuffled).map((x) => x?.v), [1, 2, 1]);
  assert.deepEqual(alignById<{ spanId: string; v: number }>(spans, []).map((x) => x?.v), [undefined, undefined, undefined]);
});
