import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, migrate, sql, type Store } from '@plexus/store';
import { createPlexusYoga } from './yoga.ts';

let store: Store;
let queries = 0;
const logged: unknown[] = [];
const dir = mkdtempSync(join(tmpdir(), 'plexus-yoga-'));

before(async () => {
  const real = await openStore({ dataDir: dir });
  await migrate(real, { retentionDays: 7 });
  // A counting wrapper around the real store, to see how many reads a request makes.
  store = { ...real, query: (s) => (queries++, real.query(s)), command: (s) => real.command(s), close: () => real.close() };
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const yoga = () => createPlexusYoga({ store, retentionDays: 7, version: 'test', maxDepth: 4, log: (_m, err) => logged.push(err) });
async function run(query: string, variables: Record<string, unknown> = {}) {
  const res = await yoga().fetch('http://plexus/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}
const now = Date.now();
const win = { from: new Date(now - 3600_000).toISOString(), to: new Date(now).toISOString() };

test('an empty store answers with empty lists, not errors', async () => {
  const r = await run(`query($from: DateTime!, $to: DateTime!) { services(from: $from, to: $to) { name } dependencyGraph(from: $from, to: $to) { nodes { id } edges { id } } about { retentionDays oldestData } }`, win);
  assert.deepEqual(r, { data: { services: [], dependencyGraph: { nodes: [], edges: [] }, about: { retentionDays: 7, oldestData: null } } });
});

test('queries deeper than the limit are refused with DEPTH_LIMIT, fragments included', async () => {
  const atLimit = await run(`query($from: DateTime!, $to: DateTime!) { services(from: $from, to: $to) { upstream { latency { p50 } } } }`, win);
  assert.equal(atLimit.errors, undefined, 'depth 4 is within the limit');
  const overViaFragment = await run(`{ trace(id: "${'1'.repeat(32)}") { ...S } } fragment S on Trace { spans { events { attributes { key } } } }`);
  assert.equal(overViaFragment.errors?.[0]?.extensions?.code, 'DEPTH_LIMIT');
  assert.match(overViaFragment.errors![0]!.message, /depth 5 exceeds the limit of 4/);
});

test('a failing store read becomes INTERNAL with a reference; SQL and stacks stay in the server log', async () => {
  await store.command(sql`RENAME TABLE service_edges TO service_edges_away`);
  try {
    const r = await run(`query($from: DateTime!, $to: DateTime!) { dependencyGraph(from: $from, to: $to) { nodes { id } } }`, win);
    assert.equal(r.errors?.[0]?.extensions?.code, 'INTERNAL');
    assert.match(r.errors![0]!.message, /^internal error \(reference [0-9a-f]{8}\)$/);
    assert.doesNotMatch(JSON.stringify(r), /service_edges|SELECT|\.ts:/);
    assert.ok(logged.length > 0, 'the real error was logged server-side');
  } finally {
    await store.command(sql`RENAME TABLE service_edges_away TO service_edges`);
  }
});

test('one request reads the edges once however many fields need them', async () => {
  await store.command(sql`INSERT INTO otel_traces (Timestamp, TraceId, SpanId, ServiceName, SpanName, SpanKind) VALUES (now64(9), 'aa', 'bb', 'memo-svc', 'op', 'Server')`);
  queries = 0;
  const r = await run(`query($from: DateTime!, $to: DateTime!) { service(name: "memo-svc", from: $from, to: $to) { name upstream { id } downstream { id } } }`, win);
  assert.equal(r.errors, undefined);
  // RED from spans and from gateways/meshes, existence check, then one edge read shared by service/upstream/downstream
  // (the gateway/mesh rows are read once for both RED and edges)
  assert.equal(queries, 4);
});
