// Query latency over a day of spans: generate them in ClickHouse, recompute
// every minute's edges once, then time the GraphQL API of a real Plexus
// process, and finally split each query into its ClickHouse statements
// in-process (Plexus stopped: chDB binds a data directory to one process).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, migrate, sql, type Store } from '@plexus/store';
import { EdgeJob } from '@plexus/collector';
import { createPlexusYoga } from '@plexus/query-api';
import { generateSpans, traceIdsOf, type GeneratedSpans } from './generate-spans.ts';
import { BACKENDS, GATEWAY, expectedGraph } from './landscape.ts';
import { startPlexus } from './plexus-process.ts';
import { RssSampler } from './process-stats.ts';
import { recordingStore, estimateRows, type StatementRun } from './recording-store.ts';
import { prng } from './otlp-bodies.ts';
import { probeEdgeRead, probeTraceRead, type Probe } from './query-probes.ts';
import { insertBigTrace } from './big-trace.ts';
import { traceSearchTruth } from './trace-search-truth.ts';
import { traceSearchSpecs } from './trace-search-specs.ts';
import { summarize, type LatencySummary } from './stats.ts';

/** How big a dataset to build and how often to repeat each query. */
export interface QueryLatencyOptions {
  spans: number;
  reps: number;
  warmups: number;
  tmpRoot: string;
  log: (line: string) => void;
}

/** Time spent per kind of statement. */
export interface StatementTotal {
  label: string;
  count: number;
  ms: number;
  estimatedRows?: string;
}

/** One GraphQL query's latency, answer check and in-process split. */
export interface QueryTiming {
  name: string;
  target?: number;
  http: LatencySummary;
  check: string;
  ok: boolean;
  /** Median in-process time (GraphQL execution, no HTTP) and its statements. */
  inProcessMs: number;
  statements: StatementTotal[];
}

/** Everything the query-latency phase measured. */
export interface QueryLatencyResult {
  generated: GeneratedSpans;
  rowsInStore: number;
  diskBytes: number;
  generatorPeakRssBytes: number;
  edgeJob: { seconds: number; minutes: number; statements: StatementTotal[]; peakRssBytes: number };
  queries: QueryTiming[];
  /** Variants of the targeted reads, each without one piece of work. */
  probes: Probe[];
  serverPeakRssBytes: number;
  logFile: string;
}

const DAY_MS = 86_400_000;

const GRAPH = `query($from: DateTime!, $to: DateTime!) { dependencyGraph(from: $from, to: $to) {
  nodes { id name kind requests errors errorRate latency { p50 p95 p99 } }
  edges { id source target calls errors errorRate callRate latency { p50 p95 p99 } sources } } }`;
const SERVICES = `query($from: DateTime!, $to: DateTime!) { services(from: $from, to: $to) {
  name requests errors errorRate requestRate latency { p50 p95 p99 } } }`;
const SERVICE = `query($name: String!, $from: DateTime!, $to: DateTime!) { service(name: $name, from: $from, to: $to) {
  name requests errors errorRate latency { p50 p95 p99 }
  series { time requests errors errorRate latency { p50 p95 p99 } }
  operations { name kind requests errors latency { p50 p95 p99 } }
  upstream { source sourceName calls errors latency { p50 p95 p99 } }
  downstream { target targetName calls errors latency { p50 p95 p99 } } } }`;
const TRACE = `query($id: ID!) { trace(id: $id) { id startTime durationMs spanCount errorCount services
  spans { spanId parentSpanId missingParent name service kind startTime durationMs status statusMessage
    attributes { key value } resourceAttributes { key value } events { name time attributes { key value } } links { traceId spanId } } } }`;

type Gql = (query: string, variables: Record<string, unknown>) => Promise<{ data?: any; errors?: Array<{ message: string }> }>;

/** One timed GraphQL query with its answer check. */
export interface QuerySpec {
  name: string;
  target?: number;
  query: string;
  /** Variables for repetition i. */
  variables: (i: number) => Record<string, unknown>;
  /** Returns a problem, or '' when the answer is as expected. */
  check: (data: any, i: number) => string;
}

function windowNow(): { from: string; to: string } {
  const now = Date.now();
  return { from: new Date(now - DAY_MS).toISOString(), to: new Date(now).toISOString() };
}

function querySpecs(traces: ReadonlyArray<{ id: string; spans: number }>): QuerySpec[] {
  const expected = expectedGraph();
  const services = [GATEWAY, ...BACKENDS];
  return [
    {
      name: 'dependencyGraph (24 h)', target: 300, query: GRAPH, variables: () => windowNow(),
      check: (d) => {
        const nodes = new Set<string>(d.dependencyGraph.nodes.map((n: { id: string }) => n.id));
        const edges = new Set<string>(d.dependencyGraph.edges.map((e: { id: string }) => e.id));
        const missing = [...expected.nodes].filter((n) => !nodes.has(n));
        const extraEdges = [...edges].filter((e) => !expected.edges.has(e));
        if (nodes.size !== expected.nodes.size || missing.length) return `${nodes.size} nodes, expected ${expected.nodes.size} (missing ${missing.join(', ') || 'none'})`;
        if (edges.size !== expected.edges.size || extraEdges.length) return `${edges.size} edges, expected ${expected.edges.size} (unexpected ${extraEdges.slice(0, 3).join(', ') || 'none'})`;
        return '';
      },
    },
    {
      name: 'services (24 h)', query: SERVICES, variables: () => windowNow(),
      check: (d) => {
        const list = d.services as Array<{ name: string; requests: number }>;
        const names = new Set(list.map((s) => s.name));
        const missing = services.filter((s) => !names.has(s));
        if (list.length !== services.length || missing.length) return `${list.length} services, expected ${services.length} (missing ${missing.join(', ') || 'none'})`;
        return list.every((s) => s.requests > 0) ? '' : 'a service has no requests';
      },
    },
    {
      name: 'service(name) + series, operations, upstream, downstream (24 h)', query: SERVICE,
      variables: (i) => ({ name: BACKENDS[i % BACKENDS.length], ...windowNow() }),
      check: (d, i) => {
        const s = d.service;
        if (!s) return `service ${BACKENDS[i % BACKENDS.length]} is null`;
        if (s.series.length < 55 || s.operations.length < 1 || s.upstream.length < 1 || s.downstream.length < 1) {
          return `thin answer: ${s.series.length} points, ${s.operations.length} operations, ${s.upstream.length} upstream, ${s.downstream.length} downstream`;
        }
        return s.requests > 0 ? '' : 'no requests';
      },
    },
    {
      name: 'trace(id)', target: 50, query: TRACE, variables: (i) => ({ id: traces[i % traces.length]!.id }),
      check: (d, i) => {
        const t = d.trace;
        const want = traces[i % traces.length]!;
        if (!t) return `trace ${want.id} not found`;
        if (t.spanCount !== want.spans || t.spans.length !== want.spans) return `trace ${want.id}: ${t.spanCount} spans, expected ${want.spans}`;
        return t.spans.some((s: { missingParent: boolean }) => s.missingParent) ? `trace ${want.id} has a span with a missing parent` : '';
      },
    },
  ];
}

async function timeQueries(gql: Gql, specs: readonly QuerySpec[], reps: number, warmups: number, log: (l: string) => void): Promise<Array<{ spec: QuerySpec; ms: number[]; problems: string[] }>> {
  const out = [];
  for (const spec of specs) {
    const ms: number[] = [];
    const problems: string[] = [];
    for (let i = 0; i < warmups + reps; i++) {
      const t0 = performance.now();
      const r = await gql(spec.query, spec.variables(i));
      const elapsed = performance.now() - t0;
      const problem = r.errors?.length ? `GraphQL error: ${r.errors[0]!.message}` : spec.check(r.data, i);
      if (problem) problems.push(problem);
      if (i >= warmups) ms.push(elapsed);
    }
    const s = summarize(ms);
    log(`  ${spec.name}: p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms${problems.length ? ` — ${problems[0]}` : ''}`);
    out.push({ spec, ms, problems });
  }
  return out;
}

function totals(runs: readonly StatementRun[]): StatementTotal[] {
  const by = new Map<string, StatementTotal>();
  for (const r of runs) {
    const t = by.get(r.label) ?? { label: r.label, count: 0, ms: 0 };
    t.count++;
    t.ms += r.ms;
    by.set(r.label, t);
  }
  return [...by.values()].sort((a, b) => b.ms - a.ms);
}

function diskBytes(dir: string): number {
  try {
    return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
  } catch {
    return NaN;
  }
}

/** Runs the whole query-latency phase; every process it starts is stopped before it returns. */
export async function runQueryLatency(opts: QueryLatencyOptions): Promise<QueryLatencyResult> {
  const { log } = opts;
  const dataDir = mkdtempSync(join(opts.tmpRoot, 'query-data-'));
  const selfRss = new RssSampler(process.pid, 500);
  let store: Store | undefined = await openStore({ dataDir });
  let generated: GeneratedSpans;
  let rowsInStore: number;
  let generatorPeakRssBytes: number;
  let edgeJob: QueryLatencyResult['edgeJob'];
  let traces: Array<{ id: string; spans: number }>;
  let investigation: QuerySpec[];
  try {
    await migrate(store, { retentionDays: 7 });
    log(`generating ${opts.spans.toLocaleString('en-US')} spans over 24 h inside ClickHouse…`);
    generated = await generateSpans(store, opts.spans, Date.now(), log);
    const big = await insertBigTrace(store, generated.fromMs + DAY_MS / 2);
    log(`  added one ${big.spans.toLocaleString('en-US')}-span trace (${big.id})`);
    const [count] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM otel_traces`);
    rowsInStore = Number(count?.n ?? 0);
    generatorPeakRssBytes = selfRss.peakBytes;
    log(`  ${rowsInStore.toLocaleString('en-US')} rows in otel_traces after ${generated.seconds.toFixed(1)} s; recomputing every minute's edges…`);

    const runs: StatementRun[] = [];
    selfRss.stop();
    const edgeRss = new RssSampler(process.pid, 500);
    const t0 = performance.now();
    const pass = await new EdgeJob(recordingStore(store, (r) => runs.push(r)), { lagMs: 0 }).runOnce();
    const seconds = (performance.now() - t0) / 1000;
    edgeRss.stop();
    edgeJob = { seconds, minutes: pass.minutes, statements: totals(runs), peakRssBytes: edgeRss.peakBytes };
    log(`  edge job: ${pass.minutes} minutes recomputed in ${seconds.toFixed(1)} s`);

    // Random existing traces, named by trace number: no need to read them back.
    const rnd = prng(7);
    const picks = Array.from({ length: opts.reps + opts.warmups }, () => {
      const shape = generated.shapes[rnd() < 0.5 ? 0 : 1]!;
      return { n: shape.firstTrace + Math.floor(rnd() * shape.traces), spans: shape.spansPerTrace };
    });
    const ids = await traceIdsOf(store, picks.map((p) => p.n));
    traces = picks.map((p, i) => ({ id: ids[i]!, spans: p.spans }));
    const truth = await traceSearchTruth(store, generated, 1);
    log(`  trace search truth: ${Object.entries(truth).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}`);
    investigation = traceSearchSpecs(generated, truth, big);
  } finally {
    await store.close();
    store = undefined;
    selfRss.stop();
  }

  const specs = [...querySpecs(traces), ...investigation];
  log(`starting Plexus on the generated data (${(diskBytes(dataDir) / 2 ** 20).toFixed(0)} MiB on disk)…`);
  const plexus = await startPlexus(dataDir, opts.tmpRoot, 'plexus-query');
  const rss = new RssSampler(plexus.pid, 500);
  let timed;
  try {
    const gql: Gql = async (query, variables) => {
      const res = await fetch(`${plexus.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return (await res.json()) as Awaited<ReturnType<Gql>>;
    };
    log(`timing GraphQL over HTTP (${opts.warmups} warm-ups + ${opts.reps} repetitions each)…`);
    timed = await timeQueries(gql, specs, opts.reps, opts.warmups, log);
  } finally {
    rss.stop();
    await plexus.stop();
  }

  log('splitting each query into its ClickHouse statements (in-process)…');
  const { breakdown, probes } = await statementBreakdown(dataDir, specs, traces.map((t) => t.id));
  return {
    generated, rowsInStore, diskBytes: diskBytes(dataDir), generatorPeakRssBytes, edgeJob,
    queries: timed.map(({ spec, ms, problems }, i) => ({
      name: spec.name, ...(spec.target !== undefined ? { target: spec.target } : {}), http: summarize(ms),
      ok: problems.length === 0, check: problems.length ? `${problems.length} bad answers, e.g. ${problems[0]}` : 'answers as expected',
      inProcessMs: breakdown[i]!.ms, statements: breakdown[i]!.statements,
    })),
    probes, serverPeakRssBytes: rss.peakBytes, logFile: plexus.logFile,
  };
}

/** Runs each query through the same GraphQL schema in-process with a timing store (medians of 3 runs after a warm-up), then the probes. */
async function statementBreakdown(dataDir: string, specs: readonly QuerySpec[], traceIds: readonly string[]): Promise<{ breakdown: Array<{ ms: number; statements: StatementTotal[] }>; probes: Probe[] }> {
  const store = await openStore({ dataDir });
  try {
    let runs: StatementRun[] = [];
    const yoga = createPlexusYoga({ store: recordingStore(store, (r) => runs.push(r)), retentionDays: 7, version: 'bench', log: () => {} });
    const out = [];
    for (const spec of specs) {
      const samples: Array<{ ms: number; runs: StatementRun[] }> = [];
      for (let i = 0; i < 4; i++) {
        runs = [];
        const t0 = performance.now();
        const res = await yoga.fetch('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: spec.query, variables: spec.variables(i) }) });
        await res.json();
        if (i > 0) samples.push({ ms: performance.now() - t0, runs });
      }
      samples.sort((a, b) => a.ms - b.ms);
      const median = samples[1]!;
      const statements = totals(median.runs);
      for (const s of statements) {
        const run = median.runs.find((r) => r.label === s.label)!;
        s.estimatedRows = (await estimateRows(store, run.statement)).byTable;
      }
      out.push({ ms: median.ms, statements });
    }
    const toSec = Math.floor(Date.now() / 60_000) * 60;
    const probes = [...(await probeEdgeRead(store, toSec - DAY_MS / 1000, toSec)), ...(await probeTraceRead(store, traceIds))];
    return { breakdown: out, probes };
  } finally {
    await store.close();
  }
}
