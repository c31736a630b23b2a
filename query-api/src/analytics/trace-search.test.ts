import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor, parseTraceSearch, spanConditions } from './trace-search.ts';
import type { TimeWindow } from './window.ts';

const w: TimeWindow = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-01T01:00:00Z'), seconds: 3600 };

/** The error a call throws: its code and message. */
function refusal(fn: () => unknown): { code: unknown; message: string } {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GraphQLError);
    return { code: err.extensions.code, message: err.message };
  }
  assert.fail('no error');
}

test('a cursor round-trips, 128-bit tiebreak and negative key included', () => {
  const c = { order: 'DURATION' as const, key: -2_049_886_780n, traceKey: 2n ** 127n + 12345n };
  assert.deepEqual(decodeCursor(encodeCursor(c), 'DURATION'), c);
});

test('a cursor of the other order, or not a cursor at all, is refused', () => {
  const c = encodeCursor({ order: 'NEWEST', key: -1n, traceKey: 1n });
  assert.deepEqual(refusal(() => decodeCursor(c, 'DURATION')), { code: 'BAD_USER_INPUT', message: '"after" is a cursor of a search ordered by NEWEST, not DURATION' });
  for (const bad of ['', 'abc', Buffer.from('["NEWEST","1"]').toString('base64url'), Buffer.from('["NEWEST","x","1"]').toString('base64url'), Buffer.from('["NEWEST","1","-1"]').toString('base64url')]) {
    assert.equal(refusal(() => decodeCursor(bad, 'NEWEST')).code, 'BAD_USER_INPUT', bad);
  }
});

test('arguments are checked: page size, kind, durations, attribute keys', () => {
  const cases: Array<[Parameters<typeof parseTraceSearch>[0], string]> = [
    [{ first: 101 }, 'first must be between 0 and 100, got 101'],
    [{ first: -1 }, 'first must be between 0 and 100, got -1'],
    [{ spanKind: 'SERVERISH' }, 'spanKind must be one of SERVER, CLIENT, PRODUCER, CONSUMER, INTERNAL, got "SERVERISH"'],
    [{ minDurationMs: 5, maxDurationMs: 4 }, 'minDurationMs (5) must not be more than maxDurationMs (4)'],
    [{ maxDurationMs: Number.NaN }, 'maxDurationMs must be a duration in ms, 0 or more, got NaN'],
    [{ attributes: [{ key: 'a', value: '1' }, { key: '', value: '2' }] }, 'attributes[1].key must not be empty'],
  ];
  for (const [args, message] of cases) assert.deepEqual(refusal(() => parseTraceSearch(args, w)), { code: 'BAD_USER_INPUT', message });
});

test('defaults: newest first, 20 a page; empty strings and nulls mean no filter; kind is case-insensitive', () => {
  const q = parseTraceSearch({ service: '', operation: null, spanKind: 'server', minDurationMs: 0 }, w);
  assert.deepEqual([q.order, q.first, q.after], ['NEWEST', 20, null]);
  assert.deepEqual(q.filter, { service: undefined, operation: undefined, spanKind: 'SERVER', minDurationMs: 0, maxDurationMs: undefined, status: undefined, attributes: [] });
});

test('each filter becomes one parameterised condition; values never reach the SQL text', () => {
  const conditions = spanConditions({ service: "o'brien", spanKind: 'INTERNAL', minDurationMs: 2.5, maxDurationMs: 10, status: 'UNSET', attributes: [{ key: 'k', value: '' }] });
  assert.equal(conditions.length, 6);
  const rendered = conditions.map((c) => c.render());
  assert.ok(rendered.every((r) => !r.query.includes("o'brien")));
  assert.deepEqual(rendered.map((r) => Object.values(r.params)), [
    ["o'brien"], [['Internal', 'SPAN_KIND_INTERNAL']], [2.5], [10], [['Ok', 'STATUS_CODE_OK', 'Error', 'STATUS_CODE_ERROR']],
    // An empty value must also find the key (a missing key reads as '').
    ['k', 'k', 'k', 'k'],
  ]);
  assert.match(rendered[5]!.query, /mapContains\(SpanAttributes, \{p0:String\}\)/);
  assert.deepEqual(spanConditions({}), []);
});
