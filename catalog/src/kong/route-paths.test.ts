import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kongPathTemplate } from './route-paths.ts';

test('prefix paths stay as written; simple named-capture regexes become templates', () => {
  assert.deepEqual(kongPathTemplate('/orders'), { ok: true, template: '/orders', params: [] });
  assert.deepEqual(kongPathTemplate('~/orders/(?<id>\\d+)$'), { ok: true, template: '/orders/{id}', params: [{ name: 'id', pattern: '^\\d+$' }] });
  assert.deepEqual(kongPathTemplate('~^/v1/users/(?<user>[a-z0-9-]+)/files/(?<file>[^/]+)\\.json/?$'), {
    ok: true,
    template: '/v1/users/{user}/files/{file}.json',
    params: [{ name: 'user', pattern: '^[a-z0-9-]+$' }, { name: 'file', pattern: '^[^/]+$' }],
  });
  assert.deepEqual(kongPathTemplate('~/items/(?<sku>\\w{3,8})'), { ok: true, template: '/items/{sku}', params: [{ name: 'sku', pattern: '^\\w{3,8}$' }] });
});

test('regexes a template cannot express are refused with the reason', () => {
  const error = (p: string) => {
    const r = kongPathTemplate(p);
    return r.ok ? `converted to ${r.template}` : r.error;
  };
  assert.equal(error('~/search/(.*)$'), 'regex path "~/search/(.*)$" cannot be an OpenAPI path template: the group at position 9 has no name: write (?<name>…)');
  assert.equal(error('~/files/(?<rest>.+)$'), 'regex path "~/files/(?<rest>.+)$" cannot be an OpenAPI path template: capture "rest" uses ".": only \\d, \\w, classes without / and literals are converted');
  assert.equal(error('~/a/(?<x>[^-]+)'), 'regex path "~/a/(?<x>[^-]+)" cannot be an OpenAPI path template: capture "x" has the class [^-], which may match /');
  assert.equal(error('~/v(1|2)/orders'), 'regex path "~/v(1|2)/orders" cannot be an OpenAPI path template: the group at position 3 has no name: write (?<name>…)');
  assert.equal(error('~/orders/\\d+'), 'regex path "~/orders/\\d+" cannot be an OpenAPI path template: \\d outside a named capture');
  assert.equal(error('/refunds/\\d+'), '"/refunds/\\d+" looks like a regex, but Kong 3 treats it as a literal prefix: mark regex paths with ~ (decK file convert does it)');
  assert.equal(error('orders'), '"orders" must start with / (or ~/ for a regex)');
});
