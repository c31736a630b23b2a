import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DependencyGraph, GraphEdge, GraphNode, NodeKind } from './api.ts';
import {
  ALWAYS_LABEL_MAX_EDGES,
  EDGE_LABEL_SIZE,
  layoutFromElk,
  polylineMidpoint,
  roundedPath,
  NODE_SIZE,
  fallbackPositions,
  filterByKind,
  graphSignature,
  kindsPresent,
  neighbourhood,
  normalizeGraph,
  positionsFromElk,
  toElkInput,
  toFlowEdges,
  toFlowNodes,
} from './graph.ts';

const L = { p50: 5, p95: 20, p99: 40 };

function node(id: string, requests = 100, errors = 0): GraphNode {
  const [kind, name] = id.split(':') as [string, string];
  return { id, name, kind: kind.toUpperCase() as NodeKind, requests, errors, errorRate: requests ? errors / requests : 0, latency: L };
}

function edge(source: string, target: string, calls = 60, errors = 0): GraphEdge {
  const s = node(source);
  const t = node(target);
  return {
    id: `${source}->${target}`,
    source,
    target,
    sourceName: s.name,
    targetName: t.name,
    sourceKind: s.kind,
    targetKind: t.kind,
    calls,
    errors,
    errorRate: calls ? errors / calls : 0,
    callRate: calls / 3600,
    latency: L,
    sources: ['otlp'],
  };
}

const demo: DependencyGraph = {
  nodes: [
    node('service:frontend', 3600),
    node('service:checkout', 1200, 60),
    node('database:postgresql', 900),
    node('external:api.stripe.com', 300, 30),
    node('topic:orders', 400),
    node('service:shipping', 400, 4),
  ],
  edges: [
    edge('service:frontend', 'service:checkout', 1200, 60),
    edge('service:checkout', 'database:postgresql', 900),
    edge('service:checkout', 'external:api.stripe.com', 300, 30),
    edge('service:checkout', 'topic:orders', 400),
    edge('topic:orders', 'service:shipping', 400, 4),
    edge('service:shipping', 'database:postgresql', 50),
  ],
};

test('normalize synthesises nodes that only edges mention and drops duplicates', () => {
  const g = normalizeGraph({
    nodes: [node('service:a'), node('service:a')],
    edges: [edge('service:a', 'database:redis'), edge('service:a', 'database:redis')],
  });
  assert.deepEqual(g.nodes.map((n) => n.id), ['service:a', 'database:redis']);
  assert.equal(g.nodes[1]?.kind, 'DATABASE');
  assert.equal(g.nodes[1]?.name, 'redis');
  assert.equal(g.nodes[1]?.requests, 0);
  assert.equal(g.edges.length, 1);
});

test('kind filter removes nodes and their edges', () => {
  const g = filterByKind(demo, new Set<NodeKind>(['SERVICE', 'DATABASE']));
  assert.deepEqual(kindsPresent(g), ['SERVICE', 'DATABASE']);
  assert.equal(g.edges.length, 3);
  assert.ok(g.edges.every((e) => e.source.startsWith('service:') && !e.target.startsWith('topic:')));
  assert.deepEqual(kindsPresent(demo), ['SERVICE', 'DATABASE', 'EXTERNAL', 'TOPIC']);
});

test('signature ignores order and numbers, sees shape changes', () => {
  const shuffled: DependencyGraph = {
    nodes: [...demo.nodes].reverse().map((n) => ({ ...n, requests: n.requests * 2 })),
    edges: [...demo.edges].reverse(),
  };
  assert.equal(graphSignature(shuffled), graphSignature(demo));
  const fewer = { nodes: demo.nodes, edges: demo.edges.slice(1) };
  assert.notEqual(graphSignature(fewer), graphSignature(demo));
});

test('ELK input: layered, left to right, sorted, sinks pinned right', () => {
  const input = toElkInput(demo);
  assert.equal(input.layoutOptions['elk.algorithm'], 'layered');
  assert.equal(input.layoutOptions['elk.direction'], 'RIGHT');
  const ids = input.children.map((c) => c.id);
  assert.deepEqual(ids, [...ids].sort());
  const pg = input.children.find((c) => c.id === 'database:postgresql');
  assert.equal(pg?.layoutOptions?.['elk.layered.layering.layerConstraint'], 'LAST');
  assert.equal(pg?.width, NODE_SIZE.DATABASE.width);
  const svc = input.children.find((c) => c.id === 'service:checkout');
  assert.equal(svc?.layoutOptions, undefined);
  assert.equal(input.edges.length, demo.edges.length);
  assert.deepEqual(input.edges[0]?.sources.length, 1);
  // same graph, any order -> identical input (so identical layout)
  assert.deepEqual(toElkInput({ nodes: [...demo.nodes].reverse(), edges: [...demo.edges].reverse() }), input);
});

test('self loops are kept out of the layout', () => {
  const g = { nodes: [node('service:a')], edges: [edge('service:a', 'service:a')] };
  assert.equal(toElkInput(g).edges.length, 0);
});

test('fallback positions put callers left of callees', () => {
  const p = fallbackPositions(demo);
  const x = (id: string) => p.get(id)?.x ?? -1;
  assert.ok(x('service:frontend') < x('service:checkout'));
  assert.ok(x('service:checkout') < x('topic:orders'));
  assert.ok(x('topic:orders') < x('service:shipping'));
  assert.equal(p.size, demo.nodes.length);
  // cycles terminate
  const cyc = fallbackPositions({ nodes: [node('service:a'), node('service:b')], edges: [edge('service:a', 'service:b'), edge('service:b', 'service:a')] });
  assert.equal(cyc.size, 2);
});

test('flow nodes carry rate, level, size, position and links for services only', () => {
  const positions = positionsFromElk({ children: [{ id: 'service:checkout', x: 10, y: 20 }] });
  const nodes = toFlowNodes(demo, positions, {
    windowSeconds: 3600,
    hrefFor: (n) => `/services/${n.name}`,
    selected: 'service:checkout',
  });
  const checkout = nodes.find((n) => n.id === 'service:checkout')!;
  assert.deepEqual(checkout.position, { x: 10, y: 20 });
  assert.equal(checkout.type, 'plexus');
  assert.equal(checkout.data.requestRate, 1200 / 3600);
  assert.equal(checkout.data.level, 'warn');
  assert.equal(checkout.data.href, '/services/checkout');
  assert.equal(checkout.selected, true);
  assert.equal(checkout.width, NODE_SIZE.SERVICE.width);
  const stripe = nodes.find((n) => n.id === 'external:api.stripe.com')!;
  assert.equal(stripe.data.level, 'bad');
  assert.equal(stripe.data.href, null);
  assert.deepEqual(stripe.position, { x: 0, y: 0 });
  const front = nodes.find((n) => n.id === 'service:frontend')!;
  assert.equal(front.data.weight, 1);
  assert.equal(front.data.level, 'ok');
});

test('flow nodes carry a team colour slot for services only, and only when asked', () => {
  const teamOf = (n: GraphNode) => (n.name === 'checkout' ? 3 : null);
  const nodes = toFlowNodes(demo, new Map(), { windowSeconds: 60, teamOf: (n) => (n.kind === 'SERVICE' ? teamOf(n) : 5) });
  const team = Object.fromEntries(nodes.map((n) => [n.id, n.data.team]));
  assert.equal(team['service:checkout'], 3);
  assert.equal(team['service:frontend'], null);
  assert.equal(team['database:postgresql'], null, 'never on other kinds');
  assert.ok(toFlowNodes(demo, new Map(), { windowSeconds: 60 }).every((n) => n.data.team === null));
});

test('flow edges carry metrics and label policy', () => {
  const edges = toFlowEdges(demo);
  assert.equal(edges.length, 6);
  const e = edges.find((x) => x.target === 'external:api.stripe.com')!;
  assert.equal(e.type, 'metric');
  assert.equal(e.data.level, 'bad');
  assert.equal(e.data.p95, 20);
  assert.equal(e.data.alwaysLabel, true);
  const many: DependencyGraph = {
    nodes: [node('service:hub')],
    edges: Array.from({ length: ALWAYS_LABEL_MAX_EDGES + 1 }, (_, i) => edge('service:hub', `database:db${i}`)),
  };
  assert.equal(toFlowEdges(normalizeGraph(many))[0]?.data.alwaysLabel, false);
});

test('neighbourhood is one hop both ways', () => {
  const n = neighbourhood(demo, 'topic:orders');
  assert.deepEqual([...n.nodes].sort(), ['service:checkout', 'service:shipping', 'topic:orders']);
  assert.equal(n.edges.size, 2);
});

test('small graphs reserve label space and route orthogonally', () => {
  const input = toElkInput(demo);
  assert.equal(input.layoutOptions['elk.edgeRouting'], 'ORTHOGONAL');
  assert.deepEqual(input.edges[0]?.labels?.[0]?.width, EDGE_LABEL_SIZE.width);
  const many = normalizeGraph({
    nodes: [node('service:hub')],
    edges: Array.from({ length: ALWAYS_LABEL_MAX_EDGES + 1 }, (_, i) => edge('service:hub', `database:db${i}`)),
  });
  assert.equal(toElkInput(many).edges[0]?.labels, undefined);
});

test('layout results give routes; edges use them until a node moves', () => {
  const layout = layoutFromElk({
    children: [
      { id: 'service:frontend', x: 0, y: 0 },
      { id: 'service:checkout', x: 300, y: 100 },
    ],
    edges: [
      {
        id: 'service:frontend->service:checkout',
        sections: [{ startPoint: { x: 188, y: 31 }, bendPoints: [{ x: 240, y: 31 }, { x: 240, y: 131 }], endPoint: { x: 300, y: 131 } }],
        labels: [{ x: 200, y: 60, width: 150, height: 18 }],
      },
    ],
  });
  assert.deepEqual(layout.nodes.get('service:checkout'), { x: 300, y: 100 });
  const g: DependencyGraph = { nodes: demo.nodes.slice(0, 2), edges: demo.edges.slice(0, 1) };
  const [e] = toFlowEdges(g, { layout });
  assert.ok(e?.data.route);
  assert.equal(e.data.route.points.length, 4);
  assert.deepEqual(e.data.route.label, { x: 275, y: 69 });
  assert.equal(e.data.route.sx, NODE_SIZE.SERVICE.width);
  assert.equal(e.data.route.sy, NODE_SIZE.SERVICE.height / 2);
  assert.equal(e.data.route.tx, 300);
  assert.equal(toFlowEdges(g)[0]?.data.route, null);
});

test('rounded orthogonal paths and midpoints', () => {
  assert.equal(roundedPath([]), '');
  assert.equal(roundedPath([{ x: 0, y: 0 }, { x: 10, y: 0 }]), 'M0,0 L10,0');
  assert.equal(
    roundedPath([{ x: 0, y: 0 }, { x: 20, y: 0 }, { x: 20, y: 20 }], 8),
    'M0,0 L12,0 Q20,0 20,8 L20,20',
  );
  // radius is clamped to half the shorter segment
  assert.equal(roundedPath([{ x: 0, y: 0 }, { x: 4, y: 0 }, { x: 4, y: 20 }], 8), 'M0,0 L2,0 Q4,0 4,2 L4,20');
  assert.deepEqual(polylineMidpoint([{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }]), { x: 10, y: 0 });
  assert.deepEqual(polylineMidpoint([{ x: 0, y: 0 }, { x: 0, y: 8 }]), { x: 0, y: 4 });
});

test('topic nodes link to their page; topic edges carry messages/s and are marked above the lag threshold', () => {
  const g: DependencyGraph = {
    nodes: [node('service:checkout'), node('topic:orders'), node('service:shipping'), node('service:notification'), node('database:pg')],
    edges: [
      { ...edge('service:checkout', 'topic:orders'), messageRate: 2.5, lag: null },
      { ...edge('topic:orders', 'service:shipping'), messageRate: 2.5, lag: 1001 },
      { ...edge('topic:orders', 'service:notification'), messageRate: 2.5, lag: 1000 },
      edge('service:checkout', 'database:pg'),
    ],
  };
  const nodes = toFlowNodes(g, new Map(), { windowSeconds: 60, hrefFor: (n) => (n.kind === 'TOPIC' ? `/topics/${n.name}` : `/services/${n.name}`) });
  const href = Object.fromEntries(nodes.map((n) => [n.id, n.data.href]));
  assert.deepEqual(href, { 'service:checkout': '/services/checkout', 'topic:orders': '/topics/orders', 'service:shipping': '/services/shipping', 'service:notification': '/services/notification', 'database:pg': null });
  const edges = Object.fromEntries(toFlowEdges(g).map((e) => [e.id, e]));
  const lagged = edges['topic:orders->service:shipping']!;
  assert.deepEqual([lagged.data.topic, lagged.data.messageRate, lagged.data.lag, lagged.data.lagHigh], [true, 2.5, 1001, true]);
  assert.equal(lagged.ariaLabel, 'orders to shipping, lag 1001 messages');
  assert.equal(edges['topic:orders->service:notification']!.data.lagHigh, false);
  assert.equal(edges['service:checkout->topic:orders']!.data.lag, null);
  assert.equal(edges['service:checkout->topic:orders']!.data.topic, true);
  assert.deepEqual([edges['service:checkout->database:pg']!.data.topic, edges['service:checkout->database:pg']!.data.lagHigh], [false, false]);
});
