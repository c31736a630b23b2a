import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph } from './graph.ts';
import { diffGraphs, edgeChange } from './graph-diff.ts';
import type { EdgeStats } from './edges.ts';

const edge = (s: string, t: string, calls: number, errors: number, p95: number, seconds: number, targetKind: EdgeStats['targetKind'] = 'SERVICE'): EdgeStats => ({
  sourceName: s, sourceKind: 'SERVICE', targetName: t, targetKind, calls, errors, errorRate: errors / calls, callRate: calls / seconds,
  latency: { p50: p95, p95, p99: p95 }, sources: ['traces'],
});

test('added, removed and changed edges and nodes; rates compared, so a longer window with the same rate has not moved', () => {
  // before: 10 minutes; after: 20 minutes.
  const before = buildGraph([edge('web', 'api', 60, 0, 20, 600), edge('api', 'db', 40, 0, 10, 600, 'DATABASE'), edge('api', 'old', 5, 0, 5, 600)], new Map());
  const after = buildGraph([edge('web', 'api', 120, 30, 20, 1200), edge('api', 'db', 40, 0, 40, 1200, 'DATABASE'), edge('api', 'cache', 9, 0, 1, 1200)], new Map());
  const d = diffGraphs(before, after);
  assert.deepEqual(d.added.nodes, [{ id: 'service:cache', name: 'cache', kind: 'SERVICE' }]);
  assert.deepEqual(d.added.edges.map((e) => [e.id, e.source, e.target, e.figures.calls]), [['service:api->service:cache', 'api', 'cache', 9]]);
  assert.deepEqual(d.removed.nodes.map((n) => n.id), ['service:old']);
  assert.deepEqual(d.removed.edges.map((e) => e.id), ['service:api->service:old']);
  // web->api: same rate and p95, errors 0 -> 25%: 10 x 0.25 = 2.5.
  // api->db: rate halved (1), p95 x4 (2): 2.
  assert.deepEqual(d.changed.map((e) => [e.id, e.before.calls, e.after.calls, e.change]), [
    ['service:web->service:api', 60, 120, 2.5],
    ['service:api->database:db', 40, 40, 2],
  ]);
  assert.equal(d.changed[1]!.targetKind, 'DATABASE');
});

test('change ignores ratios with a zero or missing side and orders ties by id', () => {
  const f = { calls: 0, callRate: 0, errors: 0, errorRate: 0, p95: null };
  assert.equal(edgeChange(f, { ...f, calls: 5, callRate: 1 }), 0);
  assert.equal(edgeChange({ ...f, callRate: 1, p95: 10 }, { ...f, callRate: 1, p95: 5 }), 1);
  const g = buildGraph([edge('a', 'b', 1, 0, 1, 60), edge('a', 'c', 1, 0, 1, 60)], new Map());
  assert.deepEqual(diffGraphs(g, g).changed.map((e) => [e.id, e.change]), [['service:a->service:b', 0], ['service:a->service:c', 0]]);
});
