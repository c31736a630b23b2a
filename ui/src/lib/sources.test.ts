import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, validate } from 'graphql';
import { SOURCES_QUERY, SOURCE_STATUS_QUERY, fetchSources } from './api.ts';
import type { FetchLike } from './graphql.ts';
import { downCount, formatAgo, gatewayErrorRate, isSourceOnly, orderedSources, sortGateways, sortTargets } from './sources.ts';
import { parseRoute, routePath } from './url.ts';
import { serverSchema } from './server-schema.ts';

test('the sources queries are valid against the server schema', () => {
  const schema = serverSchema();
  for (const q of [SOURCES_QUERY, SOURCE_STATUS_QUERY]) assert.deepEqual(validate(schema, parse(q)).map((e) => e.message), []);
  assert.notDeepEqual(validate(schema, parse(SOURCES_QUERY.replace('lastError', 'lastFailure'))), [], 'a misspelt field is caught');
});

test('fetchSources returns the sources object of the answer', async () => {
  const body = { data: { sources: { meshTargets: [], gateways: [{ name: 'kong', format: 'kong', calls: 10, errors: 2, upstreams: ['orders'], consumers: 1 }] } } };
  let sent: { query: string; variables: Record<string, unknown> } | undefined;
  const fetch: FetchLike = async (_url, init) => {
    sent = JSON.parse(String(init.body));
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const s = await fetchSources({ from: '2025-01-01T10:00:00Z', to: '2025-01-01T11:00:00Z' }, { fetch });
  assert.deepEqual(s, body.data.sources);
  assert.deepEqual(sent?.variables, { from: '2025-01-01T10:00:00Z', to: '2025-01-01T11:00:00Z' });
});

test('/sources is a route of its own', () => {
  assert.deepEqual(parseRoute('/sources'), { page: 'sources' });
  assert.deepEqual(parseRoute('/sources/'), { page: 'sources' });
  assert.equal(routePath({ page: 'sources' }), '/sources');
});

test('down targets come first, then by name', () => {
  const t = [
    { name: 'bookinfo', up: true },
    { name: 'broken', up: false },
    { name: 'alpha', up: true },
    { name: 'zeta', up: false },
  ];
  assert.deepEqual(sortTargets(t).map((x) => x.name), ['broken', 'zeta', 'alpha', 'bookinfo']);
  assert.equal(downCount(t), 2);
  assert.equal(downCount([{ up: true }]), 0);
  assert.equal(downCount(null), 0);
});

test('gateways: busiest first, error rate of their calls', () => {
  const g = [
    { name: 'traefik', calls: 3, errors: 0 },
    { name: 'kong', calls: 10, errors: 2 },
    { name: 'envoy', calls: 3, errors: 3 },
  ];
  assert.deepEqual(sortGateways(g).map((x) => x.name), ['kong', 'envoy', 'traefik']);
  assert.equal(gatewayErrorRate({ calls: 10, errors: 2 }), 0.2);
  assert.equal(gatewayErrorRate({ calls: 0, errors: 0 }), 0);
});

test('last scrape as a relative time', () => {
  const now = Date.parse('2025-01-01T12:00:00Z');
  assert.equal(formatAgo(null, now), 'never');
  assert.equal(formatAgo('not a date', now), '—');
  assert.equal(formatAgo('2025-01-01T12:00:03Z', now), 'just now', 'a collector clock ahead of the browser');
  assert.equal(formatAgo('2025-01-01T11:59:57Z', now), 'just now');
  assert.equal(formatAgo('2025-01-01T11:59:18Z', now), '42 s ago');
  assert.equal(formatAgo('2025-01-01T11:55:00Z', now), '5 min ago');
  assert.equal(formatAgo('2025-01-01T09:00:00Z', now), '3 h ago');
  assert.equal(formatAgo('2024-12-30T11:00:00Z', now), '2 d ago');
});

test('edge sources: schema order, and the source-only style', () => {
  assert.deepEqual(orderedSources(['mesh', 'traces']), ['traces', 'mesh']);
  assert.deepEqual(orderedSources(['kafka', 'gateway', 'zipkin', 'traces', 'gateway']), ['traces', 'gateway', 'kafka', 'zipkin']);
  assert.deepEqual(orderedSources(null), []);
  // The mixed landscape's three edges (test/mixed-landscape.test.ts).
  assert.equal(isSourceOnly(['gateway']), true, 'kong -> orders');
  assert.equal(isSourceOnly(['mesh']), true, 'reviews -> ratings');
  assert.equal(isSourceOnly(['traces', 'mesh']), false, 'productpage -> reviews');
  assert.equal(isSourceOnly(['gateway', 'mesh']), true);
  assert.equal(isSourceOnly(['kafka']), false, 'Kafka-only topic edges keep their own style');
  assert.equal(isSourceOnly(['traces', 'kafka']), false);
  assert.equal(isSourceOnly([]), false);
});
