import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DependencyGraph, GraphEdge, GraphNode, NodeKind } from './api.ts';
import {
  NONE,
  filterByOwnership,
  filterOptions,
  filterValueLabel,
  hasMapFilters,
  mapFiltersPatch,
  matchesFilters,
  parseMapFilters,
} from './map-filter.ts';

const L = { p50: 1, p95: 2, p99: 3 };

function node(id: string, owner?: string, system?: string, domain?: string): GraphNode {
  const [kind, name] = id.split(':') as [string, string];
  const n: GraphNode = { id, name, kind: kind.toUpperCase() as NodeKind, requests: 10, errors: 0, errorRate: 0, latency: L };
  if (n.kind === 'SERVICE') {
    n.component = owner ? `component:default/${name}` : null;
    n.owner = owner ? `group:default/${owner}` : null;
    n.system = system ? `system:default/${system}` : null;
    n.domain = domain ? `domain:default/${domain}` : null;
  }
  return n;
}

function edge(source: string, target: string): GraphEdge {
  return {
    id: `${source}->${target}`, source, target, sourceName: source.split(':')[1]!, targetName: target.split(':')[1]!,
    sourceKind: source.split(':')[0]!.toUpperCase() as NodeKind, targetKind: target.split(':')[0]!.toUpperCase() as NodeKind,
    calls: 5, errors: 0, errorRate: 0, callRate: 1, latency: L, sources: ['traces'],
  };
}

// A small shop: checkout-team owns cart, pay and ship (ordering); storefront-team owns search;
// platform owns web; recs is not cataloged. redis is only used by search; audit only hears the topic.
const shop: DependencyGraph = {
  nodes: [
    node('service:web', 'platform', 'edge', 'shop'),
    node('service:cart', 'checkout-team', 'ordering', 'shop'),
    node('service:pay', 'checkout-team', 'ordering', 'shop'),
    node('service:ship', 'checkout-team', 'ordering', 'shop'),
    node('service:search', 'storefront-team', 'storefront', 'shop'),
    node('service:recs'),
    node('database:pg'),
    node('database:redis'),
    node('topic:orders'),
    node('external:stripe'),
    node('external:audit'),
  ],
  edges: [
    edge('service:web', 'service:cart'),
    edge('service:web', 'service:search'),
    edge('service:search', 'service:recs'),
    edge('service:cart', 'database:pg'),
    edge('service:search', 'database:pg'),
    edge('service:search', 'database:redis'),
    edge('service:cart', 'service:pay'),
    edge('service:pay', 'external:stripe'),
    edge('service:cart', 'topic:orders'),
    edge('topic:orders', 'service:ship'),
    edge('topic:orders', 'external:audit'),
  ],
};

const ids = (g: DependencyGraph) => g.nodes.map((n) => n.id).sort();
const edgeIds = (g: DependencyGraph) => g.edges.map((e) => e.id).sort();

test('a team keeps its services, the non-service nodes they touch, and the edges among those', () => {
  const g = filterByOwnership(shop, { team: 'group:default/checkout-team' });
  assert.deepEqual(ids(g), ['database:pg', 'external:stripe', 'service:cart', 'service:pay', 'service:ship', 'topic:orders']);
  assert.deepEqual(edgeIds(g), [
    'service:cart->database:pg',
    'service:cart->service:pay',
    'service:cart->topic:orders',
    'service:pay->external:stripe',
    'topic:orders->service:ship',
  ]);
});

test('non-service nodes only reached through another non-service node, or only by other teams, leave', () => {
  const g = filterByOwnership(shop, { team: 'group:default/checkout-team' });
  assert.ok(!ids(g).includes('external:audit'), 'audit only hears the topic');
  assert.ok(!ids(g).includes('database:redis'), 'redis is only used by search');
  assert.ok(!ids(g).includes('service:web'), 'a caller of another team is not kept');
});

test('filters combine (AND); a filter nobody matches leaves an empty map', () => {
  const g = filterByOwnership(shop, { system: 'system:default/storefront', domain: 'domain:default/shop' });
  assert.deepEqual(ids(g), ['database:pg', 'database:redis', 'service:search']);
  assert.deepEqual(edgeIds(g), ['service:search->database:pg', 'service:search->database:redis']);
  const none = filterByOwnership(shop, { team: 'group:default/checkout-team', system: 'system:default/storefront' });
  assert.deepEqual(none, { nodes: [], edges: [] });
  assert.equal(filterByOwnership(shop, { domain: 'domain:default/other' }).nodes.length, 0);
});

test('domain shop keeps every cataloged service and drops the uncataloged one', () => {
  const g = filterByOwnership(shop, { domain: 'domain:default/shop' });
  assert.deepEqual(ids(g), ids(shop).filter((id) => id !== 'service:recs' && id !== 'external:audit'));
  assert.ok(!edgeIds(g).includes('service:search->service:recs'));
});

test('"none" selects the services without a value (not cataloged)', () => {
  const g = filterByOwnership(shop, { team: NONE });
  assert.deepEqual(ids(g), ['service:recs']);
  assert.deepEqual(g.edges, []);
});

test('without filters the graph is returned untouched', () => {
  assert.equal(filterByOwnership(shop, {}), shop);
  assert.equal(hasMapFilters({}), false);
  assert.equal(hasMapFilters({ domain: 'domain:default/shop' }), true);
});

test('only services match; the filter being counted is ignored', () => {
  const pg = shop.nodes.find((n) => n.id === 'database:pg')!;
  const cart = shop.nodes.find((n) => n.id === 'service:cart')!;
  assert.equal(matchesFilters(pg, {}), false);
  assert.equal(matchesFilters(cart, { team: 'group:default/platform' }), false);
  assert.equal(matchesFilters(cart, { team: 'group:default/platform' }, 'team'), true);
});

test('URL: short and full refs select the same; other parameters are ignored; the patch clears', () => {
  assert.deepEqual(parseMapFilters({ from: 'now-1h', team: 'checkout-team', system: 'system:default/ordering', domain: ' ' }), {
    team: 'group:default/checkout-team',
    system: 'system:default/ordering',
  });
  assert.deepEqual(parseMapFilters({ team: 'Group:Default/checkout-team', domain: 'NONE' }), { team: 'group:default/checkout-team', domain: NONE });
  assert.deepEqual(mapFiltersPatch({ team: 'group:default/checkout-team' }), { team: 'group:default/checkout-team', system: null, domain: null });
});

test('options: the values of services matching the other filters, with counts, "none" last', () => {
  assert.deepEqual(filterOptions(shop, 'team', {}), [
    { value: 'group:default/checkout-team', label: 'checkout-team', count: 3 },
    { value: 'group:default/platform', label: 'platform', count: 1 },
    { value: 'group:default/storefront-team', label: 'storefront-team', count: 1 },
    { value: NONE, label: 'No team', count: 1 },
  ]);
  // The team's own selection does not narrow its options; the system filter does.
  assert.deepEqual(
    filterOptions(shop, 'team', { team: 'group:default/platform', system: 'system:default/ordering' }).map((o) => [o.label, o.count]),
    [['checkout-team', 3], ['platform', 0]],
  );
  assert.deepEqual(filterOptions(shop, 'domain', { team: 'group:default/checkout-team' }), [
    { value: 'domain:default/shop', label: 'shop', count: 3 },
  ]);
});

test('labels: the entity name, or what "none" means for that filter', () => {
  assert.equal(filterValueLabel('system', 'system:default/ordering'), 'ordering');
  assert.equal(filterValueLabel('team', 'group:other/ops'), 'other/ops');
  assert.equal(filterValueLabel('domain', NONE), 'No domain');
});
