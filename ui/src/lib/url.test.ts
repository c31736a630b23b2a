import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyPatch,
  buildHref,
  isPlainLeftClick,
  parseRoute,
  parseSearch,
  parseSet,
  parseSort,
  routePath,
  serializeSearch,
  serializeSet,
  serializeSort,
  servicePath,
} from './url.ts';

test('routes', () => {
  assert.deepEqual(parseRoute('/'), { page: 'root' });
  assert.deepEqual(parseRoute(''), { page: 'root' });
  assert.deepEqual(parseRoute('/map'), { page: 'map' });
  assert.deepEqual(parseRoute('/map/'), { page: 'map' });
  assert.deepEqual(parseRoute('/services'), { page: 'services' });
  assert.deepEqual(parseRoute('/services/checkout'), { page: 'service', name: 'checkout' });
  assert.deepEqual(parseRoute('/services/payments%2Fv2'), { page: 'service', name: 'payments/v2' });
  assert.deepEqual(parseRoute('/services/a%20b'), { page: 'service', name: 'a b' });
  assert.deepEqual(parseRoute('/services/%E0%A4%A'), { page: 'notfound', path: '/services/%E0%A4%A' });
  assert.deepEqual(parseRoute('/nope'), { page: 'notfound', path: '/nope' });
  assert.deepEqual(parseRoute('/services/a/b'), { page: 'notfound', path: '/services/a/b' });
  assert.deepEqual(parseRoute('/catalog'), { page: 'catalog' });
  assert.deepEqual(parseRoute('/catalog/'), { page: 'catalog' });
  assert.deepEqual(parseRoute('/catalog/component/default/artist-lookup'), {
    page: 'entity',
    kind: 'component',
    namespace: 'default',
    name: 'artist-lookup',
  });
  assert.deepEqual(parseRoute('/catalog/component/default'), { page: 'notfound', path: '/catalog/component/default' });
  assert.equal(routePath({ page: 'entity', kind: 'api', namespace: 'default', name: 'petstore' }), '/catalog/api/default/petstore');
  assert.equal(routePath({ page: 'catalog' }), '/catalog');
  assert.deepEqual(parseRoute('/governance'), { page: 'governance' });
  assert.deepEqual(parseRoute('/governance/'), { page: 'governance' });
  assert.equal(routePath({ page: 'governance' }), '/governance');
  assert.deepEqual(parseRoute('/reuse/'), { page: 'reuse' });
  assert.equal(routePath({ page: 'reuse' }), '/reuse');
});

test('route paths round-trip', () => {
  for (const name of ['checkout', 'payments/v2', 'a b', 'ünï', 'x?y#z']) {
    assert.equal(servicePath(name), routePath({ page: 'service', name }));
    assert.deepEqual(parseRoute(servicePath(name)), { page: 'service', name });
  }
});

test('query strings keep from/to first and stay readable', () => {
  const s = serializeSearch({ sel: 'database:postgresql', to: '2025-03-04T11:00:00Z', from: '2025-03-04T10:00:00Z', kinds: 'SERVICE,TOPIC' });
  assert.equal(s, '?from=2025-03-04T10:00:00Z&to=2025-03-04T11:00:00Z&kinds=SERVICE,TOPIC&sel=database:postgresql');
  assert.deepEqual(parseSearch(s), {
    from: '2025-03-04T10:00:00Z',
    to: '2025-03-04T11:00:00Z',
    kinds: 'SERVICE,TOPIC',
    sel: 'database:postgresql',
  });
  assert.equal(serializeSearch({}), '');
  assert.deepEqual(parseSearch('?q=a%20b&q=ignored&x'), { q: 'a b', x: '' });
  assert.deepEqual(parseSearch('?from=2025-03-04T10%3A00%3A00%2B01%3A00'), { from: '2025-03-04T10:00:00+01:00' });
  assert.deepEqual(parseSearch(serializeSearch({ q: 'a&b=c+d' })), { q: 'a&b=c+d' });
});

test('patches drop empty values', () => {
  assert.deepEqual(applyPatch({ a: '1', b: '2' }, { a: null, b: '3', c: '' }), { b: '3' });
});

test('links keep the time range and drop page state', () => {
  const current = '?from=now-6h&to=now&kinds=SERVICE&sel=service:cart';
  assert.equal(buildHref('/services', current), '/services?from=now-6h&to=now');
  assert.equal(buildHref('/services/cart', current, { q: 'x' }), '/services/cart?from=now-6h&to=now&q=x');
  assert.equal(buildHref('/map', ''), '/map');
});

test('set and sort parameters', () => {
  const all = ['SERVICE', 'DATABASE', 'EXTERNAL', 'TOPIC'] as const;
  assert.equal(parseSet(undefined, all), null);
  assert.deepEqual([...(parseSet('service,TOPIC,bogus', all) ?? [])], ['SERVICE', 'TOPIC']);
  assert.equal(serializeSet(new Set(all), all), null);
  assert.equal(serializeSet(new Set(['TOPIC', 'SERVICE'] as const), all), 'SERVICE,TOPIC');
  assert.equal(serializeSet(new Set<(typeof all)[number]>(), all), '');
  const keys = ['name', 'p95'] as const;
  assert.deepEqual(parseSort('-p95', keys, { key: 'name', desc: false }), { key: 'p95', desc: true });
  assert.deepEqual(parseSort('bogus', keys, { key: 'name', desc: false }), { key: 'name', desc: false });
  assert.equal(serializeSort({ key: 'p95', desc: true }), '-p95');
});

test('only plain left clicks are intercepted', () => {
  const base = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false, defaultPrevented: false };
  assert.equal(isPlainLeftClick(base), true);
  assert.equal(isPlainLeftClick({ ...base, metaKey: true }), false);
  assert.equal(isPlainLeftClick({ ...base, button: 1 }), false);
  assert.equal(isPlainLeftClick({ ...base, defaultPrevented: true }), false);
});
