// Per-stage ceilings of the ingest path, each measured alone in this process:
// protobuf decode, OTLP -> span records, span -> TSV row, and the chDB insert
// of that TSV, the last also split by what the insert maintains (TSV parsing,
// MergeTree parts, skip indexes, the materialized views on otel_traces). A reader can
// then see which stage caps the sustained figure measured against the server.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, migrate, sql, ident, type Store } from '@plexus/store';
import { parseOtlpTraces, encodeSpanRow, otlpTypes, DEFAULT_SPAN_LIMITS, OTEL_TRACES_COLUMNS, type SpanRecord } from '@plexus/collector';
import type { OtlpBody } from './otlp-bodies.ts';

/** Throughput of one stage. */
export interface StageResult {
  stage: string;
  spans: number;
  seconds: number;
  spansPerSecond: number;
}

/** All stages, plus the single-thread ceiling of parse + encode (what one decode worker does per span). */
export interface StageBreakdown {
  stages: StageResult[];
  /** The same rows inserted into stripped-down copies of otel_traces, to split the insert's cost. */
  insertVariants: StageResult[];
  workerCeilingSpansPerSecond: number;
  insertBatchRows: number;
}

function time(stage: string, spans: number, fn: () => void): StageResult {
  const t0 = performance.now();
  fn();
  const seconds = (performance.now() - t0) / 1000;
  return { stage, spans, seconds, spansPerSecond: spans / seconds };
}

async function timeInserts(store: Store, stage: string, table: string, batches: readonly Buffer[], rows: number): Promise<StageResult> {
  const t0 = performance.now();
  for (const batch of batches) await store.insertTsv(table, OTEL_TRACES_COLUMNS, batch);
  const seconds = (performance.now() - t0) / 1000;
  return { stage, spans: rows, seconds, spansPerSecond: rows / seconds };
}

/** Concatenates per-request chunks (cycling through them) into batches of about `batchRows`, `totalRows` rows in all. */
function makeBatches(chunks: readonly Buffer[], spans: readonly number[], batchRows: number, totalRows: number): { batches: Buffer[]; rows: number } {
  const batches: Buffer[] = [];
  let rows = 0;
  let i = 0;
  while (rows < totalRows) {
    const parts: Buffer[] = [];
    let n = 0;
    while (n === 0 || (n + spans[i]! <= batchRows && rows + n < totalRows)) {
      parts.push(chunks[i]!);
      n += spans[i]!;
      i = (i + 1) % chunks.length;
    }
    batches.push(Buffer.concat(parts));
    rows += n;
  }
  return { batches, rows };
}

/**
 * Times each stage over `bodies`, and inserts about `insertRows` rows in
 * batches of `batchRows` (the server's default maxBatchRows) into a fresh store under `tmpRoot`.
 */
export async function measureStages(bodies: readonly OtlpBody[], insertRows: number, batchRows: number, tmpRoot: string): Promise<StageBreakdown> {
  const spans = bodies.reduce((n, b) => n + b.spans, 0);
  // Warm the JIT on a few bodies so the timed passes measure steady state.
  for (const b of bodies.slice(0, 5)) for (const s of parseOtlpTraces(b.bytes, 'protobuf', DEFAULT_SPAN_LIMITS).spans) encodeSpanRow(s);

  const decode = time('protobuf decode (protobufjs)', spans, () => {
    for (const b of bodies) otlpTypes.request.decode(b.bytes);
  });
  const parsed: SpanRecord[][] = [];
  const parse = time('parse (decode + span records + validation)', spans, () => {
    for (const b of bodies) parsed.push(parseOtlpTraces(b.bytes, 'protobuf', DEFAULT_SPAN_LIMITS).spans);
  });
  const chunks: Buffer[] = [];
  const encode = time('encode TSV rows (encodeSpanRow + Buffer)', spans, () => {
    for (const list of parsed) {
      let text = '';
      for (const s of list) text += encodeSpanRow(s);
      chunks.push(Buffer.from(text));
    }
  });

  const counts = bodies.map((b) => b.spans);
  const big = makeBatches(chunks, counts, batchRows, insertRows);
  const small = makeBatches(chunks, counts, 1, Math.min(insertRows, 200_000));
  const perRequest = Math.round(small.rows / small.batches.length);
  const per = Math.round(big.rows / big.batches.length).toLocaleString('en-US');
  const store = await openStore({ dataDir: mkdtempSync(join(tmpRoot, 'stages-')) });
  try {
    await migrate(store, { retentionDays: 7 });
    // Stripped copies: no materialized view hangs off a copy; "plain" also loses the skip indexes; "null" stores nothing.
    await store.command(sql`CREATE TABLE bench_indexed AS otel_traces`);
    await store.command(sql`CREATE TABLE bench_plain AS otel_traces`);
    const indexes = await store.query<{ name: string }>(sql`SELECT name FROM system.data_skipping_indices WHERE database = currentDatabase() AND table = 'bench_plain'`);
    for (const { name } of indexes) await store.command(sql`ALTER TABLE bench_plain DROP INDEX ${ident(name)}`);
    await store.command(sql`CREATE TABLE bench_null AS bench_plain ENGINE = Null`);
    const views = (await store.query<{ name: string }>(sql`SELECT name FROM system.tables
      WHERE database = currentDatabase() AND engine = 'MaterializedView' AND position(as_select, 'otel_traces') > 0 ORDER BY name`)).map((v) => v.name);
    await store.insertTsv('otel_traces', OTEL_TRACES_COLUMNS, chunks[0]!.subarray(0, chunks[0]!.indexOf(10) + 1)); // warm-up: one row

    const insert = await timeInserts(store, `chDB insert into otel_traces (${per}-row batches)`, 'otel_traces', big.batches, big.rows);
    const variants = [
      await timeInserts(store, `TSV parsing only (Null engine, ${per}-row batches)`, 'bench_null', big.batches, big.rows),
      await timeInserts(store, `+ MergeTree parts (copy without skip indexes or MVs)`, 'bench_plain', big.batches, big.rows),
      await timeInserts(store, `+ ${indexes.length} skip indexes (copy without MVs)`, 'bench_indexed', big.batches, big.rows),
      { ...insert, stage: `+ ${views.length} materialized view(s): ${views.join(', ')} (= otel_traces)` },
      await timeInserts(store, `otel_traces, one request per insert (${perRequest.toLocaleString('en-US')} rows)`, 'otel_traces', small.batches, small.rows),
    ];
    return {
      stages: [decode, parse, encode, insert],
      insertVariants: variants,
      workerCeilingSpansPerSecond: 1 / (1 / parse.spansPerSecond + 1 / encode.spansPerSecond),
      insertBatchRows: batchRows,
    };
  } finally {
    await store.close();
  }
}
