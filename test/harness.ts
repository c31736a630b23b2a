// Starts a real Plexus (embedded chDB in a temp directory, free ports) for
// integration tests, and talks to it over real HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSelfTelemetry } from '../cli/src/self-telemetry.ts';
import type { Store } from '@plexus/store';
import type { CatalogSync } from '../cli/src/catalog-sync.ts';

export interface TestPlexus {
  url: string;
  otlpUrl: string;
  /** The Zipkin receiver's base URL (`POST /api/v2/spans`). */
  zipkinUrl: string;
  /** Runs a GraphQL query; returns `data`, throws on errors unless `allowErrors`. */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Like gql, but returns errors; `headers` are added to the request (e.g. Authorization). */
  gqlRaw(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> }>;
  /** The running server's store, for assertions on what was written. */
  store: Store;
  /** The sync of catalog.locations, when the config names any. */
  catalogSync: CatalogSync | undefined;
  /** Runs one edge recompute pass now (the background job is slowed down in tests). */
  recompute(): Promise<void>;
  /** Reads the Kafka cluster's offsets and groups into the lag tables now. */
  pollKafkaTopology(): Promise<void>;
  /** Reads every mesh metrics target now and writes what changed. */
  scrapeMesh(): Promise<void>;
  close(): Promise<void>;
}

const telemetry = startSelfTelemetry();

/** Starts Plexus with test-friendly settings; `env` and `file` override them. */
export async function startTestPlexus(env: Record<string, string> = {}, tune: { pipeline?: Record<string, number>; edges?: Record<string, number>; corsOrigins?: string[] } = {}): Promise<TestPlexus> {
  const { loadConfig } = await import('../cli/src/config.ts');
  const { startPlexus } = await import('../cli/src/server.ts');
  const { UI_DIST } = await import('../cli/src/ui-build.ts');
  const dir = env.PLEXUS_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'plexus-test-'));
  const config = loadConfig({ PLEXUS_DATA_DIR: dir, PLEXUS_PORT: '0', PLEXUS_OTLP_HTTP_PORT: '0', PLEXUS_ZIPKIN_PORT: '0', PLEXUS_HOST: '127.0.0.1', ...env }, dir);
  config.edges = { intervalMs: 3_600_000, lagMs: 0, maxCoreShare: undefined, maxSpansPerStatement: undefined, ...tune.edges };
  config.pipeline = { ...config.pipeline, maxBatchDelayMs: 20, decodeThreads: 1, ...tune.pipeline };
  if (tune.corsOrigins) config.corsOrigins = tune.corsOrigins;
  const plexus = await startPlexus({ mode: 'all', config, metrics: telemetry.handler, uiDir: UI_DIST, log: () => {} });
  const url = `http://127.0.0.1:${plexus.port}`;
  const gqlRaw = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  };
  return {
    url,
    otlpUrl: `http://127.0.0.1:${plexus.otlpHttpPort}`,
    zipkinUrl: `http://127.0.0.1:${plexus.zipkinPort}`,
    gqlRaw,
    store: plexus.store,
    catalogSync: plexus.catalogSync,
    async gql(query, variables) {
      const r = await gqlRaw(query, variables);
      if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
      return r.data;
    },
    pollKafkaTopology: () => plexus.collector!.pollKafkaTopology(),
    scrapeMesh: () => plexus.collector!.scrapeMesh(),
    async recompute() {
      await plexus.collector!.pipeline.drain();
      await plexus.collector!.apiCalls.drain();
      await plexus.collector!.edgeJob.runOnce();
    },
    async close() {
      await plexus.close();
      // A directory the caller passed in is theirs to keep (restart tests reopen it).
      if (!env.PLEXUS_DATA_DIR) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** POSTs an OTLP/JSON export and returns status and parsed body. */
export async function postOtlpJson(otlpUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${otlpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}
