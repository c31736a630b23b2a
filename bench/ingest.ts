// Sustained OTLP/protobuf ingest against a real Plexus child process: several
// keep-alive connections send pre-encoded bodies as fast as Plexus acknowledges
// them, while its RSS and CPU are read from /proc and its /metrics scraped.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, sql } from '@plexus/store';
import { otlpTypes } from '@plexus/collector';
import { restamp, type OtlpBody } from './otlp-bodies.ts';
import { startPlexus } from './plexus-process.ts';
import { RssSampler, readCpuSeconds } from './process-stats.ts';
import { scrapeMetrics, metricSum, histogramMetric, type MetricSample } from './metrics-scrape.ts';
import { sustainedPosts, loadFigures, type LoadFigures } from './sustained-posts.ts';

/** How to drive the sustained-ingest phase. */
export interface IngestOptions {
  seconds: number;
  concurrency: number;
  bodies: readonly OtlpBody[];
  /** The time the bodies' spans were generated at; sends shift them to the current time. */
  baseMs: number;
  tmpRoot: string;
  /** Longest wait honoured from a Retry-After header before resending. */
  retryCapMs: number;
  /** Extra environment for the Plexus process (e.g. PLEXUS_CONFIG for a variant). */
  plexusEnv?: Record<string, string>;
  /** Names the process's log file. */
  name?: string;
  log: (line: string) => void;
}

/** What the server-side metrics say about the run. */
export interface ServerSideIngest {
  spansAcceptedMetric: number;
  batches: number;
  batchSeconds: number;
  meanBatchRows: number;
  maxQueueRows: number;
  edgePasses: number;
  edgePassSeconds: number;
  minutesRecomputed: number;
}

/** Client- and server-side figures of one sustained-ingest run. */
export interface IngestResult extends LoadFigures {
  concurrency: number;
  spansPerRequest: number;
  distinctBodies: number;
  spansAccepted: number;
  spansRejected: number;
  acceptedPerSecond: number;
  rowsInStore: number;
  /** Rows found in otel_traces over the time until the last acknowledgement (spans are acked only once written). */
  queryablePerSecond: number;
  peakRssBytes: number;
  cpuSeconds: number;
  benchCpuSeconds: number;
  server: ServerSideIngest;
  shutdownClean: boolean;
  logFile: string;
}

/** Runs the sustained-ingest phase and returns its figures (the Plexus process is stopped before it returns). */
export async function runIngest(opts: IngestOptions): Promise<IngestResult> {
  const dataDir = mkdtempSync(join(opts.tmpRoot, 'ingest-data-'));
  const plexus = await startPlexus(dataDir, opts.tmpRoot, opts.name ?? 'plexus-ingest', opts.plexusEnv);
  const rss = new RssSampler(plexus.pid, 500);
  let maxQueue = 0;
  let stopped = false;
  try {
    const cpu0 = readCpuSeconds(plexus.pid);
    const benchCpu0 = process.cpuUsage();
    const queuePoll = setInterval(() => {
      scrapeMetrics(plexus.url).then((m) => void (maxQueue = Math.max(maxQueue, metricSum(m, 'plexus_write_queue_rows') || 0)), () => {});
    }, 2000);
    const run = await sustainedPosts({
      url: new URL(plexus.otlpUrl), path: '/v1/traces', seconds: opts.seconds, concurrency: opts.concurrency, retryCapMs: opts.retryCapMs,
      unit: 'spans', rss, log: opts.log,
      next: (n) => {
        const body = opts.bodies[n % opts.bodies.length]!;
        return { payload: restamp(body, BigInt(Date.now() - opts.baseMs) * 1_000_000n, n + 1), headers: { 'content-type': 'application/x-protobuf' }, records: body.spans };
      },
      accepted: (reply, send) => {
        const partial = (otlpTypes.response.decode(reply.body) as { partialSuccess?: { rejectedSpans?: number | { toNumber(): number } } }).partialSuccess;
        const rejected = Number(partial?.rejectedSpans ?? 0);
        return { accepted: send.records - rejected, rejected };
      },
    }).finally(() => clearInterval(queuePoll));
    const cpuSeconds = readCpuSeconds(plexus.pid) - cpu0;
    const benchCpu = process.cpuUsage(benchCpu0);
    const metrics = await scrapeMetrics(plexus.url);
    rss.stop();
    const stop = await plexus.stop();
    stopped = true;

    // chDB binds a data directory to one process: count only once Plexus is gone.
    const store = await openStore({ dataDir });
    const [row] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM otel_traces`);
    await store.close();
    const rowsInStore = Number(row?.n ?? 0);
    return {
      ...loadFigures(run), concurrency: opts.concurrency, distinctBodies: opts.bodies.length,
      spansPerRequest: opts.bodies.reduce((n, b) => n + b.spans, 0) / opts.bodies.length,
      spansAccepted: run.accepted, spansRejected: run.rejected, acceptedPerSecond: run.accepted / run.seconds,
      rowsInStore, queryablePerSecond: rowsInStore / run.seconds,
      peakRssBytes: rss.peakBytes, cpuSeconds, benchCpuSeconds: (benchCpu.user + benchCpu.system) / 1e6,
      server: serverSide(metrics, maxQueue), shutdownClean: stop.clean, logFile: plexus.logFile,
    };
  } finally {
    rss.stop();
    if (!stopped) await plexus.stop(10_000).catch(() => {});
  }
}

function serverSide(m: readonly MetricSample[], maxQueueRows: number): ServerSideIngest {
  const batches = histogramMetric(m, 'plexus_write_batch_duration', 'count');
  return {
    spansAcceptedMetric: metricSum(m, 'plexus_spans_accepted_total'),
    batches,
    batchSeconds: histogramMetric(m, 'plexus_write_batch_duration', 'sum'),
    meanBatchRows: metricSum(m, 'plexus_write_batch_rows_sum') / batches,
    maxQueueRows,
    edgePasses: histogramMetric(m, 'plexus_edges_pass_duration', 'count'),
    edgePassSeconds: histogramMetric(m, 'plexus_edges_pass_duration', 'sum'),
    minutesRecomputed: metricSum(m, 'plexus_edges_minutes_recomputed_total'),
  };
}
