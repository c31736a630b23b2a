import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DependencyGraph, GraphEdge, GraphNode, NodeKind } from './api.ts';
import type { EdgeFigures, GraphDiff } from './investigate-api.ts';
import {
  beforeWindow,
  changedNeighbourhood,
  diffCounts,
  diffRows,
  moveLines,
  nodeIdOf,
  parseDiffSpec,
  pointsMove,
  relativeMove,
  serializeDiffSpec,
  unionGraph,
} from './graph-diff.ts';

const T = (hhmm: string) => Date.parse(`2025-03-04T${hhmm}:00Z`);

test('the diff URL parameter: previous window, offsets, an explicit window', () => {
  assert.deepEqual(parseDiffSpec('prev'), { kind: 'prev' });
  assert.deepEqual(parseDiffSpec('1d'), { kind: 'offset', key: '1d' });
  assert.deepEqual(parseDiffSpec('2025-03-04T09:00:00Z,2025-03-04T10:00:00Z'), { kind: 'window', fromMs: T('09:00'), toMs: T('10:00') });
  for (const bad of [undefined, '', 'yes', '2d', '2025-03-04T10:00:00Z,2025-03-04T09:00:00Z', 'now-1h,now', 'a,b,c']) assert.equal(parseDiffSpec(bad), null, String(bad));
  for (const raw of ['prev', '7d', '2025-03-04T09:00:00Z,2025-03-04T10:00:00Z']) assert.equal(serializeDiffSpec(parseDiffSpec(raw)!), raw);
});

test('the before window: same length just before, an offset, or as given', () => {
  const after = { fromMs: T('10:00'), toMs: T('10:15') };
  assert.deepEqual(beforeWindow({ kind: 'prev' }, after), { from: '2025-03-04T09:45:00.000Z', to: '2025-03-04T10:00:00.000Z' });
  assert.deepEqual(beforeWindow({ kind: 'offset', key: '1d' }, after), { from: '2025-03-03T10:00:00.000Z', to: '2025-03-03T10:15:00.000Z' });
  assert.deepEqual(beforeWindow({ kind: 'window', fromMs: T('08:00'), toMs: T('09:00') }, after), {
    from: '2025-03-04T08:00:00.000Z',
    to: '2025-03-04T09:00:00.000Z',
  });
});

const L = { p50: 1, p95: 2, p99: 3 };
const node = (kind: NodeKind, name: string): GraphNode => ({ id: nodeIdOf(kind, name), name, kind, requests: 10, errors: 0, errorRate: 0, latency: L });
const edge = (s: [NodeKind, string], t: [NodeKind, string]): GraphEdge => ({
  id: `${nodeIdOf(...s)}->${nodeIdOf(...t)}`,
  source: nodeIdOf(...s),
  target: nodeIdOf(...t),
  sourceName: s[1],
  targetName: t[1],
  sourceKind: s[0],
  targetKind: t[0],
  calls: 10,
  errors: 0,
  errorRate: 0,
  callRate: 1,
  latency: L,
  sources: ['traces'],
});
const fig = (callRate: number, p95: number | null, errorRate = 0): EdgeFigures => ({ calls: callRate * 60, callRate, errors: 0, errorRate, p95 });

// After: gw -> cart, gw -> audit (a new service and edge), cart -> redis.
// Before also had gw -> legacy and cart -> postgresql; neither legacy nor postgresql is in the after window.
const AFTER: DependencyGraph = {
  nodes: [node('SERVICE', 'gw'), node('SERVICE', 'cart'), node('SERVICE', 'audit'), node('DATABASE', 'redis')],
  edges: [edge(['SERVICE', 'gw'], ['SERVICE', 'cart']), edge(['SERVICE', 'gw'], ['SERVICE', 'audit']), edge(['SERVICE', 'cart'], ['DATABASE', 'redis'])],
};
const DIFF: GraphDiff = {
  added: {
    nodes: [{ id: 'service:audit', name: 'audit', kind: 'SERVICE' }],
    edges: [{ source: 'gw', target: 'audit', id: 'service:gw->service:audit', sourceKind: 'SERVICE', targetKind: 'SERVICE', figures: fig(0.5, 12) }],
  },
  removed: {
    nodes: [
      { id: 'service:legacy', name: 'legacy', kind: 'SERVICE' },
      { id: 'database:postgresql', name: 'postgresql', kind: 'DATABASE' },
    ],
    edges: [
      { source: 'gw', target: 'legacy', id: 'service:gw->service:legacy', sourceKind: 'SERVICE', targetKind: 'SERVICE', figures: fig(2, 40, 0.1) },
      { source: 'cart', target: 'postgresql', id: 'service:cart->database:postgresql', sourceKind: 'SERVICE', targetKind: 'DATABASE', figures: fig(1, 3) },
    ],
  },
  changed: [
    { source: 'gw', target: 'cart', id: 'service:gw->service:cart', sourceKind: 'SERVICE', targetKind: 'SERVICE', before: fig(1, 10, 0.01), after: fig(2, 30, 0.035), change: 1.58 },
    { source: 'cart', target: 'redis', id: 'service:cart->database:redis', sourceKind: 'SERVICE', targetKind: 'DATABASE', before: fig(1, 1), after: fig(1, 1), change: 0 },
  ],
};

test('the union graph holds the after graph plus what was removed, each element classified', () => {
  const { graph, overlay } = unionGraph(AFTER, DIFF);
  assert.deepEqual(graph.nodes.map((n) => n.id).sort(), ['database:postgresql', 'database:redis', 'service:audit', 'service:cart', 'service:gw', 'service:legacy']);
  assert.deepEqual(graph.edges.map((e) => e.id).sort(), [
    'service:cart->database:postgresql',
    'service:cart->database:redis',
    'service:gw->service:audit',
    'service:gw->service:cart',
    'service:gw->service:legacy',
  ]);
  assert.deepEqual([...overlay.nodes].sort(), [
    ['database:postgresql', 'removed'],
    ['service:audit', 'added'],
    ['service:legacy', 'removed'],
  ]);
  assert.deepEqual([...overlay.edges].sort(), [
    ['service:cart->database:postgresql', 'removed'],
    ['service:cart->database:redis', 'changed'],
    ['service:gw->service:audit', 'added'],
    ['service:gw->service:cart', 'changed'],
    ['service:gw->service:legacy', 'removed'],
  ]);
  // A removed edge is drawn with its before figures, between the right node ids.
  const legacy = graph.edges.find((e) => e.id === 'service:gw->service:legacy')!;
  assert.equal(legacy.source, 'service:gw');
  assert.equal(legacy.target, 'service:legacy');
  assert.equal(legacy.callRate, 2);
  assert.equal(legacy.errorRate, 0.1);
  assert.equal(legacy.latency.p95, 40);
  const removedNode = graph.nodes.find((n) => n.id === 'service:legacy')!;
  assert.equal(removedNode.requests, 0);
  // The after graph's own edge object is kept for an added edge it already has.
  assert.equal(graph.edges.find((e) => e.id === 'service:gw->service:audit'), AFTER.edges[1]);
  assert.equal(AFTER.nodes.length, 4, 'input untouched');
});

test('the view fits what was added or removed and its neighbours; nothing when only moves', () => {
  const { graph, overlay } = unionGraph(AFTER, DIFF);
  // audit (new) with gw; legacy (gone) with gw; postgresql (gone) with cart; gw's and cart's other neighbours come along.
  assert.deepEqual(changedNeighbourhood(graph, overlay), ['database:postgresql', 'database:redis', 'service:audit', 'service:cart', 'service:gw', 'service:legacy']);
  const moved = unionGraph(AFTER, { added: { nodes: [], edges: [] }, removed: { nodes: [], edges: [] }, changed: DIFF.changed });
  assert.equal(changedNeighbourhood(moved.graph, moved.overlay), null);
});

test('an added edge the after graph lacks is drawn anyway', () => {
  const { graph, overlay } = unionGraph({ nodes: [node('SERVICE', 'gw')], edges: [] }, { ...DIFF, removed: { nodes: [], edges: [] }, changed: [] });
  assert.deepEqual(graph.nodes.map((n) => n.id).sort(), ['service:audit', 'service:gw']);
  assert.deepEqual(graph.edges.map((e) => [e.id, e.callRate]), [['service:gw->service:audit', 0.5]]);
  assert.equal(overlay.edges.get('service:gw->service:audit'), 'added');
});

test('table rows: added, removed, changed; counts for the summary', () => {
  const rows = diffRows(DIFF);
  assert.deepEqual(
    rows.map((r) => [r.status, r.source, r.target, r.before?.callRate ?? null, r.after?.callRate ?? null, r.change]),
    [
      ['added', 'gw', 'audit', null, 0.5, null],
      ['removed', 'gw', 'legacy', 2, null, null],
      ['removed', 'cart', 'postgresql', 1, null, null],
      ['changed', 'gw', 'cart', 1, 2, 1.58],
      ['changed', 'cart', 'redis', 1, 1, 0],
    ],
  );
  assert.deepEqual(diffCounts(DIFF), { addedNodes: 1, removedNodes: 2, addedEdges: 1, removedEdges: 2, notable: 1 });
});

test('moves as text', () => {
  assert.equal(relativeMove(1, 2), '+100%');
  assert.equal(relativeMove(4, 1), '\u221275%');
  assert.equal(relativeMove(3, 3), '±0%');
  assert.equal(relativeMove(0, 3), 'new');
  assert.equal(relativeMove(null, 3), null);
  assert.equal(pointsMove(0.01, 0.035), '+2.5 pt');
  assert.equal(pointsMove(0.05, 0.04), '\u22121 pt');
  assert.equal(pointsMove(0.02, 0.02), '±0 pt');
  assert.deepEqual(moveLines(DIFF.changed[0]!), [
    { key: 'calls', text: '1/s \u2192 2/s', move: '+100%' },
    { key: 'p95', text: 'p95 10 ms \u2192 30 ms', move: '+200%' },
    { key: 'errors', text: 'err 1% \u2192 3.5%', move: '+2.5 pt' },
  ]);
});
