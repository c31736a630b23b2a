import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DependencyGraph, GraphEdge, NodeKind } from './api.ts';
import type { Impact } from './investigate-api.ts';
import { blastRadius, blastSummary, byDepth, sortEntryPoints } from './blast-radius.ts';
import { nodeIdOf, unionGraph } from './graph-diff.ts';
import { toFlowEdges, toFlowNodes } from './graph.ts';
import { overlayEdges, overlayNodes, type OverlayEdgeData, type OverlayNodeData } from './map-overlay.ts';

const L = { p50: null, p95: null, p99: null };
const e = (s: string, t: string, sk: NodeKind = 'SERVICE', tk: NodeKind = 'SERVICE'): GraphEdge => ({
  id: `${nodeIdOf(sk, s)}->${nodeIdOf(tk, t)}`,
  source: nodeIdOf(sk, s),
  target: nodeIdOf(tk, t),
  sourceName: s,
  targetName: t,
  sourceKind: sk,
  targetKind: tk,
  calls: 1,
  errors: 0,
  errorRate: 0,
  callRate: 1,
  latency: L,
  sources: ['traces'],
});

// The demo's paths into inventory: web-gateway -> storefront-bff -> inventory,
// web-gateway -> cart -> inventory, web-gateway -> checkout -> {cart, inventory};
// auth and postgresql are outside; checkout -> orders is async.
const EDGES = [
  e('web-gateway', 'storefront-bff'),
  e('web-gateway', 'cart'),
  e('web-gateway', 'checkout'),
  e('web-gateway', 'auth'),
  e('storefront-bff', 'inventory'),
  e('cart', 'inventory'),
  e('checkout', 'cart'),
  e('checkout', 'inventory'),
  e('checkout', 'orders', 'SERVICE', 'TOPIC'),
  e('inventory', 'postgresql', 'SERVICE', 'DATABASE'),
];
const GRAPH: DependencyGraph = {
  nodes: [...new Set(EDGES.flatMap((x) => [x.source, x.target]))].map((id) => ({
    id,
    name: id.split(':')[1]!,
    kind: id.split(':')[0]!.toUpperCase() as NodeKind,
    requests: 1,
    errors: 0,
    errorRate: 0,
    latency: L,
  })),
  edges: EDGES,
};
const IMPACT: Impact = {
  service: 'inventory',
  upstream: [
    { service: 'storefront-bff', depth: 1, calls: 300, owner: 'group:default/web' },
    { service: 'cart', depth: 1, calls: 120, owner: 'group:default/checkout-team' },
    { service: 'checkout', depth: 1, calls: 60, owner: 'group:default/checkout-team' },
    { service: 'web-gateway', depth: 2, calls: 900, owner: null },
  ],
  entryPoints: [
    { service: 'web-gateway', operation: 'GET /products', traces: 400, affectedTraces: 0, share: 0 },
    { service: 'web-gateway', operation: 'POST /checkout', traces: 100, affectedTraces: 100, share: 1 },
    { service: 'web-gateway', operation: 'GET /products/{id}', traces: 300, affectedTraces: 300, share: 1 },
    { service: 'web-gateway', operation: 'POST /cart/items', traces: 200, affectedTraces: 150, share: 0.75 },
  ],
  apis: [],
  teams: [],
};

test('the blast radius: the service, its callers by depth, and the service edges among them', () => {
  const b = blastRadius(GRAPH, IMPACT);
  assert.equal(b.target, 'service:inventory');
  assert.deepEqual([...b.depth].sort(), [
    ['service:cart', 1],
    ['service:checkout', 1],
    ['service:inventory', 0],
    ['service:storefront-bff', 1],
    ['service:web-gateway', 2],
  ]);
  assert.deepEqual([...b.edges].sort(), [
    'service:cart->service:inventory',
    'service:checkout->service:cart',
    'service:checkout->service:inventory',
    'service:storefront-bff->service:inventory',
    'service:web-gateway->service:cart',
    'service:web-gateway->service:checkout',
    'service:web-gateway->service:storefront-bff',
  ]);
});

test('rings by depth, entry points by share, the banner text', () => {
  assert.deepEqual(byDepth(IMPACT), [
    { depth: 1, services: ['cart', 'checkout', 'storefront-bff'] },
    { depth: 2, services: ['web-gateway'] },
  ]);
  assert.deepEqual(
    sortEntryPoints(IMPACT.entryPoints).map((x) => x.operation),
    ['GET /products/{id}', 'POST /checkout', 'POST /cart/items', 'GET /products'],
  );
  assert.equal(blastSummary(IMPACT), 'blast radius of inventory: 4 upstream services, 4 entry points');
  assert.equal(blastSummary({ ...IMPACT, upstream: IMPACT.upstream.slice(0, 1), entryPoints: IMPACT.entryPoints.slice(0, 1) }), 'blast radius of inventory: 1 upstream service, 1 entry point');
});

test('the overlay marks nodes and edges in and out of the blast radius', () => {
  const b = blastRadius(GRAPH, IMPACT);
  const nodes = overlayNodes(toFlowNodes(GRAPH, new Map(), { windowSeconds: 60 }), { blast: b });
  const data = (id: string) => nodes.find((n) => n.id === id)!.data as OverlayNodeData;
  assert.equal(data('service:inventory').blastDepth, 0);
  assert.equal(data('service:web-gateway').blastDepth, 2);
  assert.equal(data('service:auth').blastDepth, null);
  assert.equal(data('service:auth').blastOut, true);
  assert.equal(data('database:postgresql').blastOut, true);
  assert.equal(data('service:cart').blastOut, false);
  const edges = overlayEdges(toFlowEdges(GRAPH), { blast: b });
  const inside = edges.filter((x) => (x.data as OverlayEdgeData).blast === true).map((x) => x.id);
  assert.deepEqual(inside.sort(), [...b.edges].sort());
  assert.equal(edges.filter((x) => (x.data as OverlayEdgeData).blast === false).length, EDGES.length - b.edges.size);
  // Without an overlay nothing is added.
  assert.equal((overlayNodes(toFlowNodes(GRAPH, new Map(), { windowSeconds: 60 }), {})[0]!.data as OverlayNodeData).blastOut, undefined);
});

test('the overlay carries diff status and a changed edge its move', () => {
  const after: DependencyGraph = { nodes: GRAPH.nodes, edges: GRAPH.edges.filter((x) => x.id !== 'service:web-gateway->service:auth') };
  const { graph, overlay } = unionGraph(after, {
    added: { nodes: [], edges: [] },
    removed: {
      nodes: [],
      edges: [{ source: 'web-gateway', target: 'auth', id: 'service:web-gateway->service:auth', sourceKind: 'SERVICE', targetKind: 'SERVICE', figures: { calls: 5, callRate: 0.1, errors: 0, errorRate: 0, p95: 3 } }],
    },
    changed: [
      {
        source: 'cart', target: 'inventory', id: 'service:cart->service:inventory', sourceKind: 'SERVICE', targetKind: 'SERVICE', change: 2,
        before: { calls: 10, callRate: 1, errors: 0, errorRate: 0, p95: 5 },
        after: { calls: 40, callRate: 4, errors: 0, errorRate: 0, p95: 5 },
      },
    ],
  });
  const edges = overlayEdges(toFlowEdges(graph), { diff: overlay });
  const auth = edges.find((x) => x.id === 'service:web-gateway->service:auth')!;
  assert.equal((auth.data as OverlayEdgeData).diff, 'removed');
  assert.equal(auth.ariaLabel, 'web-gateway calls auth (removed)');
  const cart = edges.find((x) => x.id === 'service:cart->service:inventory')!.data as OverlayEdgeData;
  assert.equal(cart.diff, 'changed');
  assert.equal(cart.move?.after.callRate, 4);
  assert.equal(cart.blast, null);
  assert.equal((edges.find((x) => x.id === 'service:checkout->service:cart')!.data as OverlayEdgeData).diff, null);
});
