import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLRequestError, gql, isAbort, type FetchLike } from './graphql.ts';
import { DEPENDENCY_GRAPH_QUERY, SERVICE_QUERY, SERVICES_QUERY, fetchService } from './api.ts';

function respond(status: number, body: unknown): FetchLike {
  return async () =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
}

test('posts query and variables as JSON to /graphql', async () => {
  let seen: { url: string; init: RequestInit } | undefined;
  const fetch: FetchLike = async (url, init) => {
    seen = { url, init };
    return new Response(JSON.stringify({ data: { about: { version: '1' } } }), { status: 200 });
  };
  const data = await gql<{ about: { version: string } }>('{ about { version } }', { a: 1 }, { fetch });
  assert.equal(data.about.version, '1');
  assert.equal(seen?.url, '/graphql');
  assert.equal(seen?.init.method, 'POST');
  assert.deepEqual(JSON.parse(String(seen?.init.body)), { query: '{ about { version } }', variables: { a: 1 } });
});

test('GraphQL errors surface their message and code', async () => {
  const fetch = respond(200, { data: null, errors: [{ message: 'from must be before to', extensions: { code: 'BAD_USER_INPUT' } }] });
  await assert.rejects(gql('{x}', {}, { fetch }), (err: unknown) => {
    assert.ok(err instanceof GraphQLRequestError);
    assert.equal(err.message, 'from must be before to');
    assert.equal(err.code, 'BAD_USER_INPUT');
    return true;
  });
  const two = respond(400, { errors: [{ message: 'a' }, { message: 'b' }] });
  await assert.rejects(gql('{x}', {}, { fetch: two }), /^GraphQLRequestError: a \(and 1 more\)$/);
});

test('HTTP and network failures become readable errors', async () => {
  await assert.rejects(gql('{x}', {}, { fetch: respond(502, 'Bad gateway') }), /answered 502/);
  await assert.rejects(gql('{x}', {}, { fetch: respond(401, '') }), /read role/);
  await assert.rejects(gql('{x}', {}, { fetch: respond(200, { data: null }) }), /no data/);
  const down: FetchLike = async () => {
    throw new TypeError('fetch failed');
  };
  await assert.rejects(gql('{x}', {}, { fetch: down }), /Cannot reach the Plexus API at \/graphql \(fetch failed\)/);
});

test('aborts pass through untouched', async () => {
  const ctrl = new AbortController();
  const fetch: FetchLike = (_url, init) =>
    new Promise((_resolve, reject) => {
      init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
  const p = gql('{x}', {}, { fetch, signal: ctrl.signal });
  ctrl.abort();
  await assert.rejects(p, (err: unknown) => isAbort(err));
});

test('queries ask only for fields in the contract', () => {
  // Every field name in the SDL the server implements (DESIGN.md §4 and the contract).
  const sdl = new Set(
    `services service dependencyGraph name requests errors errorRate requestRate latency p50 p95 p99 series time
     operations kind upstream downstream nodes edges id source target sourceName targetName sourceKind targetKind
     calls callRate sources messageRate lag component owner system domain`.split(/\s+/),
  );
  for (const q of [DEPENDENCY_GRAPH_QUERY, SERVICES_QUERY, SERVICE_QUERY]) {
    const body = q
      .replace(/^query \w+\([^)]*\)/, '') // operation header
      .replace(/\([^)]*\)/g, ''); // field arguments
    for (const field of body.match(/[A-Za-z_]\w*/g) ?? []) assert.ok(sdl.has(field), `${field} is not in the contract`);
  }
  assert.match(DEPENDENCY_GRAPH_QUERY, /dependencyGraph\(from: \$from, to: \$to\)/);
  assert.match(DEPENDENCY_GRAPH_QUERY, /nodes \{ id name kind requests errors errorRate latency \{ p50 p95 p99 \} component owner system domain \}/);
  assert.match(SERVICE_QUERY, /series \{ time requests errors errorRate requestRate latency/);
  assert.match(SERVICE_QUERY, /upstream \{ id source target sourceName targetName sourceKind targetKind calls/);
});

test('service(name) returns null for an unknown service', async () => {
  const s = await fetchService('nope', { from: 'a', to: 'b' }, { fetch: respond(200, { data: { service: null } }) });
  assert.equal(s, null);
});
