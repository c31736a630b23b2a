import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DependencyGraph, GraphNode, NodeKind } from './api.ts';
import { TEAM_COLOURS, isCataloged, ownershipRows, teamColours, teamLegend } from './map-owners.ts';

const L = { p50: 1, p95: 2, p99: 3 };
function node(id: string, own: Partial<Pick<GraphNode, 'component' | 'owner' | 'system' | 'domain'>> = {}): GraphNode {
  const [kind, name] = id.split(':') as [string, string];
  return { id, name, kind: kind.toUpperCase() as NodeKind, requests: 1, errors: 0, errorRate: 0, latency: L, ...own };
}

const cart = node('service:cart', {
  component: 'component:default/cart',
  owner: 'group:default/checkout-team',
  system: 'system:default/ordering',
  domain: 'domain:default/shop',
});

test('a cataloged service: owner, system, domain and component, each linked to its entity page', () => {
  assert.deepEqual(ownershipRows(cart), [
    { key: 'owner', label: 'Owner', ref: 'group:default/checkout-team', text: 'checkout-team', path: '/catalog/group/default/checkout-team' },
    { key: 'system', label: 'System', ref: 'system:default/ordering', text: 'ordering', path: '/catalog/system/default/ordering' },
    { key: 'domain', label: 'Domain', ref: 'domain:default/shop', text: 'shop', path: '/catalog/domain/default/shop' },
    { key: 'component', label: 'Component', ref: 'component:default/cart', text: 'cart', path: '/catalog/component/default/cart' },
  ]);
});

test('a cataloged service without a system or domain shows a dash, unlinked', () => {
  const rows = ownershipRows(node('service:lone', { component: 'component:default/lone', owner: 'group:default/ops', system: null, domain: null }));
  assert.deepEqual(rows?.find((r) => r.key === 'system'), { key: 'system', label: 'System', ref: null, text: '—', path: null });
});

test('not cataloged: no rows (the card invites cataloging instead)', () => {
  const recs = node('service:recommendation', { component: null, owner: null, system: null, domain: null });
  assert.equal(isCataloged(recs), false);
  assert.equal(ownershipRows(recs), null);
  assert.equal(ownershipRows(node('database:postgresql')), null, 'not a service');
  assert.equal(isCataloged(cart), true);
});

test('team colours: by sorted ref over the whole map, so filtering keeps them; the legend lists the teams shown', () => {
  const full: DependencyGraph = {
    nodes: [
      node('service:web', { component: 'c', owner: 'group:default/platform' }),
      cart,
      node('service:pay', { component: 'c', owner: 'group:default/checkout-team' }),
      node('service:recs'),
      node('database:pg'),
    ],
    edges: [],
  };
  const colours = teamColours(full);
  assert.deepEqual([...colours], [['group:default/checkout-team', 0], ['group:default/platform', 1]]);
  const onlyWeb: DependencyGraph = { nodes: [full.nodes[0]!, full.nodes[4]!], edges: [] };
  assert.deepEqual(teamLegend(onlyWeb, colours), [{ ref: 'group:default/platform', label: 'platform', colour: 1, services: 1 }]);
  assert.deepEqual(teamLegend(full, colours).map((e) => [e.label, e.services]), [['checkout-team', 2], ['platform', 1]]);
});

test('more teams than colours: the slots wrap around', () => {
  const nodes = Array.from({ length: TEAM_COLOURS + 2 }, (_, i) => node(`service:s${i}`, { component: 'c', owner: `group:default/t${String(i).padStart(2, '0')}` }));
  const colours = teamColours({ nodes, edges: [] });
  assert.equal(colours.get('group:default/t08'), 0);
  assert.equal(colours.get('group:default/t09'), 1);
  assert.equal(colours.get('group:default/t07'), TEAM_COLOURS - 1);
});
