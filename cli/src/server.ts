import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openStore, migrate, type Store } from '@plexus/store';
import { startCollector, INGEST_PREFIX, type Collector } from '@plexus/collector';
import { createPlexusYoga, createStaticHandler, createAuthenticator, decide, httpAuthorizer, type Authenticator } from '@plexus/query-api';
import type { PlexusConfig } from './config.ts';
import { importKongAdmin } from '@plexus/catalog';
import { startCatalogSync, type CatalogSync } from './catalog-sync.ts';
import type { MetricsHandler } from './self-telemetry.ts';
import { VERSION } from './version.ts';
import { runImportRequest } from './catalog-import-request.ts';
import { gatewayParseOptions, meshTarget } from './sources-config.ts';

export type Mode = 'all' | 'collector' | 'api';

/** A running Plexus process. */
export interface RunningPlexus {
  readonly port: number;
  readonly otlpHttpPort: number | undefined;
  readonly zipkinPort: number | undefined;
  readonly store: Store;
  readonly collector: Collector | undefined;
  /** The plexus.yaml catalog sources' sync (modes all and api, when any are configured). */
  readonly catalogSync: CatalogSync | undefined;
  close(): Promise<void>;
}

export interface StartOptions {
  mode: Mode;
  config: PlexusConfig;
  metrics: MetricsHandler;
  uiDir: string;
  log: (msg: string, err?: unknown) => void;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * POST /api/catalog/import {kind?, paths | admin}: the CLI's import, run by the process that
 * owns the store. It reads files on this machine, so it needs an admin token
 * when tokens are configured, and without tokens answers loopback clients only.
 */
async function catalogImportRoute(req: IncomingMessage, res: ServerResponse, store: Store, auth: Authenticator, log: StartOptions['log']): Promise<void> {
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (auth.enabled) {
    const d = decide(auth, req.headers.authorization, 'admin');
    if (!d.ok) {
      if (d.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      return reply(d.status, { message: d.message });
    }
  } else if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return reply(403, { message: 'catalog import is only accepted from this machine' });
  try {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as unknown;
    const from = { local: LOOPBACK.has(req.socket.remoteAddress ?? ''), json: /^application\/json\b/i.test(req.headers['content-type'] ?? '') };
    const r = await runImportRequest(store, body, from);
    reply(r.status, r.body);
  } catch (err) {
    log('catalog import failed', err);
    reply(500, { message: (err as Error).message });
  }
}

/** Opens the store, applies migrations, then starts the parts this mode runs. */
export async function startPlexus(opts: StartOptions): Promise<RunningPlexus> {
  const { config, mode, log } = opts;
  const store = await openStore({ ...config.clickhouse, dataDir: config.dataDir, maxQueryMemoryBytes: config.maxQueryMemoryBytes });
  const auth = createAuthenticator(config.auth.tokens);
  let ready = false;
  let collector: Collector | undefined;
  let server: Server | undefined;
  try {
    const applied = await migrate(store, { retentionDays: config.retentionDays });
    if (applied.length > 0) log(`applied migrations ${applied.join(', ')}`);

    if (mode !== 'api') {
      collector = await startCollector({
        store, host: config.host, otlpHttpPort: config.otlpHttpPort, limits: config.limits, pipeline: config.pipeline,
        decodeThreads: config.pipeline.decodeThreads, corsOrigins: config.corsOrigins, retryAfterSeconds: config.pipeline.retryAfterSeconds,
        edgeJob: Object.fromEntries(Object.entries(config.edges).filter(([, v]) => v !== undefined)), log,
        authorize: auth.enabled ? httpAuthorizer(auth, 'ingest') : undefined,
        zipkinPort: config.sources.zipkinPort,
        naming: config.sources.naming,
        gateways: { parse: (format) => gatewayParseOptions(config.sources, format) },
        mesh: { intervalSeconds: config.sources.mesh.intervalSeconds, targets: config.sources.mesh.targets.map(meshTarget) },
        kafka: config.kafka ? {
          connection: { brokers: config.kafka.brokers, clientId: config.kafka.clientId, ssl: config.kafka.ssl, sasl: config.kafka.sasl },
          groupId: config.kafka.groupId, otlp: config.kafka.otlp, maxDeadLetterBytes: config.kafka.events.maxPayloadBytes,
          topologyIntervalSeconds: config.kafka.topology.intervalSeconds,
          events: {
            topics: config.kafka.events.topics,
            parse: { storePayload: config.kafka.events.storePayload, maxPayloadBytes: config.kafka.events.maxPayloadBytes, producerHeaders: [config.kafka.events.producerHeader] },
          },
        } : undefined,
      });
    }
    const yoga = mode !== 'collector' ? createPlexusYoga({ store, retentionDays: config.retentionDays, version: VERSION, log, auth }) : undefined;
    const ui = mode !== 'collector' ? createStaticHandler(opts.uiDir) : undefined;
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === '/healthz') {
        res.writeHead(ready ? 200 : 503, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ status: ready ? 'ok' : 'starting', mode, version: VERSION }));
        return;
      }
      if (path === '/metrics') return opts.metrics(req, res);
      if (yoga && path.startsWith('/graphql')) return void yoga.handle(req, res);
      if (path === '/api/catalog/import' && req.method === 'POST' && mode !== 'collector') return void catalogImportRoute(req, res, store, auth, log);
      // Gateway logs here too, so `plexus ingest` reaches them at PLEXUS_URL (the main port) like every other CLI command.
      if (path.startsWith(INGEST_PREFIX) && req.method === 'POST') {
        if (collector) return void collector.handleGatewayIngest(req, res, path.slice(INGEST_PREFIX.length));
        req.resume();
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: `this Plexus runs in api mode without a collector: send gateway logs to the collector's OTLP/HTTP port (${path})` }));
        return;
      }
      if (ui?.(req, res)) return;
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found\n');
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(config.port, config.host, () => resolve());
    });
    ready = true;
  } catch (err) {
    await collector?.close().catch(() => {});
    server?.close();
    await store.close().catch(() => {});
    throw err;
  }
  const s = server;
  const { catalog } = config;
  // Not awaited: a slow or failing first sync (remote hosts, a broken file) must not hold the server back; it logs instead.
  const catalogSync = mode !== 'collector' && (catalog.locations.length > 0 || catalog.kong.length > 0)
    ? startCatalogSync({ store, locations: catalog.locations, allowedHosts: catalog.allowedHosts, intervalSeconds: catalog.refreshIntervalSeconds, kong: catalog.kong, log, importKong: importKongAdmin })
    : undefined;
  return {
    port: (s.address() as AddressInfo).port,
    otlpHttpPort: collector?.otlpHttpPort,
    zipkinPort: collector?.zipkinPort,
    store,
    collector,
    catalogSync,
    async close() {
      ready = false;
      await catalogSync?.close();
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      s.closeIdleConnections();
      await collector?.close();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 3000).unref())]);
      s.closeAllConnections();
      await store.close();
    },
  };
}
