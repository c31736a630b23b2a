// Sustained OTLP/protobuf ingest against a real Plexus child process: several
// keep-alive connections send pre-encoded bodies as fast as Plexus acknowledges
// them, while its RSS and CPU are read from /proc and its /metrics scraped.
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, sql } from '@plexus/store';
import { otlpTypes } from '@plexus/collector';
import { restamp, type OtlpBody } from './otlp-bodies.ts';
import { startPlexus } from './plexus-process.ts';
import { RssSampler, readCpuSeconds } from './process-stats.ts';
import { scrapeMetrics, metricSum, type MetricSample } from './metrics-scrape.ts';
import { summarize, sleep, type LatencySummary } from './stats.ts';

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
export interface IngestResult {
  seconds: number;
  concurrency: number;
  spansPerRequest: number;
  distinctBodies: number;
  requestsOk: number;
  spansAccepted: number;
  spansRejected: number;
  acceptedPerSecond: number;
  rowsInStore: number;
  /** Rows found in otel_traces over the time until the last acknowledgement (spans are acked only once written). */
  queryablePerSecond: number;
  ack: LatencySummary;
  /** Longest time between two acknowledgements (a stall shows here). */
  longestAckGapMs: number;
  status429: number;
  status503: number;
  otherFailures: number;
  failureSamples: string[];
  /** Slowest and fastest 5-second windows, spans/s accepted. */
  slowestWindow: number;
  fastestWindow: number;
  peakRssBytes: number;
  cpuSeconds: number;
  benchCpuSeconds: number;
  server: ServerSideIngest;
  shutdownClean: boolean;
  logFile: string;
}

interface Reply {
  status: number;
  retryAfter: string | undefined;
  body: Buffer;
}

function post(agent: http.Agent, url: URL, payload: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: '/v1/traces', method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': payload.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs the sustained-ingest phase and returns its figures (the Plexus process is stopped before it returns). */
export async function runIngest(opts: IngestOptions): Promise<IngestResult> {
  const dataDir = mkdtempSync(join(opts.tmpRoot, 'ingest-data-'));
  const plexus = await startPlexus(dataDir, opts.tmpRoot, opts.name ?? 'plexus-ingest', opts.plexusEnv);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const url = new URL(plexus.otlpUrl);
  const rss = new RssSampler(plexus.pid, 500);
  const latencies: number[] = [];
  const failureSamples: string[] = [];
  let [accepted, rejected, ok, s429, s503, other, sendNo, maxQueue] = [0, 0, 0, 0, 0, 0, 0, 0];
  let stopped = false;
  try {
    const cpu0 = readCpuSeconds(plexus.pid);
    const benchCpu0 = process.cpuUsage();
    const start = performance.now();
    const deadline = start + opts.seconds * 1000;
    let lastAck = start;
    let longestGap = 0;
    const timeline: Array<{ t: number; accepted: number }> = [{ t: start, accepted: 0 }];
    const tick = setInterval(() => timeline.push({ t: performance.now(), accepted }), 1000);
    const queuePoll = setInterval(() => {
      scrapeMetrics(plexus.url).then((m) => void (maxQueue = Math.max(maxQueue, metricSum(m, 'plexus_write_queue_rows') || 0)), () => {});
    }, 2000);
    let nextProgress = start + 10_000;

    const worker = async () => {
      while (performance.now() < deadline) {
        const body = opts.bodies[sendNo % opts.bodies.length]!;
        const payload = restamp(body, BigInt(Date.now() - opts.baseMs) * 1_000_000n, ++sendNo);
        for (;;) {
          const t0 = performance.now();
          let reply: Reply;
          try {
            reply = await post(agent, url, payload);
          } catch (err) {
            other++;
            if (failureSamples.length < 5) failureSamples.push(`network: ${(err as Error).message}`);
            await sleep(100);
            break;
          }
          const now = performance.now();
          if (reply.status === 200) {
            const partial = (otlpTypes.response.decode(reply.body) as { partialSuccess?: { rejectedSpans?: number | { toNumber(): number } } }).partialSuccess;
            const r = Number(partial?.rejectedSpans ?? 0);
            ok++;
            rejected += r;
            accepted += body.spans - r;
            latencies.push(now - t0);
            longestGap = Math.max(longestGap, now - lastAck);
            lastAck = now;
            if (now > nextProgress) {
              nextProgress += 10_000;
              opts.log(`  ${Math.round((now - start) / 1000)} s: ${accepted.toLocaleString('en-US')} spans accepted, ${Math.round(accepted / ((now - start) / 1000)).toLocaleString('en-US')} spans/s, RSS ${Math.round(rss.lastBytes / 2 ** 20)} MiB, 429s ${s429}`);
            }
            break;
          }
          if (reply.status === 429 || reply.status === 503) {
            if (reply.status === 429) s429++;
            else s503++;
            const wait = Math.min(opts.retryCapMs, Math.max(50, Number(reply.retryAfter ?? 1) * 1000));
            await sleep(wait);
            if (performance.now() >= deadline) break;
            continue;
          }
          other++;
          if (failureSamples.length < 5) failureSamples.push(`HTTP ${reply.status}: ${reply.body.toString('utf8', 0, 200)}`);
          break;
        }
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    clearInterval(tick);
    clearInterval(queuePoll);
    timeline.push({ t: lastAck, accepted });
    const cpuSeconds = readCpuSeconds(plexus.pid) - cpu0;
    const benchCpu = process.cpuUsage(benchCpu0);
    const metrics = await scrapeMetrics(plexus.url);
    rss.stop();
    agent.destroy();
    const stop = await plexus.stop();
    stopped = true;

    // chDB binds a data directory to one process: count only once Plexus is gone.
    const store = await openStore({ dataDir });
    const [row] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM otel_traces`);
    await store.close();
    const rowsInStore = Number(row?.n ?? 0);
    const seconds = (lastAck - start) / 1000;
    const windows = fiveSecondRates(timeline);
    return {
      seconds, concurrency: opts.concurrency, distinctBodies: opts.bodies.length,
      spansPerRequest: opts.bodies.reduce((n, b) => n + b.spans, 0) / opts.bodies.length,
      requestsOk: ok, spansAccepted: accepted, spansRejected: rejected, acceptedPerSecond: accepted / seconds,
      rowsInStore, queryablePerSecond: rowsInStore / seconds,
      ack: summarize(latencies), longestAckGapMs: longestGap, status429: s429, status503: s503, otherFailures: other, failureSamples,
      slowestWindow: windows.length ? Math.min(...windows) : NaN, fastestWindow: windows.length ? Math.max(...windows) : NaN,
      peakRssBytes: rss.peakBytes, cpuSeconds, benchCpuSeconds: (benchCpu.user + benchCpu.system) / 1e6,
      server: serverSide(metrics, maxQueue), shutdownClean: stop.clean, logFile: plexus.logFile,
    };
  } finally {
    rss.stop();
    agent.destroy();
    if (!stopped) await plexus.stop(10_000).catch(() => {});
  }
}

function fiveSecondRates(timeline: ReadonlyArray<{ t: number; accepted: number }>): number[] {
  const out: number[] = [];
  for (let i = 0; i + 5 < timeline.length; i += 5) {
    const a = timeline[i]!;
    const b = timeline[i + 5]!;
    out.push((b.accepted - a.accepted) / ((b.t - a.t) / 1000));
  }
  return out;
}

// The Prometheus exporter may or may not append the unit to histogram names.
function either(m: readonly MetricSample[], name: string, suffix: string): number {
  const plain = metricSum(m, `${name}_${suffix}`);
  return Number.isNaN(plain) ? metricSum(m, `${name}_seconds_${suffix}`) : plain;
}

function serverSide(m: readonly MetricSample[], maxQueueRows: number): ServerSideIngest {
  const batches = either(m, 'plexus_write_batch_duration', 'count');
  return {
    spansAcceptedMetric: metricSum(m, 'plexus_spans_accepted_total'),
    batches,
    batchSeconds: either(m, 'plexus_write_batch_duration', 'sum'),
    meanBatchRows: metricSum(m, 'plexus_write_batch_rows_sum') / batches,
    maxQueueRows,
    edgePasses: either(m, 'plexus_edges_pass_duration', 'count'),
    edgePassSeconds: either(m, 'plexus_edges_pass_duration', 'sum'),
    minutesRecomputed: metricSum(m, 'plexus_edges_minutes_recomputed_total'),
  };
}
