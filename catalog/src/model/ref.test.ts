import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRef, stringifyRef } from './ref.ts';

test('refs fill kind and namespace from context and are canonical lower-case', () => {
  assert.deepEqual(parseRef('team-a', { defaultKind: 'group' }), { kind: 'group', namespace: 'default', name: 'team-a' });
  assert.deepEqual(parseRef('Resource:Artists-DB', {}), { kind: 'resource', namespace: 'default', name: 'artists-db' });
  assert.deepEqual(parseRef('api:payments/checkout', { defaultKind: 'component' }), { kind: 'api', namespace: 'payments', name: 'checkout' });
  assert.deepEqual(parseRef('ops/db', { defaultKind: 'resource', defaultNamespace: 'x' }), { kind: 'resource', namespace: 'ops', name: 'db' });
  assert.equal(stringifyRef({ kind: 'Component', namespace: 'Default', name: 'Artist-Lookup' }), 'component:default/artist-lookup');
});

test('malformed refs and refs without a kind are reported, not thrown', () => {
  assert.match(parseRef('a:b:c', {}) as string, /not an entity reference/);
  assert.match(parseRef('artists-db', {}) as string, /needs a kind/);
  assert.match(parseRef('', { defaultKind: 'group' }) as string, /not an entity reference/);
});
