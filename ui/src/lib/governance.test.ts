import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from './api.ts';
import { FINDING_KINDS } from './api.ts';
import {
  FINDING_KIND_LABEL,
  evidenceLinks,
  filterFindings,
  findingKey,
  kindCounts,
  kindLabel,
  kindsPatch,
  operationLabel,
  parseKinds,
  severityGlyph,
  severityLevel,
  severityRank,
  sortFindings,
  toggleKind,
} from './governance.ts';
import { applyPatch, parseSearch, serializeSearch } from './url.ts';

function f(p: Partial<Finding>): Finding {
  return { kind: 'NO_OWNER', severity: 'LOW', message: '', entityRef: null, service: null, method: null, path: null, counterpart: null, ...p };
}

test('kind labels', () => {
  assert.equal(kindLabel('SHADOW_ENDPOINT'), 'Shadow endpoint');
  assert.equal(kindLabel('DEPRECATED_IN_USE'), 'Deprecated in use');
  assert.equal(kindLabel('UNUSED_API'), 'Unused API');
  assert.equal(kindLabel('BRAND_NEW_KIND'), 'Brand new kind');
  for (const k of FINDING_KINDS) assert.ok(FINDING_KIND_LABEL[k]);
});

test('severity rank, glyph and level', () => {
  assert.deepEqual(['LOW', 'HIGH', 'MEDIUM', 'WHAT'].sort((a, b) => severityRank(a) - severityRank(b)), ['HIGH', 'MEDIUM', 'LOW', 'WHAT']);
  assert.notEqual(severityGlyph('HIGH'), severityGlyph('LOW'));
  assert.equal(severityLevel('HIGH'), 'lvl-bad');
  assert.equal(severityLevel('MEDIUM'), 'lvl-warn');
  assert.equal(severityLevel('LOW'), 'lvl-idle');
});

test('default order: severity, then kind, then message', () => {
  const rows = [
    f({ severity: 'LOW', kind: 'NO_OWNER', message: 'a' }),
    f({ severity: 'HIGH', kind: 'UNCATALOGED_SERVICE', message: 'a' }),
    f({ severity: 'HIGH', kind: 'SHADOW_ENDPOINT', message: 'b' }),
    f({ severity: 'HIGH', kind: 'SHADOW_ENDPOINT', message: 'a' }),
    f({ severity: 'MEDIUM', kind: 'UNUSED_API', message: 'z' }),
  ];
  assert.deepEqual(
    sortFindings(rows).map((r) => `${r.severity} ${r.kind} ${r.message}`),
    ['HIGH SHADOW_ENDPOINT a', 'HIGH SHADOW_ENDPOINT b', 'HIGH UNCATALOGED_SERVICE a', 'MEDIUM UNUSED_API z', 'LOW NO_OWNER a'],
  );
});

test('kinds filter from and to the URL', () => {
  assert.equal(parseKinds({}).size, FINDING_KINDS.length);
  assert.deepEqual([...parseKinds(parseSearch('?kinds=unused_api,SHADOW_ENDPOINT,bogus'))].sort(), ['SHADOW_ENDPOINT', 'UNUSED_API']);
  assert.equal(parseKinds({ kinds: 'none' }).size, 0);
  assert.deepEqual(kindsPatch(new Set(FINDING_KINDS)), { kinds: null });
  assert.deepEqual(kindsPatch(new Set()), { kinds: 'none' });
  const one = toggleKind(new Set(FINDING_KINDS), 'NO_OWNER');
  assert.equal(one.has('NO_OWNER'), false);
  assert.equal(toggleKind(one, 'NO_OWNER').has('NO_OWNER'), true);
  const search = serializeSearch(applyPatch({ from: 'now-1h' }, kindsPatch(new Set(['UNUSED_API', 'SHADOW_ENDPOINT']))));
  assert.equal(search, '?from=now-1h&kinds=SHADOW_ENDPOINT,UNUSED_API');
  assert.deepEqual([...parseKinds(parseSearch(search))].sort(), ['SHADOW_ENDPOINT', 'UNUSED_API']);
});

test('counts and filtering', () => {
  const rows = [f({ kind: 'UNUSED_API' }), f({ kind: 'UNUSED_API' }), f({ kind: 'NO_OWNER' }), f({ kind: 'FUTURE' as Finding['kind'] })];
  const c = kindCounts(rows);
  assert.equal(c.UNUSED_API, 2);
  assert.equal(c.NO_OWNER, 1);
  assert.equal(c.SHADOW_ENDPOINT, 0);
  assert.equal(filterFindings(rows, new Set(FINDING_KINDS)).length, 4);
  assert.equal(filterFindings(rows, new Set(['UNUSED_API'])).length, 2);
  assert.equal(filterFindings(rows, new Set()).length, 0);
});

test('evidence links', () => {
  assert.deepEqual(
    evidenceLinks({ service: 'catalog', entityRef: 'api:default/catalog-api', counterpart: null }),
    [
      { role: 'service', label: 'catalog', path: '/services/catalog', title: 'Service: catalog' },
      { role: 'entity', label: 'catalog-api', path: '/catalog/api/default/catalog-api', title: 'Catalog: api:default/catalog-api' },
    ],
  );
  // A plain counterpart is a service; a ref counterpart is a catalog entity.
  assert.deepEqual(
    evidenceLinks({ service: null, entityRef: 'api:default/inventory-api', counterpart: 'cart' }).map((l) => l.path),
    ['/catalog/api/default/inventory-api', '/services/cart'],
  );
  assert.deepEqual(
    evidenceLinks({ service: 'checkout', entityRef: 'component:default/checkout', counterpart: 'component:team/inventory' }).map((l) => [l.label, l.path]),
    [
      ['checkout', '/services/checkout'],
      ['checkout', '/catalog/component/default/checkout'],
      ['team/inventory', '/catalog/component/team/inventory'],
    ],
  );
  // Duplicates and unparsable refs are dropped; names are encoded.
  assert.deepEqual(evidenceLinks({ service: 'a b', entityRef: 'bad:', counterpart: 'a b' }).map((l) => l.path), ['/services/a%20b']);
  assert.deepEqual(evidenceLinks({ service: null, entityRef: null, counterpart: null }), []);
});

test('operation label and row key', () => {
  assert.equal(operationLabel({ method: 'GET', path: '/stock/{sku}' }), 'GET /stock/{sku}');
  assert.equal(operationLabel({ method: null, path: null }), null);
  assert.notEqual(findingKey(f({ service: 'a' })), findingKey(f({ counterpart: 'a' })));
});
