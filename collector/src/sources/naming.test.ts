import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identityParts, serviceNamer } from './naming.ts';

test('Kubernetes names become the app name; public hosts and IPs stay whole', () => {
  const name = serviceNamer();
  assert.equal(name({ host: 'details.default.svc.cluster.local' }), 'details');
  assert.equal(name({ host: 'reviews.default' }), 'reviews');
  assert.equal(name({ host: 'reviews.default:9080' }), 'reviews');
  assert.equal(name({ host: 'httpbin.org' }), 'httpbin.org');
  assert.equal(name({ host: '10.0.0.7' }), '10.0.0.7');
  assert.equal(name({ name: 'ratings', namespace: 'bookinfo' }), 'ratings');
  assert.equal(name({ workload: 'ratings-v1' }), 'ratings-v1');
  assert.equal(name({}), '');
});

test('name.namespace keeps the namespace; aliases apply last', () => {
  const name = serviceNamer({ format: 'name.namespace', aliases: { 'productpage-v1.default': 'productpage' } });
  assert.equal(name({ host: 'details.default.svc.cluster.local' }), 'details.default');
  assert.equal(name({ name: 'ratings', namespace: 'bookinfo' }), 'ratings.bookinfo');
  assert.equal(name({ workload: 'productpage-v1', namespace: 'default' }), 'productpage');
});

test('identityParts says what a host splits into before the rule applies', () => {
  assert.deepEqual(identityParts({ host: 'productpage.default' }), { name: 'productpage', namespace: 'default' });
  assert.deepEqual(identityParts({ host: 'reviews.default.svc.cluster.local:9080' }), { name: 'reviews', namespace: 'default' });
  assert.deepEqual(identityParts({ host: 'httpbin.org' }), { name: 'httpbin.org', namespace: '' });
  assert.deepEqual(identityParts({ host: 'a.b.c' }), { name: 'a.b.c', namespace: '' });
  assert.deepEqual(identityParts({ host: 'details.default', namespace: 'bookinfo' }), { name: 'details', namespace: 'bookinfo' }, 'a given namespace wins');
  assert.deepEqual(identityParts({ host: ' ' }), { name: '', namespace: '' });
});
