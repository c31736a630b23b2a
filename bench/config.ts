import { GATEWAY_BENCH_FORMATS, type GatewayBenchFormat } from './gateway-lines.ts';
// Bench settings from the environment; BENCH_QUICK=1 shrinks everything for a smoke run.

/** A part of the bench that can be run alone (BENCH_ONLY). */
export type Phase = 'stages' | 'ingest' | 'query' | 'catalog' | 'kafka' | 'gateway' | 'waterfall';
export const PHASES: readonly Phase[] = ['stages', 'ingest', 'query', 'catalog', 'kafka', 'gateway', 'waterfall'];

/** Every bench setting, resolved. */
export interface BenchConfig {
  quick: boolean;
  phases: Phase[];
  ingestSeconds: number;
  concurrency: number;
  spansPerRequest: number;
  bodies: number;
  retryCapMs: number;
  /** Repeat the ingest with the edge job paused, to isolate its cost. */
  isolateEdges: boolean;
  /** Rows the stage bench inserts into chDB, in batches of insertBatchRows. */
  insertRows: number;
  insertBatchRows: number;
  querySpans: number;
  queryReps: number;
  queryWarmups: number;
  /** Catalog phase: entities imported, hours of demo traffic and its rate. */
  catalogEntities: number;
  catalogHours: number;
  catalogTracesPerSecond: number;
  /** Kafka phase: CloudEvents pre-produced into a topic of kafkaPartitions partitions, then consumed by Plexus. */
  kafkaMessages: number;
  kafkaPartitions: number;
  /** Gateway phase: seconds per format, requests in flight, lines per body, distinct bodies, gzip bodies (Fluent Bit `compress gzip`). */
  gatewaySeconds: number;
  gatewayConcurrency: number;
  gatewayLinesPerBody: number;
  gatewayBodies: number;
  gatewayGzip: boolean;
  /** Gateway phase: formats to run (BENCH_GATEWAY_FORMATS=kong,envoy). */
  gatewayFormats: GatewayBenchFormat[];
  /** Waterfall phase: spans in the one trace rendered, and page loads timed. */
  waterfallSpans: number;
  waterfallReps: number;
  keepData: boolean;
  writeReport: boolean;
  /** BENCH_* variables that were set, for the report. */
  overrides: string[];
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return Math.round(n);
}

function gatewayFormats(raw: string | undefined): GatewayBenchFormat[] {
  const list = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of list) if (!GATEWAY_BENCH_FORMATS.includes(f as GatewayBenchFormat)) throw new Error(`BENCH_GATEWAY_FORMATS: unknown format "${f}" (use ${GATEWAY_BENCH_FORMATS.join(', ')})`);
  return list.length ? (list as GatewayBenchFormat[]) : [...GATEWAY_BENCH_FORMATS];
}

/** Reads BENCH_* variables (see BENCHMARKS.md for the list). */
export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const only = (env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of only) if (!PHASES.includes(p as Phase)) throw new Error(`BENCH_ONLY: unknown phase "${p}" (use ${PHASES.join(', ')})`);
  return {
    quick,
    phases: only.length ? (only as Phase[]) : [...PHASES],
    ingestSeconds: int(env, 'BENCH_INGEST_SECONDS', quick ? 10 : 60),
    concurrency: int(env, 'BENCH_CONCURRENCY', 32),
    spansPerRequest: int(env, 'BENCH_SPANS_PER_REQUEST', 2000),
    bodies: int(env, 'BENCH_BODIES', quick ? 40 : 100),
    retryCapMs: int(env, 'BENCH_RETRY_CAP_MS', 1000),
    isolateEdges: env.BENCH_ISOLATE_EDGES !== '0',
    insertRows: int(env, 'BENCH_INSERT_ROWS', quick ? 200_000 : 1_000_000),
    insertBatchRows: int(env, 'BENCH_INSERT_BATCH_ROWS', 100_000),
    querySpans: int(env, 'BENCH_SPANS', quick ? 1_000_000 : 10_000_000),
    queryReps: int(env, 'BENCH_QUERY_REPS', 20),
    queryWarmups: int(env, 'BENCH_QUERY_WARMUPS', 2),
    catalogEntities: int(env, 'BENCH_CATALOG_ENTITIES', quick ? 1000 : 5000),
    catalogHours: int(env, 'BENCH_CATALOG_HOURS', quick ? 2 : 24),
    catalogTracesPerSecond: int(env, 'BENCH_CATALOG_TRACES_PER_SECOND', 2),
    kafkaMessages: int(env, 'BENCH_KAFKA_MESSAGES', quick ? 200_000 : 1_000_000),
    kafkaPartitions: int(env, 'BENCH_KAFKA_PARTITIONS', 6),
    gatewaySeconds: int(env, 'BENCH_GATEWAY_SECONDS', quick ? 10 : 60),
    gatewayConcurrency: int(env, 'BENCH_GATEWAY_CONCURRENCY', 4),
    // 10,000 Kong lines of ~1.5 KB stay under the default 16 MiB body limit.
    gatewayLinesPerBody: int(env, 'BENCH_GATEWAY_LINES', 10_000),
    gatewayBodies: int(env, 'BENCH_GATEWAY_BODIES', 8),
    gatewayGzip: env.BENCH_GATEWAY_GZIP === '1',
    gatewayFormats: gatewayFormats(env.BENCH_GATEWAY_FORMATS),
    waterfallSpans: int(env, 'BENCH_WATERFALL_SPANS', 10_000),
    waterfallReps: int(env, 'BENCH_WATERFALL_REPS', 5),
    keepData: env.BENCH_KEEP_DATA === '1',
    writeReport: env.BENCH_WRITE_REPORT !== '0',
    overrides: Object.keys(env).filter((k) => k.startsWith('BENCH_')).sort().map((k) => `${k}=${env[k]}`),
  };
}
