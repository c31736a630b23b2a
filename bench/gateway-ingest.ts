// Sustained gateway-log ingest against a real Plexus child process: a few
// keep-alive connections POST pre-built NDJSON/text bodies to
// /ingest/{format} as fast as Plexus acknowledges them (429 waits for
// Retry-After), while its RSS and CPU are read from /proc. Afterwards, with
// Plexus stopped, api_calls is counted: every acknowledged line must be there.
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, sql } from '@plexus/store';
import type { GatewayBenchFormat, GatewayBody } from './gateway-lines.ts';
import { startPlexus } from './plexus-process.ts';
import { RssSampler, readCpuSeconds } from './process-stats.ts';
import { scrapeMetrics, metricSum, type MetricSample } from './metrics-scrape.ts';
import { summarize, sleep, type LatencySummary } from './stats.ts';

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
export interface GatewayIngestResult {
  format: GatewayBenchFormat;
  seconds: number;
  concurrency: number;
  gzip: boolean;
  linesPerRequest: number;
  distinctBodies: number;
  meanLineBytes: number;
  meanWireBytes: number;
  requestsOk: number;
  linesAccepted: number;
  linesRejected: number;
  rejectSamples: string[];
  acceptedPerSecond: number;
  /** MiB/s of uncompressed log text accepted. */
  acceptedMiBPerSecond: number;
  rowsInApiCalls: number;
  /** sum(Calls) the materialized view folded into source_edges for Source = 'gateway'. */
  callsInSourceEdges: number;
  ack: LatencySummary;
  longestAckGapMs: number;
  status429: number;
  status503: number;
  otherFailures: number;
  failureSamples: string[];
  slowestWindow: number;
  fastestWindow: number;
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

interface Reply {
  status: number;
  retryAfter: string | undefined;
  body: Buffer;
}

function post(agent: http.Agent, url: URL, path: string, body: GatewayBody, gzip: boolean): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/x-ndjson', 'content-length': body.bytes.length };
    if (gzip) headers['content-encoding'] = 'gzip';
    const req = http.request({ host: url.hostname, port: url.port, path, method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body.bytes);
  });
}

/** Runs one sustained gateway-ingest run and returns its figures (the Plexus process is stopped before it returns). */
export async function runGatewayIngest(opts: GatewayIngestOptions): Promise<GatewayIngestResult> {
  const dataDir = mkdtempSync(join(opts.tmpRoot, `gateway-${opts.format}-data-`));
  const plexus = await startPlexus(dataDir, opts.tmpRoot, `plexus-gateway-${opts.format}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const url = new URL(plexus.otlpUrl);
  const path = `/ingest/${opts.format}`;
  const rss = new RssSampler(plexus.pid, 500);
  const latencies: number[] = [];
  const failureSamples: string[] = [];
  const rejectSamples: string[] = [];
  let [accepted, rejected, ok, s429, s503, other, sendNo] = [0, 0, 0, 0, 0, 0, 0];
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
    let nextProgress = start + 10_000;

    const worker = async () => {
      while (performance.now() < deadline) {
        const body = opts.bodies[sendNo++ % opts.bodies.length]!;
        for (;;) {
          const t0 = performance.now();
          let reply: Reply;
          try {
            reply = await post(agent, url, path, body, opts.gzip);
          } catch (err) {
            other++;
            if (failureSamples.length < 5) failureSamples.push(`network: ${(err as Error).message}`);
            await sleep(100);
            break;
          }
          const now = performance.now();
          if (reply.status === 200) {
            const answer = JSON.parse(reply.body.toString('utf8')) as { accepted: number; rejected: number; errors: string[] };
            ok++;
            accepted += answer.accepted;
            rejected += answer.rejected;
            for (const e of answer.errors) if (rejectSamples.length < 3) rejectSamples.push(e);
            latencies.push(now - t0);
            longestGap = Math.max(longestGap, now - lastAck);
            lastAck = now;
            if (now > nextProgress) {
              nextProgress += 10_000;
              opts.log(`  ${Math.round((now - start) / 1000)} s: ${accepted.toLocaleString('en-US')} lines accepted, ${Math.round(accepted / ((now - start) / 1000)).toLocaleString('en-US')} lines/s, RSS ${Math.round(rss.lastBytes / 2 ** 20)} MiB, 429s ${s429}`);
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
    timeline.push({ t: lastAck, accepted });
    const cpuSeconds = readCpuSeconds(plexus.pid) - cpu0;
    const benchCpu = process.cpuUsage(benchCpu0);
    const metrics = await scrapeMetrics(plexus.url);
    rss.stop();
    agent.destroy();
    const stop = await plexus.stop();
    stopped = true;

    // chDB binds a data directory to one process: count only once Plexus is gone.
    const store = await openStore({ dataDir: dataDir });
    const [rows] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM api_calls`);
    const [edges] = await store.query<{ n: string }>(sql`SELECT sum(Calls) AS n FROM source_edges WHERE Source = 'gateway'`);
    await store.close();
    const seconds = (lastAck - start) / 1000;
    const windows = fiveSecondRates(timeline);
    const rawBytes = opts.bodies.reduce((n, b) => n + b.rawBytes, 0);
    const lines = opts.bodies.reduce((n, b) => n + b.lines, 0);
    const inserts = either(metrics, 'plexus_write_batch_duration', 'count');
    return {
      format: opts.format, seconds, concurrency: opts.concurrency, gzip: opts.gzip,
      linesPerRequest: lines / opts.bodies.length, distinctBodies: opts.bodies.length, meanLineBytes: rawBytes / lines,
      meanWireBytes: opts.bodies.reduce((n, b) => n + b.bytes.length, 0) / opts.bodies.length,
      requestsOk: ok, linesAccepted: accepted, linesRejected: rejected, rejectSamples, acceptedPerSecond: accepted / seconds,
      acceptedMiBPerSecond: (accepted * (rawBytes / lines)) / 2 ** 20 / seconds,
      rowsInApiCalls: Number(rows?.n ?? 0), callsInSourceEdges: Number(edges?.n ?? 0),
      ack: summarize(latencies), longestAckGapMs: longestGap, status429: s429, status503: s503, otherFailures: other, failureSamples,
      slowestWindow: windows.length ? Math.min(...windows) : NaN, fastestWindow: windows.length ? Math.max(...windows) : NaN,
      peakRssBytes: rss.peakBytes, cpuSeconds, benchCpuSeconds: (benchCpu.user + benchCpu.system) / 1e6,
      inserts, insertSeconds: either(metrics, 'plexus_write_batch_duration', 'sum'), insertRows: metricSum(metrics, 'plexus_write_batch_rows_sum', 'api_calls'),
      acceptedMetric: metricSum(metrics, 'plexus_gateway_records_accepted_total'),
      shutdownClean: stop.clean, logFile: plexus.logFile,
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

// The api_calls queue's own series; the exporter may or may not append the unit to histogram names.
function either(m: readonly MetricSample[], name: string, suffix: string): number {
  const plain = metricSum(m, `${name}_${suffix}`, 'api_calls');
  return Number.isNaN(plain) ? metricSum(m, `${name}_seconds_${suffix}`, 'api_calls') : plain;
}
