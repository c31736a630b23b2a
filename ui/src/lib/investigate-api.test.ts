import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, validate } from 'graphql';
import type { FetchLike } from './graphql.ts';
import {
  CALL_DEPTHS_QUERY,
  CRITICAL_PATH_QUERY,
  GRAPH_DIFF_QUERY,
  IMPACT_QUERY,
  LATENCY_HEATMAP_QUERY,
  errorTraceList,
  fetchLatencyHeatmap,
  fetchServiceTraces,
  regionTraceList,
  slowestTraceList,
} from './investigate-api.ts';
import { serverSchema } from './server-schema.ts';

test('the investigation queries are valid against the server schema', () => {
  const s = serverSchema();
  for (const q of [LATENCY_HEATMAP_QUERY, CALL_DEPTHS_QUERY, CRITICAL_PATH_QUERY, GRAPH_DIFF_QUERY, IMPACT_QUERY]) {
    assert.deepEqual(validate(s, parse(q)).map((e) => e.message), [], q.slice(0, 40));
  }
  assert.notDeepEqual(validate(s, parse(IMPACT_QUERY.replace('affectedTraces', 'affected'))), [], 'a misspelt field is caught');
});

function capture(data: unknown): { fetch: FetchLike; sent: () => { query: string; variables: Record<string, unknown> } } {
  let body = '';
  return {
    fetch: async (_url, init) => {
      body = String(init.body);
      return new Response(JSON.stringify({ data }), { status: 200 });
    },
    sent: () => JSON.parse(body) as { query: string; variables: Record<string, unknown> },
  };
}

test('the service page lists ask the trace search for the right spans', async () => {
  const node = { traceId: 'a'.repeat(32), rootService: 'web-gateway', rootOperation: 'GET /products', rootMissing: false, startTime: '2025-03-04T10:00:00Z', durationMs: 12.5, spanCount: 7, errorCount: 0, services: ['web-gateway', 'catalog'] };
  const answer = { traces: { totalCount: 41, edges: [{ cursor: 'c1', node }], pageInfo: { hasNextPage: true, endCursor: 'c1' } } };
  const w = { from: 'f', to: 't' };
  const base = { from: 'f', to: 't', service: 'catalog', operation: null, spanKind: null, minDurationMs: null, maxDurationMs: null, status: null, attributes: null };

  const region = capture(answer);
  const page = await fetchServiceTraces(regionTraceList('catalog', 2, null), w, { fetch: region.fetch });
  assert.deepEqual(region.sent().variables, { ...base, spanKind: 'SERVER', minDurationMs: 2, orderBy: 'NEWEST', first: 20 });
  assert.deepEqual(page, answer.traces);

  const slow = capture(answer);
  await fetchServiceTraces(slowestTraceList('catalog'), w, { fetch: slow.fetch });
  assert.deepEqual(slow.sent().variables, { ...base, orderBy: 'DURATION', first: 10 });

  const errors = capture(answer);
  await fetchServiceTraces(errorTraceList('catalog'), w, { fetch: errors.fetch });
  assert.deepEqual(errors.sent().variables, { ...base, status: 'ERROR', orderBy: 'NEWEST', first: 10 });
});

test('fetchLatencyHeatmap: null for a service without traffic, default step and buckets left to the server', async () => {
  const c = capture({ service: null });
  assert.equal(await fetchLatencyHeatmap('nope', { from: 'f', to: 't' }, { fetch: c.fetch }), null);
  assert.deepEqual(c.sent().variables, { name: 'nope', from: 'f', to: 't' });
});
