import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate, matchOperation, normalizeTemplate, templatePath } from './path-template.ts';

test('templates match concrete paths and routes in any spelling', () => {
  const t = compileTemplate('/pets/{petId}');
  assert.ok(t.test('/pets/42'));
  assert.ok(t.test('/pets/42?full=1'));
  assert.ok(!t.test('/pets/42/photos'));
  assert.ok(!t.test('/pets'));
  assert.ok(compileTemplate('/files/{name}.json').test('/files/a.b.json'));
  assert.ok(!compileTemplate('/files/{name}.json').test('/files/abc'));
  assert.ok(compileTemplate('/a+b/{x}').test('/a+b/1'), 'literal regex characters are literal');
  assert.equal(normalizeTemplate('/pets/:petId/'), '/pets/{petId}');
  assert.equal(normalizeTemplate('/users/<int:id>'), '/users/{id}');
});

test('raw paths are templated: numbers, uuids, hashes and tokens become parameters', () => {
  assert.equal(templatePath('/orders/42/items/3fa85f64-5717-4562-b3fc-2c963f66afa6'), '/orders/{id}/items/{uuid}');
  assert.equal(templatePath('/commits/9fceb02d0ae598e95dc970b74767f19372d61af8'), '/commits/{hash}');
  assert.equal(templatePath('/search?q=1'), '/search');
  assert.equal(templatePath('/v1/users/me'), '/v1/users/me', 'names stay names');
});

test('the most specific operation wins; method must match; routes match as templates', () => {
  const ops = [
    { method: 'GET', fullPath: '/pets/{petId}', id: 'show' },
    { method: 'GET', fullPath: '/pets/mine', id: 'mine' },
    { method: 'DELETE', fullPath: '/pets/{petId}', id: 'delete' },
  ];
  assert.equal(matchOperation(ops, 'GET', '/pets/42')?.id, 'show');
  assert.equal(matchOperation(ops, 'get', '/pets/mine')?.id, 'mine');
  assert.equal(matchOperation(ops, 'DELETE', '/pets/7')?.id, 'delete');
  assert.equal(matchOperation(ops, 'POST', '/pets/7'), undefined);
  assert.equal(matchOperation(ops, 'GET', '/pets/:id')?.id, 'show', 'an express route matches the template');
  assert.equal(matchOperation(ops, 'GET', '/owners/1'), undefined);
});
