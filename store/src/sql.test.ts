import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, param, ident, join, empty } from './sql.ts';

test('interpolated values become typed parameters, never text', () => {
  const name = "x'); DROP TABLE otel_traces; --";
  const { query, params } = sql`SELECT 1 FROM t WHERE a = ${name} AND b > ${3} AND c < ${1.5}`.render();
  assert.equal(query, 'SELECT 1 FROM t WHERE a = {p0:String} AND b > {p1:Int64} AND c < {p2:Float64}');
  assert.deepEqual(params, { p0: name, p1: 3, p2: 1.5 });
  assert.ok(!query.includes('DROP'));
});

test('nested fragments are renumbered in order', () => {
  const inner = sql`x = ${'a'} OR y = ${'b'}`;
  const { query, params } = sql`SELECT ${param('UInt32', 7)} WHERE ${inner} AND z IN ${['q', 'r']}`.render();
  assert.equal(query, 'SELECT {p0:UInt32} WHERE x = {p1:String} OR y = {p2:String} AND z IN {p3:Array(String)}');
  assert.deepEqual(params, { p0: 7, p1: 'a', p2: 'b', p3: ['q', 'r'] });
});

test('dates bind as UTC DateTime64(3)', () => {
  const { query, params } = sql`WHERE t >= ${new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6))}`.render();
  assert.equal(query, "WHERE t >= {p0:DateTime64(3, 'UTC')}");
  assert.equal(params.p0, '2026-01-02 03:04:05.006');
});

test('identifiers are validated and quoted', () => {
  assert.equal(sql`SELECT * FROM ${ident('otel_traces')}`.render().query, 'SELECT * FROM `otel_traces`');
  assert.throws(() => ident('t; DROP'), /not a plain SQL identifier/);
});

test('join and empty compose clauses', () => {
  const parts = [sql`a = ${1}`, sql`b = ${2}`];
  assert.equal(sql`WHERE ${join(parts, sql` AND `)}${empty}`.render().query, 'WHERE a = {p0:Int64} AND b = {p1:Int64}');
  assert.equal(join([]).render().query, '');
});
