import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EMPTY_FILTERS,
  durationBarPct,
  hasTraceFilters,
  normalizeTraceId,
  parseAttr,
  parseMs,
  parseTraceFilters,
  traceFiltersPatch,
  traceVariables,
} from './trace-search.ts';
import { applyPatch, buildHref, parseRoute, parseSearch, routePath, serializeSearch, tracePath } from './url.ts';

const ID = '4bf92f3577b34da6a3ce929d0e0e4736';

test('trace routes', () => {
  assert.deepEqual(parseRoute('/traces'), { page: 'traces' });
  assert.deepEqual(parseRoute('/traces/'), { page: 'traces' });
  assert.deepEqual(parseRoute(`/traces/${ID}`), { page: 'trace', id: ID });
  assert.deepEqual(parseRoute('/traces/a/b'), { page: 'notfound', path: '/traces/a/b' });
  assert.equal(routePath({ page: 'trace', id: ID }), `/traces/${ID}`);
  assert.equal(routePath({ page: 'traces' }), '/traces');
  assert.equal(tracePath(ID), `/traces/${ID}`);
});

test('repeated attr parameters survive parsing, patching and serialising', () => {
  const search = '?from=now-1h&to=now&service=checkout&attr=http.route%3D/checkout&attr=region=eu&attr=note=a%3Db';
  const params = parseSearch(search);
  assert.equal(params['attr'], 'http.route=/checkout\nregion=eu\nnote=a=b');
  // A time-range change (hrefWith → applyPatch + serializeSearch) keeps every attr.
  const next = serializeSearch(applyPatch(params, { from: 'now-6h' }));
  assert.equal(next, '?from=now-6h&to=now&attr=http.route%3D/checkout&attr=region%3Deu&attr=note%3Da%3Db&service=checkout');
  assert.deepEqual(parseSearch(next), { ...params, from: 'now-6h' });
  // Only global parameters follow the user to another page.
  assert.equal(buildHref('/map', search), '/map?from=now-1h&to=now');
  // Other parameters still keep their first value only.
  assert.deepEqual(parseSearch('?service=a&service=b'), { service: 'a' });
});

test('parseTraceFilters reads every filter and ignores malformed ones', () => {
  const f = parseTraceFilters(parseSearch('?service=checkout&operation=POST%20/checkout&kind=server&minMs=100&maxMs=2.5e3&status=error&attr=a=1&attr=bad&attr==x&attr=b=&order=duration'));
  assert.deepEqual(f, {
    service: 'checkout',
    operation: 'POST /checkout',
    kind: 'SERVER',
    minMs: 100,
    maxMs: 2500,
    status: 'ERROR',
    attrs: [{ key: 'a', value: '1' }, { key: 'b', value: '' }],
    order: 'duration',
  });
  assert.deepEqual(parseTraceFilters({ kind: 'SIDEWAYS', status: 'MAYBE', minMs: '-1', maxMs: 'x', order: 'oldest' }), EMPTY_FILTERS);
  assert.equal(hasTraceFilters(EMPTY_FILTERS), false);
  assert.equal(hasTraceFilters({ ...EMPTY_FILTERS, order: 'duration' }), false);
  assert.equal(hasTraceFilters({ ...EMPTY_FILTERS, minMs: 0 }), true);
});

test('traceFiltersPatch round-trips through the URL and leaves defaults out', () => {
  const f = { ...EMPTY_FILTERS, service: 'cart', minMs: 0, attrs: [{ key: 'k', value: 'v=w' }, { key: 'z', value: '1' }] };
  const patch = traceFiltersPatch(f);
  assert.deepEqual(patch, { service: 'cart', operation: null, kind: null, minMs: '0', maxMs: null, status: null, attr: 'k=v=w\nz=1', order: null });
  assert.deepEqual(parseTraceFilters(parseSearch(serializeSearch(applyPatch({}, patch)))), f);
  assert.deepEqual(traceFiltersPatch(EMPTY_FILTERS), { service: null, operation: null, kind: null, minMs: null, maxMs: null, status: null, attr: null, order: null });
});

test('traceVariables: the query variables of the filters', () => {
  const w = { from: '2025-01-01T00:00:00.000Z', to: '2025-01-01T01:00:00.000Z' };
  assert.deepEqual(traceVariables(EMPTY_FILTERS, w), {
    ...w, service: null, operation: null, spanKind: null, minDurationMs: null, maxDurationMs: null, status: null, attributes: null, orderBy: 'NEWEST',
  });
  assert.deepEqual(traceVariables({ ...EMPTY_FILTERS, service: 's', operation: 'o', kind: 'CLIENT', minMs: 5, maxMs: 9, status: 'OK', attrs: [{ key: 'a', value: 'b' }], order: 'duration' }, w), {
    ...w, service: 's', operation: 'o', spanKind: 'CLIENT', minDurationMs: 5, maxDurationMs: 9, status: 'OK', attributes: [{ key: 'a', value: 'b' }], orderBy: 'DURATION',
  });
});

test('small parsers: trace ids, attributes, durations, bar widths', () => {
  assert.equal(normalizeTraceId(` ${ID.toUpperCase()} `), ID);
  assert.equal(normalizeTraceId('a3ce929d0e0e4736'), '0000000000000000a3ce929d0e0e4736');
  assert.equal(normalizeTraceId('xyz'), null);
  assert.equal(normalizeTraceId(ID + '0'), null);
  assert.deepEqual(parseAttr(' http.method =GET'), { key: 'http.method', value: 'GET' });
  assert.equal(parseAttr('novalue'), null);
  assert.equal(parseAttr(' =x'), null);
  assert.equal(parseMs('12.5'), 12.5);
  assert.equal(parseMs(''), null);
  assert.equal(parseMs('Infinity'), null);
  assert.equal(durationBarPct(50, 200), 25);
  assert.equal(durationBarPct(0.001, 200), 1);
  assert.equal(durationBarPct(0, 200), 0);
  assert.equal(durationBarPct(10, 0), 0);
});
