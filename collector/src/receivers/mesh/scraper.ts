import type { MeshEdgeDelta, MeshKind } from '../../sources/mesh-metrics/mesh-delta.ts';
import type { MeshReadOptions } from '../../sources/mesh-metrics/mesh-sample.ts';
import { meshSamples, type MeshScrape } from '../../sources/mesh-metrics/exposition.ts';
import { PROMETHEUS_QUERIES, prometheusQuerySamples } from '../../sources/mesh-metrics/prometheus-query.ts';
import { MeshRateTracker } from '../../sources/mesh-metrics/rate-tracker.ts';
import type { NamingRule } from '../../sources/naming.ts';
import { collectorMetrics } from '../../telemetry.ts';
import { fetchText, type FetchLimits } from './fetch-bounded.ts';

/** A proxy's own metrics endpoint (Istio `:15020/stats/prometheus`, Linkerd `:4191/metrics`), read as exposition text. */
export interface ScrapeTarget {
  kind: 'scrape';
  url: string;
  mesh: MeshKind;
  name?: string;
  /** Linkerd: the scraped proxy's own workload and namespace, which its series do not carry. */
  workload?: string;
  namespace?: string;
}

/** A Prometheus server that scrapes the mesh, read through its HTTP API (instant queries of the raw counters). */
export interface PrometheusTarget {
  kind: 'prometheus';
  /** The server's base URL, e.g. `http://prometheus:9090` (a path prefix is kept). */
  url: string;
  mesh: MeshKind;
  name?: string;
}

export type MeshTarget = ScrapeTarget | PrometheusTarget;

/** How a target is doing. */
export interface MeshTargetStatus {
  name: string;
  url: string;
  /** The last scrape succeeded. */
  up: boolean;
  /** When the last successful scrape was taken, ms since the epoch; null before the first. */
  lastScrapeMs: number | null;
  /** Why the last scrape failed; null when it succeeded. */
  lastError: string | null;
  /** Mesh series read by the last successful scrape. */
  series: number;
  /** Lines or series of the last successful scrape that could not be used. */
  rejects: number;
}

export interface MeshScraperOptions {
  targets: MeshTarget[];
  intervalSeconds: number;
  naming?: NamingRule;
  /** Receives the edge deltas of each round; a failed write is retried with the next round's rows. */
  write: (rows: MeshEdgeDelta[]) => Promise<void>;
  /** Told every target's status after each round (failures are logged, never fatal). */
  onRound?: (status: MeshTargetStatus[]) => Promise<void>;
  log: (msg: string, err?: unknown) => void;
  fetch?: typeof fetch;
  /** Per request; default the interval, at most 10 s. */
  timeoutMs?: number;
  /** Per answer body; default 64 MiB (a Prometheus answer for a large mesh is big). */
  maxBytes?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export interface MeshScraper {
  /** Settles when the first round, started at once, is done: every target has its baseline or its error. */
  started: Promise<void>;
  status(): MeshTargetStatus[];
  /** Runs one round over every target now (after any round in progress) and writes its rows. */
  scrapeNow(): Promise<void>;
  stop(): Promise<void>;
}

// Rows kept for retry while writes fail: a few hours of a mid-sized mesh, bounded.
const MAX_PENDING_ROWS = 100_000;

// A URL as shown in status and logs: without user and password.
function shown(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return url;
  }
}

interface Target {
  target: MeshTarget;
  /** Tracker key: unique even when two targets share a name. */
  key: string;
  read: MeshReadOptions;
  status: MeshTargetStatus;
}

async function readTarget(t: Target, fetchFn: typeof fetch, limits: FetchLimits): Promise<MeshScrape> {
  if (t.target.kind === 'scrape') {
    // Ask for the classic text format: OpenMetrics adds exemplars and _created series we do not need.
    const text = await fetchText(fetchFn, t.target.url, 'text/plain;version=0.0.4;q=1,*/*;q=0.1', limits);
    return meshSamples(text, t.read);
  }
  const base = t.target.url.endsWith('/') ? t.target.url : `${t.target.url}/`;
  // All queries or none: a reading with calls but no buckets would be a half-told minute.
  const answers = await Promise.all(PROMETHEUS_QUERIES[t.target.mesh].map(async (query) => {
    const url = new URL('api/v1/query', base);
    url.searchParams.set('query', query);
    const text = await fetchText(fetchFn, url.href, 'application/json', limits);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${query}: the answer is not JSON: ${text.slice(0, 120)}`);
    }
    return prometheusQuerySamples(query, body, t.read);
  }));
  const failed = answers.flatMap((a) => a.rejects.filter((r) => r.line === undefined));
  if (failed.length > 0) throw new Error(failed.map((r) => r.reason).join('; '));
  return { samples: answers.flatMap((a) => a.samples), rejects: answers.flatMap((a) => a.rejects), skipped: answers.flatMap((a) => a.skipped) };
}

/**
 * Reads mesh metrics targets every `intervalSeconds` into per-minute edge
 * deltas. Each target is read on its own: one that fails (HTTP error, refused,
 * timeout, too big) is marked down with the reason and the others go on; its
 * counters keep their baseline, so the next good reading still counts the
 * calls of the gap.
 */
export function startMeshScraper(o: MeshScraperOptions): MeshScraper {
  const fetchFn = o.fetch ?? fetch;
  const now = o.now ?? Date.now;
  const limits: FetchLimits = { timeoutMs: o.timeoutMs ?? Math.min(10_000, o.intervalSeconds * 1000), maxBytes: o.maxBytes ?? 64 * 1024 * 1024 };
  // A target that was down for a while still has its baseline when it is back.
  const tracker = new MeshRateTracker({ forgetAfterMs: Math.max(10 * 60_000, 5 * o.intervalSeconds * 1000) });
  const m = collectorMetrics();
  const targets: Target[] = o.targets.map((target, i) => ({
    target,
    key: `${i}\u0000${target.url}`,
    read: {
      mesh: target.mesh,
      ...(o.naming ? { naming: o.naming } : {}),
      ...(target.kind === 'scrape' && (target.workload || target.namespace) ? { self: { workload: target.workload, namespace: target.namespace } } : {}),
    },
    status: { name: target.name ?? shown(target.url), url: shown(target.url), up: false, lastScrapeMs: null, lastError: null, series: 0, rejects: 0 },
  }));
  let pending: MeshEdgeDelta[] = [];

  async function scrapeTarget(t: Target): Promise<MeshEdgeDelta[]> {
    const attrs = { target: t.status.name };
    const at = now();
    let reading: MeshScrape;
    try {
      reading = await readTarget(t, fetchFn, limits);
    } catch (err) {
      const why = (err as Error).message;
      // Said once per change, not every interval while a target stays down.
      if (t.status.up || t.status.lastError !== why) o.log(`mesh target ${t.status.name} (${t.status.url}) failed: ${why}`);
      t.status = { ...t.status, up: false, lastError: why };
      m.meshTargetUp.record(0, attrs);
      m.meshScrapeFailures.add(1, attrs);
      return [];
    }
    if (reading.rejects.length > 0 && reading.rejects.length !== t.status.rejects) {
      const first = reading.rejects[0]!;
      o.log(`mesh target ${t.status.name}: ${reading.rejects.length} series not usable, first${first.line ? ` (line ${first.line})` : ''}: ${first.reason}`);
    }
    t.status = { ...t.status, up: true, lastScrapeMs: at, lastError: null, series: reading.samples.length, rejects: reading.rejects.length };
    m.meshTargetUp.record(1, attrs);
    return tracker.update(t.key, at, reading.samples);
  }

  async function round(): Promise<void> {
    const fresh = (await Promise.all(targets.map(scrapeTarget))).flat();
    await o.onRound?.(targets.map((t) => ({ ...t.status }))).catch((err) => o.log('recording mesh target status failed', err));
    const rows = pending.length > 0 ? [...pending, ...fresh] : fresh;
    pending = [];
    if (rows.length === 0) return;
    try {
      await o.write(rows);
    } catch (err) {
      pending = rows.length > MAX_PENDING_ROWS ? rows.slice(rows.length - MAX_PENDING_ROWS) : rows;
      o.log(`writing ${rows.length} mesh edge rows failed; retrying with the next scrape`, err);
    }
  }

  let chain: Promise<void> = Promise.resolve();
  let queued = 0;
  let stopped = false;
  const scrapeNow = (): Promise<void> => {
    if (stopped) return chain;
    queued++;
    chain = chain.then(round).catch((err) => o.log('mesh scrape round failed', err)).finally(() => void queued--);
    return chain;
  };
  // A slow round is not stacked on: the tick is skipped while one is running.
  const timer = setInterval(() => {
    if (queued === 0) void scrapeNow();
  }, o.intervalSeconds * 1000);
  timer.unref();
  const started = scrapeNow();

  return {
    started,
    status: () => targets.map((t) => ({ ...t.status })),
    scrapeNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await chain;
    },
  };
}
