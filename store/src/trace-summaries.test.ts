// Migration 013: spans stored before it are summarized by its backfill, spans
// written after it by its view, and the rows of one trace (several inserts, two
// days) add up to the trace when grouped by TraceId.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from './connect.ts';
import { migrate } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { sql, join as joinSql, type Sql } from './sql.ts';

let store: Store;
const dir = mkdtempSync(join(tmpdir(), 'plexus-summaries-'));

before(async () => {
  store = await openStore({ dataDir: dir });
  await migrate(store, { retentionDays: 7 }, migrations.filter((m) => m.id < 13));
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Span {
  at: string;
  trace: string;
  span: string;
  parent: string;
  service: string;
  name: string;
  durationNs: number;
  status: string;
}

// Yesterday and today, so the trace that crosses midnight stays inside the retention.
const today = new Date().toISOString().slice(0, 10);
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

function insert(spans: Span[]): Promise<void> {
  const rows: Sql[] = spans.map((s) => sql`(toDateTime64(${s.at}, 9), ${s.trace}, ${s.span}, ${s.parent}, ${s.service}, ${s.name}, 'Server', ${s.durationNs}, ${s.status})`);
  return store.command(sql`INSERT INTO otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, ServiceName, SpanName, SpanKind, Duration, StatusCode) VALUES ${joinSql(rows)}`);
}

interface Summary {
  TraceId: string;
  start: string;
  end: string;
  lastStart: string;
  spans: string;
  errors: string;
  services: string[];
  root: [string, string];
  hasRoot: number;
  keyOk: number;
}

function summaries(): Promise<Summary[]> {
  return store.query<Summary>(sql`
    SELECT TraceId, toString(min(Start)) AS start, toString(max(End)) AS end, toString(max(LastStart)) AS lastStart,
      sum(SpanCount) AS spans, sum(ErrorCount) AS errors, arraySort(groupUniqArrayArray(Services)) AS services,
      argMinMerge(Root) AS root, max(HasRoot) AS hasRoot, any(TraceKey) = reinterpretAsUInt128(sipHash128(TraceId)) AS keyOk
    FROM trace_summaries GROUP BY TraceId ORDER BY TraceId`);
}

const T1 = 'a1000000000000000000000000000001';
const T2 = 'a2000000000000000000000000000002';

test('spans stored before migration 013 are summarized by it; later inserts of the same trace add up', async () => {
  await insert([
    // T1: a root with a 2 s child that ends last, and an error in the older spelling.
    { at: `${today} 10:00:00.000000001`, trace: T1, span: 's1', parent: '', service: 'web', name: 'GET /', durationNs: 1_000_000, status: 'Error' },
    { at: `${today} 10:00:00.5`, trace: T1, span: 's2', parent: 's1', service: 'api', name: 'load', durationNs: 2_000_000_000, status: 'STATUS_CODE_ERROR' },
    // T2: no root received; the earliest span names it.
    { at: `${today} 11:00:01`, trace: T2, span: 'x2', parent: 'gone', service: 'db', name: 'query', durationNs: 5, status: 'Ok' },
    { at: `${today} 11:00:00`, trace: T2, span: 'x1', parent: 'gone', service: 'api', name: 'fetch', durationNs: 10, status: 'Unset' },
  ]);
  assert.deepEqual(await migrate(store, { retentionDays: 7 }), [13, ...migrations.filter((m) => m.id > 13).map((m) => m.id)]);

  // Through the view now: T1 gets a span from the day before (its row lands in another partition).
  await insert([{ at: `${yesterday} 23:59:59`, trace: T1, span: 's3', parent: 's1', service: 'cache', name: 'get', durationNs: 7, status: 'Unset' }]);

  assert.deepEqual(await summaries(), [
    {
      TraceId: T1, start: `${yesterday} 23:59:59.000000000`, end: `${today} 10:00:02.500000000`, lastStart: `${today} 10:00:00.500000000`,
      spans: '3', errors: '2', services: ['api', 'cache', 'web'], root: ['web', 'GET /'], hasRoot: 1, keyOk: 1,
    },
    {
      TraceId: T2, start: `${today} 11:00:00.000000000`, end: `${today} 11:00:01.000000005`, lastStart: `${today} 11:00:01.000000000`,
      spans: '2', errors: '0', services: ['api', 'db'], root: ['api', 'fetch'], hasRoot: 0, keyOk: 1,
    },
  ]);
  const [rows] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM trace_summaries WHERE TraceId = ${T1}`);
  assert.equal(rows!.n, '2', 'one row from the backfill, one from the view');
});

test('a replayed insert (same token) is not summarized twice', async () => {
  const T3 = 'a3000000000000000000000000000003';
  const tsv = Buffer.from(`${today} 12:00:00\t${T3}\tr1\t\tweb\tGET /\tServer\t1000\tUnset\n`);
  const columns = ['Timestamp', 'TraceId', 'SpanId', 'ParentSpanId', 'ServiceName', 'SpanName', 'SpanKind', 'Duration', 'StatusCode'];
  await store.insertTsv('otel_traces', columns, tsv, { dedupToken: 'replay-1' });
  await store.insertTsv('otel_traces', columns, tsv, { dedupToken: 'replay-1' });
  const [row] = await store.query<{ spans: string }>(sql`SELECT sum(SpanCount) AS spans FROM trace_summaries WHERE TraceId = ${T3}`);
  assert.equal(row!.spans, '1');
});

test('HasAsync marks a trace that crosses a message hop: a producer, or a consumer with a parent (a consumer root alone does not)', async () => {
  const row = (trace: string, span: string, parent: string, kind: string) => sql`(toDateTime64(${`${today} 12:00:00`}, 9), ${trace}, ${span}, ${parent}, 'svc', 'op', ${kind}, 1000, 'Unset')`;
  await store.command(sql`INSERT INTO otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, ServiceName, SpanName, SpanKind, Duration, StatusCode) VALUES ${joinSql([
    row('c1000000000000000000000000000001', 'p1', '', 'Server'), row('c1000000000000000000000000000001', 'p2', 'p1', 'Producer'),
    row('c2000000000000000000000000000002', 'q1', '', 'Consumer'), row('c2000000000000000000000000000002', 'q2', 'q1', 'Client'),
    row('c3000000000000000000000000000003', 'r1', '', 'Server'), row('c3000000000000000000000000000003', 'r2', 'r1', 'SPAN_KIND_CONSUMER'),
  ])}`);
  const rows = await store.query<{ TraceId: string; async: number }>(sql`
    SELECT TraceId, max(HasAsync) AS async FROM trace_summaries WHERE TraceId LIKE 'c%' GROUP BY TraceId ORDER BY TraceId`);
  assert.deepEqual(rows.map((r) => [r.TraceId[1], Number(r.async)]), [['1', 1], ['2', 0], ['3', 1]]);
});
