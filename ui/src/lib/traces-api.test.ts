import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, validate } from 'graphql';
import type { FetchLike } from './graphql.ts';
import {
  SERVICE_OPERATIONS_QUERY,
  TRACES_QUERY,
  TRACE_EXTRAS_QUERY,
  TRACE_PAGE_SIZE,
  TRACE_QUERY,
  fetchServiceOperations,
  fetchTrace,
  fetchTraceExtras,
  fetchTraces,
} from './traces-api.ts';
import { serverSchema } from './server-schema.ts';

test('the trace queries are valid against the server schema', () => {
  const schema = serverSchema();
  for (const q of [TRACES_QUERY, TRACE_QUERY, TRACE_EXTRAS_QUERY, SERVICE_OPERATIONS_QUERY]) assert.deepEqual(validate(schema, parse(q)).map((e) => e.message), []);
  assert.notDeepEqual(validate(schema, parse(TRACE_QUERY.replace('criticalPath { spanId', 'criticalPath { span'))), [], 'a misspelt field is caught');
});

/** A fetch that records the request and answers `data`. */
function answering(data: unknown, seen: Array<{ query: string; variables: Record<string, unknown> }>): FetchLike {
  return async (_url, init) => {
    seen.push(JSON.parse(String(init.body)));
    return new Response(JSON.stringify({ data }), { status: 200 });
  };
}

test('fetchTraces sends the filters with the page size; fetchTrace and fetchServiceOperations unwrap their answers', async () => {
  const seen: Array<{ query: string; variables: Record<string, unknown> }> = [];
  const conn = { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
  const vars = {
    from: 'a', to: 'b', service: 'cart', operation: null, spanKind: null, minDurationMs: 10, maxDurationMs: null, status: null,
    attributes: [{ key: 'k', value: 'v' }], orderBy: 'NEWEST' as const, after: 'c1',
  };
  assert.deepEqual(await fetchTraces(vars, { fetch: answering({ traces: conn }, seen) }), conn);
  assert.deepEqual(seen[0]!.variables, { first: TRACE_PAGE_SIZE, ...vars });
  assert.equal(await fetchTrace('x', { fetch: answering({ trace: null }, seen) }), null);
  assert.deepEqual(seen[1]!.variables, { id: 'x' });
  assert.equal(await fetchTraceExtras('x', { fetch: answering({ trace: null }, seen) }), null);
  const extras = [{ spanId: 's1', attributes: [{ key: 'k', value: 'v' }], resourceAttributes: [], events: [], links: [] }];
  assert.deepEqual(await fetchTraceExtras('x', { fetch: answering({ trace: { spans: extras } }, seen) }), extras);
  assert.match(seen[3]!.query, /^query TraceExtras/);
  assert.deepEqual(await fetchServiceOperations('cart', { from: 'a', to: 'b' }, { fetch: answering({ service: null }, seen) }), []);
  assert.deepEqual(
    await fetchServiceOperations('cart', { from: 'a', to: 'b' }, { fetch: answering({ service: { operations: [{ name: 'GET /cart', kind: 'SERVER' }] } }, seen) }),
    [{ name: 'GET /cart', kind: 'SERVER' }],
  );
});
