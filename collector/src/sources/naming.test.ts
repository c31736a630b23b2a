import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceNamer } from './naming.ts';

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
