// Where a gateway log line's time goes, each stage timed alone in this process
// over the bodies the gateway phase sends: gunzip (when sent gzipped), the
// decode worker's parse (framing from bytes, JSON.parse or regex, mapping) and
// TSV encode, apart and together as the worker runs them, and the chDB insert
// into api_calls split by what it maintains (TSV parsing, MergeTree parts, the
// materialized view into source_edges).
import { gunzipSync } from 'node:zlib';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, migrate, sql, type Store } from '@plexus/store';
import { readGatewayLog } from '../collector/src/sources/gateway-logs/parse-gateway-log.ts';
import { gatewayLog } from '../collector/src/pipeline/decode-worker.ts';
import { encodeApiCallRow, API_CALLS_COLUMNS } from '../collector/src/sources/gateway-logs/encode-tsv.ts';
import type { ApiCallRecord } from '../collector/src/sources/gateway-logs/api-call.ts';
import type { GatewayBenchFormat, GatewayBody } from './gateway-lines.ts';

/** Throughput of one stage. */
export interface GatewayStage {
  stage: string;
  lines: number;
  seconds: number;
  linesPerSecond: number;
}

/** The stages of one format, and the insert split by what it maintains. */
export interface GatewayStageBreakdown {
  format: GatewayBenchFormat;
  stages: GatewayStage[];
  insertVariants: GatewayStage[];
  /** One decode worker's ceiling: gunzip + parse + encode per line. */
  workerCeilingLinesPerSecond: number;
  batchRows: number;
}

function time(stage: string, lines: number, fn: () => void): GatewayStage {
  const t0 = performance.now();
  fn();
  const seconds = (performance.now() - t0) / 1000;
  return { stage, lines, seconds, linesPerSecond: lines / seconds };
}

async function timeInserts(store: Store, stage: string, table: string, batches: readonly Buffer[], rows: number): Promise<GatewayStage> {
  const t0 = performance.now();
  for (const batch of batches) await store.insertTsv(table, API_CALLS_COLUMNS, batch);
  const seconds = (performance.now() - t0) / 1000;
  return { stage, lines: rows, seconds, linesPerSecond: rows / seconds };
}

/** Rows of `chunks` (cycled) concatenated into batches of `batchRows`, `totalRows` in all. */
function makeBatches(chunks: readonly Uint8Array[], rowsPerChunk: number, batchRows: number, totalRows: number): Buffer[] {
  const per = Math.max(1, Math.round(batchRows / rowsPerChunk));
  const batches: Buffer[] = [];
  let i = 0;
  for (let rows = 0; rows < totalRows; rows += per * rowsPerChunk) {
    const parts: Uint8Array[] = [];
    for (let k = 0; k < per; k++) parts.push(chunks[i++ % chunks.length]!);
    batches.push(Buffer.concat(parts));
  }
  return batches;
}

/**
 * Times each stage for `format` over `bodies` and inserts `insertRows` rows in
 * batches of `batchRows` into a fresh store under `tmpRoot`.
 */
export async function measureGatewayStages(format: GatewayBenchFormat, bodies: readonly GatewayBody[], gzip: boolean, insertRows: number, batchRows: number, tmpRoot: string): Promise<GatewayStageBreakdown> {
  const lines = bodies.reduce((n, b) => n + b.lines, 0);
  const raw = bodies.map((b) => (gzip ? gunzipSync(b.bytes) : b.bytes));
  // Warm the JIT so the timed passes measure steady state.
  gatewayLog({ format, body: raw[0]!, options: {} });

  const stages: GatewayStage[] = [];
  const gunzip = gzip ? time('gunzip (zlib)', lines, () => void bodies.forEach((b) => gunzipSync(b.bytes))) : undefined;
  if (gunzip) stages.push(gunzip);
  const parsed: ApiCallRecord[][] = [];
  stages.push(time(`readGatewayLog('${format}') from bytes (framing, ${format === 'kong' ? 'JSON.parse' : 'text regex'}, mapping)`, lines, () => {
    for (const b of raw) {
      const calls: ApiCallRecord[] = [];
      readGatewayLog(format, b, {}, (c) => calls.push(c), () => {});
      parsed.push(calls);
    }
  }));
  stages.push(time('encode TSV rows (encodeApiCallRow, Route templated)', lines, () => {
    for (const calls of parsed) for (const c of calls) encodeApiCallRow(c);
  }));
  // What the decode worker runs per body: the two above, each row written to bytes as it is made.
  const chunks: Uint8Array[] = [];
  const worker = time('decode worker task (gatewayLog: both, streamed into bytes)', lines, () => {
    for (const b of raw) chunks.push(gatewayLog({ format, body: b, options: {} }).tsv);
  });
  stages.push(worker);
  const workerSeconds = (gunzip?.seconds ?? 0) + worker.seconds;

  const perChunk = bodies[0]!.lines;
  const batches = makeBatches(chunks, perChunk, batchRows, insertRows);
  const rows = batches.length * Math.max(1, Math.round(batchRows / perChunk)) * perChunk;
  const store = await openStore({ dataDir: mkdtempSync(join(tmpRoot, `gateway-stages-${format}-`)) });
  try {
    await migrate(store, { retentionDays: 7 });
    // Stripped copies (no view hangs off a copy): "plain" stores the rows, "null" nothing.
    // Route comes with the rows (templated in the worker), so no copy evaluates its DEFAULT.
    await store.command(sql`CREATE TABLE bench_gw_plain AS api_calls`);
    await store.command(sql`CREATE TABLE bench_gw_null AS bench_gw_plain ENGINE = Null`);
    await store.insertTsv('api_calls', API_CALLS_COLUMNS, chunks[0]!.subarray(0, chunks[0]!.indexOf(10) + 1)); // warm-up: one row
    const n = `${fmtRows(batchRows)}-row batches`;
    const full = await timeInserts(store, `chDB insert into api_calls (${n})`, 'api_calls', batches, rows);
    stages.push(full);
    const insertVariants = [
      await timeInserts(store, `TSV parsing only (Null engine, ${n})`, 'bench_gw_null', batches, rows),
      await timeInserts(store, '+ MergeTree parts (copy without the view)', 'bench_gw_plain', batches, rows),
      { ...full, stage: '+ api_calls_source_edges_mv into source_edges (= api_calls)' },
    ];
    return { format, stages, insertVariants, workerCeilingLinesPerSecond: lines / workerSeconds, batchRows };
  } finally {
    await store.close();
  }
}

const fmtRows = (n: number) => n.toLocaleString('en-US');
