// Sustained gateway-log ingest against a real Plexus child process: a few
// keep-alive connections POST pre-built NDJSON/text bodies to
// /ingest/{format} as fast as Plexus acknowledges them (429 waits for
// Retry-After), while its RSS and CPU are read from /proc. Afterwards, with
// Plexus stopped, api_calls is counted: every acknowledged line must be there.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, sql } from '@plexus/store';
import type { GatewayBenchFormat, GatewayBody } from './gateway-lines.ts';
import { startPlexus } from './plexus-process.ts';
import { RssSampler, readCpuSeconds } from './process-stats.ts';
import { scrapeMetrics, metricSum, histogramMetric } from './metrics-scrape.ts';
import { sustainedPosts, loadFigures, type LoadFigures } from './sustained-posts.ts';

/** How to drive one sustained gateway-ingest run. */
export interface GatewayIngestOptions {
  format: GatewayBenchFormat;
  seconds: number;
  concurrency: number;
  bodies: readonly GatewayBody[];
  gzip: boolean;
  tmpRoot: string;
  /** Longest wait honoured from a Retry-After header before resending. */
  retryCapMs: number;
  log: (line: string) => void;
}

/** Client- and server-side figures of one run. */
export interface GatewayIngestResult extends LoadFigures {
  format: GatewayBenchFormat;
  concurrency: number;
  gzip: boolean;
  linesPerRequest: number;
  distinctBodies: number;
  meanLineBytes: number;
  meanWireBytes: number;
  linesAccepted: number;
  linesRejected: number;
  rejectSamples: string[];
  acceptedPerSecond: number;
  /** MiB/s of uncompressed log text accepted. */
  acceptedMiBPerSecond: number;
  rowsInApiCalls: number;
  /** sum(Calls) the materialized view folded into source_edges for Source = 'gateway'. */
  callsInSourceEdges: number;
  peakRssBytes: number;
  cpuSeconds: number;
  benchCpuSeconds: number;
  /** Inserts into api_calls: count, seconds, rows (from /metrics). */
  inserts: number;
  insertSeconds: number;
  insertRows: number;
  acceptedMetric: number;
  shutdownClean: boolean;
  logFile: string;
}

/** Runs one sustained gateway-ingest run and returns its figures (the Plexus process is stopped before it returns). */
export async function runGatewayIngest(opts: GatewayIngestOptions): Promise<GatewayIngestResult> {
  const dataDir = mkdtempSync(join(opts.tmpRoot, `gateway-${opts.format}-data-`));
  const plexus = await startPlexus(dataDir, opts.tmpRoot, `plexus-gateway-${opts.format}`);
  const rss = new RssSampler(plexus.pid, 500);
  let stopped = false;
  try {
    const cpu0 = readCpuSeconds(plexus.pid);
    const benchCpu0 = process.cpuUsage();
    const headers: Record<string, string> = { 'content-type': 'application/x-ndjson', ...(opts.gzip ? { 'content-encoding': 'gzip' } : {}) };
    const run = await sustainedPosts({
      url: new URL(plexus.otlpUrl), path: `/ingest/${opts.format}`, seconds: opts.seconds, concurrency: opts.concurrency, retryCapMs: opts.retryCapMs,
      unit: 'lines', rss, log: opts.log,
      next: (n) => {
        const body = opts.bodies[n % opts.bodies.length]!;
        return { payload: body.bytes, headers, records: body.lines };
      },
      accepted: (reply) => JSON.parse(reply.body.toString('utf8')) as { accepted: number; rejected: number; errors: string[] },
    });
    const cpuSeconds = readCpuSeconds(plexus.pid) - cpu0;
    const benchCpu = process.cpuUsage(benchCpu0);
    const metrics = await scrapeMetrics(plexus.url);
    rss.stop();
    const stop = await plexus.stop();
    stopped = true;

    // chDB binds a data directory to one process: count only once Plexus is gone.
    const store = await openStore({ dataDir: dataDir });
    const [rows] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM api_calls`);
    const [edges] = await store.query<{ n: string }>(sql`SELECT sum(Calls) AS n FROM source_edges WHERE Source = 'gateway'`);
    await store.close();
    const rawBytes = opts.bodies.reduce((n, b) => n + b.rawBytes, 0);
    const lines = opts.bodies.reduce((n, b) => n + b.lines, 0);
    return {
      ...loadFigures(run), format: opts.format, concurrency: opts.concurrency, gzip: opts.gzip,
      linesPerRequest: lines / opts.bodies.length, distinctBodies: opts.bodies.length, meanLineBytes: rawBytes / lines,
      meanWireBytes: opts.bodies.reduce((n, b) => n + b.bytes.length, 0) / opts.bodies.length,
      linesAccepted: run.accepted, linesRejected: run.rejected, rejectSamples: run.rejectSamples, acceptedPerSecond: run.accepted / run.seconds,
      acceptedMiBPerSecond: (run.accepted * (rawBytes / lines)) / 2 ** 20 / run.seconds,
      rowsInApiCalls: Number(rows?.n ?? 0), callsInSourceEdges: Number(edges?.n ?? 0),
      peakRssBytes: rss.peakBytes, cpuSeconds, benchCpuSeconds: (benchCpu.user + benchCpu.system) / 1e6,
      // The api_calls queue's own series.
      inserts: histogramMetric(metrics, 'plexus_write_batch_duration', 'count', 'api_calls'),
      insertSeconds: histogramMetric(metrics, 'plexus_write_batch_duration', 'sum', 'api_calls'),
      insertRows: metricSum(metrics, 'plexus_write_batch_rows_sum', 'api_calls'),
      acceptedMetric: metricSum(metrics, 'plexus_gateway_records_accepted_total'),
      shutdownClean: stop.clean, logFile: plexus.logFile,
    };
  } finally {
    rss.stop();
    if (!stopped) await plexus.stop(10_000).catch(() => {});
  }
}
