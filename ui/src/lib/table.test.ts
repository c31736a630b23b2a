import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ariaSort, matchesFilter, nextSort, sortRows } from './table.ts';

const rows = [
  { name: 'cart', p95: 20 },
  { name: 'checkout', p95: null },
  { name: 'Auth', p95: 5 },
  { name: 'svc10', p95: 20 },
  { name: 'svc9', p95: Number.NaN },
];

test('sorts numbers and names, missing values last in both directions', () => {
  assert.deepEqual(sortRows(rows, (r) => r.p95, false).map((r) => r.name), ['Auth', 'cart', 'svc10', 'checkout', 'svc9']);
  assert.deepEqual(sortRows(rows, (r) => r.p95, true).map((r) => r.name), ['cart', 'svc10', 'Auth', 'checkout', 'svc9']);
  assert.deepEqual(sortRows(rows, (r) => r.name, false).map((r) => r.name), ['Auth', 'cart', 'checkout', 'svc9', 'svc10']);
});

test('filter matches every term, case-insensitively', () => {
  assert.equal(matchesFilter('checkout-service', 'CHECK'), true);
  assert.equal(matchesFilter('checkout-service', 'check svc'), false);
  assert.equal(matchesFilter('checkout-service', 'serv check'), true);
  assert.equal(matchesFilter('anything', '   '), true);
});

test('header clicks flip or start a new sort', () => {
  const numDesc = (k: string) => k !== 'name';
  assert.deepEqual(nextSort({ key: 'name', desc: false }, 'name', numDesc), { key: 'name', desc: true });
  assert.deepEqual(nextSort({ key: 'name', desc: false }, 'p95', numDesc), { key: 'p95', desc: true });
  assert.equal(ariaSort({ key: 'p95', desc: true }, 'p95'), 'descending');
  assert.equal(ariaSort({ key: 'p95', desc: true }, 'name'), 'none');
});
