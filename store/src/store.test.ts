import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from './connect.ts';
import { migrate } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { sql } from './sql.ts';
import { StoreError } from './errors.ts';
import { encodeTsvRow, tsvString, tsvMap, tsvArray, tsvQuoted } from './tsv.ts';

let store: Store;
const dir = mkdtempSync(join(tmpdir(), 'plexus-store-'));

before(async () => {
  store = await openStore({ dataDir: dir });
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('migrations apply once, record themselves, and are safe to re-run', async () => {
  const first = await migrate(store, { retentionDays: 7 });
  assert.deepEqual(first, migrations.map((m) => m.id));
  assert.deepEqual(await migrate(store, { retentionDays: 7 }), []);
  const tables = await store.query<{ name: string }>(sql`SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name`);
  const names = tables.map((t) => t.name);
  for (const t of ['otel_traces', 'otel_traces_trace_id_ts', 'otel_traces_trace_id_ts_mv', 'service_edges', 'operation_red', 'service_edges_hourly', 'operation_red_hourly', 'otel_span_facts', 'otel_span_facts_mv', 'edge_operations', 'edge_operations_hourly', 'edge_operations_shards', 'catalog_entities', 'catalog_relations', 'catalog_operations', 'kafka_events', 'kafka_dead_letters', 'kafka_partition_offsets', 'kafka_group_members', 'plexus_migrations']) {
    assert.ok(names.includes(t), `missing ${t}`);
  }
});

test('a retention change rewrites the TTLs', async () => {
  await migrate(store, { retentionDays: 3 });
  // Every table that keeps data by day follows the setting (the edge-shard staging table keeps its hour).
  const rows = await store.query<{ name: string; engine_full: string }>(sql`
    SELECT name, engine_full FROM system.tables WHERE database = currentDatabase() AND engine_full LIKE '%toIntervalDay%' ORDER BY name`);
  assert.ok(rows.length >= 12, rows.map((r) => r.name).join(', '));
  for (const r of rows) assert.match(r.engine_full, /toIntervalDay\(_CAST\(3, 'UInt32'\)\)/, r.name);
});

test('TSV rows round-trip hostile strings exactly', async () => {
  const nasty = ["tab\there", 'new\nline', "quote'd", 'back\\slash', 'ünïcødé 漢字 🚀', '', "{'not':'a map'}", 'cr\rnul\0'];
  await store.command(sql`CREATE TABLE IF NOT EXISTS tsv_probe (s String, m Map(String, String), a Array(String)) ENGINE = MergeTree ORDER BY tuple()`);
  const tsv = nasty.map((s) => encodeTsvRow([tsvString(s), tsvMap([[s, s]]), tsvArray([tsvQuoted(s)])])).join('');
  await store.insertTsv('tsv_probe', ['s', 'm', 'a'], Buffer.from(tsv));
  const rows = await store.query<{ s: string; m: Record<string, string>; a: string[] }>(sql`SELECT s, m, a FROM tsv_probe`);
  assert.equal(rows.length, nasty.length);
  for (const s of nasty) {
    const r = rows.find((x) => x.s === s);
    assert.ok(r, `lost ${JSON.stringify(s)}`);
    assert.deepEqual(r.m, { [s]: s });
    assert.deepEqual(r.a, [s]);
  }
});

test('64-bit integers arrive as exact strings', async () => {
  const [row] = await store.query<{ big: string }>(sql`SELECT toUInt64('18446744073709551615') AS big`);
  assert.equal(row!.big, '18446744073709551615');
});

test('engine errors surface as StoreError with a code', async () => {
  await assert.rejects(store.query(sql`SELECT no_such_column FROM otel_traces`), (err: unknown) => {
    assert.ok(err instanceof StoreError);
    assert.equal(err.code, 'UNKNOWN_IDENTIFIER');
    return true;
  });
});
