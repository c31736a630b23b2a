// The load both ingest phases drive: a few keep-alive connections POST
// pre-built bodies as fast as Plexus acknowledges them; a 429/503 waits for
// Retry-After (capped) and resends the same body, so nothing is dropped.
import http from 'node:http';
import { summarize, sleep, type LatencySummary } from './stats.ts';
import type { RssSampler } from './process-stats.ts';

/** An HTTP answer, whole. */
export interface Reply {
  status: number;
  retryAfter: string | undefined;
  body: Buffer;
}

/** One prepared request. */
export interface Send {
  payload: Buffer;
  headers: Record<string, string>;
  /** Records (spans, lines) the payload holds. */
  records: number;
}

/** What a sustained run needs to know about its bodies and answers. */
export interface SustainedPostsOptions {
  url: URL;
  path: string;
  seconds: number;
  concurrency: number;
  retryCapMs: number;
  /** The nth request (0-based). */
  next: (n: number) => Send;
  /** Records accepted and rejected by a 200 answer to `send`, and rejection reasons it gave. */
  accepted: (reply: Reply, send: Send) => { accepted: number; rejected: number; errors?: readonly string[] };
  /** "spans" or "lines", for progress lines. */
  unit: string;
  rss: RssSampler;
  log: (line: string) => void;
}

/** Figures of a sustained run that every ingest phase reports as they are. */
export interface LoadFigures {
  /** First request to last acknowledgement. */
  seconds: number;
  requestsOk: number;
  ack: LatencySummary;
  /** Longest time between two acknowledgements (a stall shows here). */
  longestAckGapMs: number;
  status429: number;
  status503: number;
  otherFailures: number;
  failureSamples: string[];
  /** Slowest and fastest 5-second windows, records/s accepted. */
  slowestWindow: number;
  fastestWindow: number;
}

/** Client-side figures of a sustained run. */
export interface SustainedPosts extends LoadFigures {
  accepted: number;
  rejected: number;
  rejectSamples: string[];
}

/** The figures every phase reports as they are, without the records counted (phases name those). */
export function loadFigures(run: SustainedPosts): LoadFigures {
  const { accepted: _a, rejected: _r, rejectSamples: _s, ...figures } = run;
  return figures;
}

function post(agent: http.Agent, url: URL, path: string, send: Send): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path, method: 'POST', agent, headers: { ...send.headers, 'content-length': send.payload.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(send.payload);
  });
}

/** Drives the load for `seconds` and returns what the answers said. */
export async function sustainedPosts(o: SustainedPostsOptions): Promise<SustainedPosts> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const latencies: number[] = [];
  const failureSamples: string[] = [];
  const rejectSamples: string[] = [];
  let [accepted, rejected, ok, s429, s503, other, sendNo] = [0, 0, 0, 0, 0, 0, 0];
  const start = performance.now();
  const deadline = start + o.seconds * 1000;
  let lastAck = start;
  let longestGap = 0;
  const timeline: Array<{ t: number; accepted: number }> = [{ t: start, accepted: 0 }];
  const tick = setInterval(() => timeline.push({ t: performance.now(), accepted }), 1000);
  let nextProgress = start + 10_000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const send = o.next(sendNo++);
      for (;;) {
        const t0 = performance.now();
        let reply: Reply;
        try {
          reply = await post(agent, o.url, o.path, send);
        } catch (err) {
          other++;
          if (failureSamples.length < 5) failureSamples.push(`network: ${(err as Error).message}`);
          await sleep(100);
          break;
        }
        const now = performance.now();
        if (reply.status === 200) {
          const answer = o.accepted(reply, send);
          ok++;
          accepted += answer.accepted;
          rejected += answer.rejected;
          for (const e of answer.errors ?? []) if (rejectSamples.length < 3) rejectSamples.push(e);
          latencies.push(now - t0);
          longestGap = Math.max(longestGap, now - lastAck);
          lastAck = now;
          if (now > nextProgress) {
            nextProgress += 10_000;
            o.log(`  ${Math.round((now - start) / 1000)} s: ${accepted.toLocaleString('en-US')} ${o.unit} accepted, ${Math.round(accepted / ((now - start) / 1000)).toLocaleString('en-US')} ${o.unit}/s, RSS ${Math.round(o.rss.lastBytes / 2 ** 20)} MiB, 429s ${s429}`);
          }
          break;
        }
        if (reply.status === 429 || reply.status === 503) {
          if (reply.status === 429) s429++;
          else s503++;
          await sleep(Math.min(o.retryCapMs, Math.max(50, Number(reply.retryAfter ?? 1) * 1000)));
          if (performance.now() >= deadline) break;
          continue;
        }
        other++;
        if (failureSamples.length < 5) failureSamples.push(`HTTP ${reply.status}: ${reply.body.toString('utf8', 0, 200)}`);
        break;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: o.concurrency }, worker));
  } finally {
    clearInterval(tick);
    agent.destroy();
  }
  timeline.push({ t: lastAck, accepted });
  const windows = fiveSecondRates(timeline);
  return {
    seconds: (lastAck - start) / 1000, requestsOk: ok, accepted, rejected, rejectSamples,
    ack: summarize(latencies), longestAckGapMs: longestGap, status429: s429, status503: s503, otherFailures: other, failureSamples,
    slowestWindow: windows.length ? Math.min(...windows) : NaN, fastestWindow: windows.length ? Math.max(...windows) : NaN,
  };
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
