import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  catalogParamsPatch,
  catalogVariables,
  entityPath,
  facetOptions,
  formatRef,
  formatSource,
  groupByKind,
  groupRelations,
  hasFilters,
  parseCatalogParams,
  parseEntityPath,
  parseRef,
  refLabel,
  refLink,
  relationLabel,
  serviceNameFor,
  variablesKey,
} from './catalog.ts';
import { applyPatch, parseSearch, serializeSearch } from './url.ts';

test('filters from the URL', () => {
  const f = parseCatalogParams(parseSearch('?from=now-1h&q=artist%20look&kind=component&owner=group:default/team-a&lifecycle=&x=1'));
  assert.deepEqual(f, { q: 'artist look', facets: { kind: 'component', owner: 'group:default/team-a' } });
  assert.deepEqual(parseCatalogParams({}), { q: '', facets: {} });
  assert.equal(hasFilters(f), true);
  assert.equal(hasFilters({ q: '  ', facets: {} }), false);
});

test('filters to the URL round-trip and keep other parameters', () => {
  const f = { q: 'pet', facets: { kind: 'api', system: 'system:default/podcast' } };
  const search = serializeSearch(applyPatch({ from: 'now-1h', lifecycle: 'production' }, catalogParamsPatch(f)));
  assert.equal(search, '?from=now-1h&kind=api&q=pet&system=system:default/podcast');
  assert.deepEqual(parseCatalogParams(parseSearch(search)), f);
  // A blank search removes `q`.
  assert.equal(catalogParamsPatch({ q: '   ', facets: {} })['q'], null);
});

test('GraphQL variables', () => {
  const v = catalogVariables({ q: ' pet ', facets: { lifecycle: 'deprecated' } });
  assert.deepEqual(v, { search: 'pet', kind: null, owner: null, lifecycle: 'deprecated', type: null, system: null });
  assert.equal(variablesKey(v), variablesKey(catalogVariables({ q: 'pet', facets: { lifecycle: 'deprecated' } })));
  assert.notEqual(variablesKey(v), variablesKey(catalogVariables({ q: 'pet', facets: {} })));
});

test('facet options keep a selected value the server no longer returns', () => {
  const vals = [{ value: 'api', count: 2 }];
  assert.deepEqual(facetOptions(vals, undefined), vals);
  assert.deepEqual(facetOptions(vals, 'api'), vals);
  assert.deepEqual(facetOptions(vals, 'user'), [{ value: 'user', count: 0 }, ...vals]);
});

test('refs parse with defaults', () => {
  assert.deepEqual(parseRef('component:default/artist-lookup'), { kind: 'component', namespace: 'default', name: 'artist-lookup' });
  assert.deepEqual(parseRef('Group:Ops/team-a'), { kind: 'group', namespace: 'ops', name: 'team-a' });
  assert.deepEqual(parseRef('team-a', 'group'), { kind: 'group', namespace: 'default', name: 'team-a' });
  assert.deepEqual(parseRef('system:podcast'), { kind: 'system', namespace: 'default', name: 'podcast' });
  assert.equal(parseRef('team-a'), null);
  assert.equal(parseRef(''), null);
  assert.equal(parseRef(':x/y'), null);
  assert.equal(parseRef('a:b/c/d'), null);
  assert.equal(formatRef({ kind: 'api', namespace: 'default', name: 'petstore' }), 'api:default/petstore');
  assert.equal(refLabel({ kind: 'api', namespace: 'default', name: 'petstore' }), 'petstore');
  assert.equal(refLabel({ kind: 'api', namespace: 'ops', name: 'petstore' }), 'ops/petstore');
});

test('ref <-> entity page path', () => {
  assert.equal(entityPath('component:default/artist-lookup'), '/catalog/component/default/artist-lookup');
  assert.equal(entityPath('team-a', 'group'), '/catalog/group/default/team-a');
  assert.equal(entityPath('nope'), null);
  assert.deepEqual(parseEntityPath('/catalog/component/default/artist-lookup'), {
    kind: 'component',
    namespace: 'default',
    name: 'artist-lookup',
  });
  assert.deepEqual(parseEntityPath('/catalog/api/default/a%20b/'), { kind: 'api', namespace: 'default', name: 'a b' });
  assert.equal(parseEntityPath('/catalog'), null);
  assert.equal(parseEntityPath('/catalog/component/default'), null);
  assert.equal(parseEntityPath('/catalog/a/b/c/d'), null);
  assert.equal(parseEntityPath('/catalog/a/b/%E0%A4%A'), null);
  for (const ref of ['component:default/artist-lookup', 'api:ops/x y', 'user:default/ünï']) {
    const path = entityPath(ref);
    assert.ok(path);
    const back = parseEntityPath(path);
    assert.ok(back);
    assert.equal(formatRef(back), ref);
  }
});

test('ref as a link: entity page and short label', () => {
  assert.deepEqual(refLink('team-a', 'group'), { path: '/catalog/group/default/team-a', label: 'team-a' });
  assert.deepEqual(refLink('group:ops/team-a', 'group'), { path: '/catalog/group/ops/team-a', label: 'ops/team-a' });
  assert.deepEqual(refLink('api:default/petstore'), { path: '/catalog/api/default/petstore', label: 'petstore' });
  assert.equal(refLink('team-a'), null);
  assert.equal(refLink(''), null);
});

test('relations are grouped by type, known types first', () => {
  const groups = groupRelations([
    { type: 'providesApi', target: 'api:default/wayback-search' },
    { type: 'ownedBy', target: 'group:default/team-a' },
    { type: 'providesApi', target: 'api:default/petstore' },
    { type: 'providesApi', target: 'api:default/petstore' },
    { type: 'zzCustom', target: 'resource:default/db' },
    { type: 'dependsOn', target: 'resource:default/artists-db' },
    { type: 'dependsOn', target: 'component:default/x' },
    { type: 'ownedBy', target: 'not a ref' },
  ]);
  assert.deepEqual(
    groups.map((g) => [g.type, g.label, g.targets.map(formatRef)]),
    [
      ['ownedBy', 'Owned by', ['group:default/team-a']],
      ['providesApi', 'Provides API', ['api:default/petstore', 'api:default/wayback-search']],
      ['dependsOn', 'Depends on', ['component:default/x', 'resource:default/artists-db']],
      ['zzCustom', 'Zz custom', ['resource:default/db']],
    ],
  );
  assert.equal(relationLabel('apiConsumedBy'), 'API consumed by');
  assert.deepEqual(groupRelations([]), []);
});

test('service link and source location', () => {
  assert.equal(serviceNameFor({ kind: 'component', namespace: 'default', name: 'artist-lookup' }), 'artist-lookup');
  assert.equal(serviceNameFor({ kind: 'api', namespace: 'default', name: 'petstore' }), null);
  // The demo's storefront component reports its traffic as storefront-bff (plexus.dev/service-name).
  assert.equal(serviceNameFor({ kind: 'component', namespace: 'default', name: 'storefront', serviceName: 'storefront-bff' }), 'storefront-bff');
  assert.equal(serviceNameFor({ kind: 'component', namespace: 'default', name: 'cart', serviceName: null }), 'cart');
  assert.equal(serviceNameFor({ kind: 'api', namespace: 'default', name: 'cart-api', serviceName: 'cart' }), null);
  assert.equal(formatSource({ file: 'a.yaml', line: 12, document: 1 }), 'a.yaml:12');
  assert.equal(formatSource({ file: 'a.yaml', line: 12, document: 3 }), 'a.yaml:12 (document 3)');
});

test('owned entities grouped by kind, usual kinds first, by title or name', () => {
  // What the demo's platform-team owns (test/reuse.test.ts), plus an unusual kind.
  const groups = groupByKind([
    { ref: 'resource:default/shop-db', kind: 'resource', name: 'shop-db', title: null },
    { ref: 'component:default/web-gateway', kind: 'component', name: 'web-gateway', title: null },
    { ref: 'template:default/svc', kind: 'Template', name: 'svc', title: null },
    { ref: 'api:default/auth-api', kind: 'api', name: 'auth-api', title: null },
    { ref: 'component:default/auth', kind: 'component', name: 'auth', title: 'Zeta auth' },
    { ref: 'domain:default/shop', kind: 'domain', name: 'shop', title: null },
  ]);
  assert.deepEqual(
    groups.map((g) => [g.kind, g.label, g.entities.map((e) => e.ref)]),
    [
      ['domain', 'Domains', ['domain:default/shop']],
      ['component', 'Components', ['component:default/web-gateway', 'component:default/auth']],
      ['api', 'APIs', ['api:default/auth-api']],
      ['resource', 'Resources', ['resource:default/shop-db']],
      ['template', 'Template', ['template:default/svc']],
    ],
  );
  assert.deepEqual(groupByKind([]), []);
});
