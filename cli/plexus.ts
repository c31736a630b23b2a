#!/usr/bin/env node
// The `plexus` command. Self-telemetry is registered before anything that
// creates instruments is imported, hence the dynamic imports below.
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { startSelfTelemetry } from './src/self-telemetry.ts';

// Request bodies and encoded rows live outside the JS heap. By default V8
// starts a full collection whenever such external memory has grown by a
// fixed step (about 64 MB), which gateway ingest crosses every few 14 MB
// bodies. Counted within the heap's global limit instead, collections follow
// the heap's real growth: 19.0 -> 18.0 µs of CPU per Kong line, 97k -> 102k
// lines/s (two runs each way; BENCHMARKS.md). Set before any worker thread
// starts, so every isolate gets it; an unknown flag is ignored.
setFlagsFromString('--external-memory-accounted-in-global-limit');

const HELP = `plexus <command> [options]

commands:
  start [--demo]      collector, GraphQL API and UI in one process (embedded ClickHouse unless CLICKHOUSE_URL is set)
  collector           receivers and the write pipeline only (needs CLICKHOUSE_URL to run beside others)
  api                 GraphQL API and UI only
  demo [--endpoint URL] [--duration S] [--rate N]
                      send a demo shop's traffic to a running Plexus over OTLP/HTTP
  catalog import <path-or-glob>...
                      import Backstage catalog files (Locations followed); exit 1 if any file had problems
  catalog import --kong <decK file>...
                      import Kong declarative config: services as APIs, consumers as components
  catalog import --kong-admin URL [--kong-workspace W] [--kong-header 'Name: value']...
                      import from a Kong Admin API (the host of URL is allowed because you named it)
  ingest --format <kong|envoy|istio|aws-apigateway|traefik> <file>...
                      send gateway access-log files (.gz too) to the running Plexus at PLEXUS_URL,
                      or write them to the store when none answers; exit 1 if any record was rejected
  migrate             apply schema migrations and exit
  help                this text

configuration: environment variables and ./plexus.yaml (PLEXUS_CONFIG); see README.md`;

const log = (msg: string, err?: unknown) => {
  const line = `${new Date().toISOString()} ${msg}`;
  if (err === undefined) console.log(line);
  else console.error(`${line}: ${err instanceof Error ? err.message : String(err)}`);
};

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean', default: false },
      endpoint: { type: 'string' },
      duration: { type: 'string' },
      rate: { type: 'string' },
      kong: { type: 'boolean', default: false },
      'kong-admin': { type: 'string' },
      'kong-workspace': { type: 'string' },
      'kong-header': { type: 'string', multiple: true },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0] ?? 'help';
  if (values.help || command === 'help') {
    console.log(HELP);
    return 0;
  }
  const telemetry = startSelfTelemetry();
  const { loadConfig, ConfigError } = await import('./src/config.ts');
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }

  if (command === 'demo') {
    const { runDemo } = await import('./src/demo/run-demo.ts');
    const endpoint = values.endpoint ?? `http://127.0.0.1:${config.otlpHttpPort}`;
    const ac = new AbortController();
    process.once('SIGINT', () => ac.abort());
    process.once('SIGTERM', () => ac.abort());
    const { catalogImport } = await import('./src/catalog-command.ts');
    const { DEMO_CATALOG } = await import('./src/demo/demo-catalog.ts');
    await catalogImport([DEMO_CATALOG], config, (l) => log(`catalog: ${l}`));
    const r = await runDemo({
      endpoint, signal: ac.signal, log: (l) => log(l), headers: demoHeaders(),
      ...(config.kafka ? { kafkaBrokers: config.kafka.brokers.join(',') } : {}),
      ...(values.duration ? { durationSeconds: Number(values.duration) } : {}),
      ...(values.rate ? { tracesPerSecond: Number(values.rate) } : {}),
    });
    log(`demo sent ${r.traces} traces, ${r.spans} spans`);
    return 0;
  }

  if (command === 'migrate') {
    const { openStore, migrate } = await import('@plexus/store');
    const store = await openStore({ ...config.clickhouse, dataDir: config.dataDir });
    const applied = await migrate(store, { retentionDays: config.retentionDays });
    log(applied.length ? `applied migrations ${applied.join(', ')}` : 'schema is up to date');
    await store.close();
    return 0;
  }

  if (command === 'start' || command === 'collector' || command === 'api') {
    const { startPlexus } = await import('./src/server.ts');
    const { ensureUiBuilt, UI_DIST } = await import('./src/ui-build.ts');
    const mode = command === 'start' ? 'all' : command;
    if (mode !== 'collector') ensureUiBuilt(log);
    // The demo with a broker writes its orders to Kafka: read them as events unless told otherwise.
    if (values.demo && config.kafka && config.kafka.events.topics.length === 0) config.kafka.events.topics = ['orders'];
    const plexus = await startPlexus({ mode, config, metrics: telemetry.handler, uiDir: UI_DIST, log });
    const store = config.clickhouse.url ? `ClickHouse at ${config.clickhouse.url}` : `embedded ClickHouse (chDB) in ${config.dataDir}`;
    log(`Plexus ${mode} ready: ${store}`);
    if (mode !== 'collector') log(`UI and GraphQL: http://${config.host}:${plexus.port}/  (GraphQL at /graphql)`);
    if (plexus.otlpHttpPort) log(`OTLP/HTTP: http://${config.host}:${plexus.otlpHttpPort}/v1/traces; gateway access logs: /ingest/{kong|envoy|istio|aws-apigateway|traefik}`);
    if (plexus.zipkinPort) log(`Zipkin v2: http://${config.host}:${plexus.zipkinPort}/api/v2/spans`);
    if (config.sources.mesh.targets.length > 0) log(`mesh metrics: ${config.sources.mesh.targets.length} target(s), every ${config.sources.mesh.intervalSeconds} s`);
    const ac = new AbortController();
    let demo: Promise<unknown> | undefined;
    if (values.demo && plexus.otlpHttpPort) {
      const { runDemo } = await import('./src/demo/run-demo.ts');
      const { importCatalog } = await import('@plexus/catalog');
      const { DEMO_CATALOG } = await import('./src/demo/demo-catalog.ts');
      const imported = await importCatalog(plexus.store, [DEMO_CATALOG]);
      log(`demo: catalog imported (${Object.values(imported.entities).reduce((a, b) => a + b, 0)} entities, ${imported.operations} API operations)`);
      demo = runDemo({ endpoint: `http://127.0.0.1:${plexus.otlpHttpPort}`, signal: ac.signal, log: (l) => log(`demo: ${l}`), headers: demoHeaders(), ...(config.kafka ? { kafkaBrokers: config.kafka.brokers.join(',') } : {}) }).catch((err) => log('demo stopped', err));
    }
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    log('shutting down…');
    ac.abort();
    await demo;
    await plexus.close();
    await telemetry.shutdown();
    return 0;
  }

  if (command === 'catalog' && positionals[1] === 'import') {
    const { catalogImport, expandRoots, kongSource } = await import('./src/catalog-command.ts');
    const source = kongSource(values.kong, values['kong-admin'], values['kong-workspace'], values['kong-header'] ?? []);
    if (typeof source === 'string') {
      console.error(source);
      return 2;
    }
    return catalogImport(expandRoots(positionals.slice(2)), config, (line) => console.log(line), source);
  }

  if (command === 'ingest') {
    const { ingestCommand } = await import('./src/ingest-command.ts');
    return ingestCommand({ format: values.format, files: positionals.slice(1), config, out: (line) => console.log(line), err: process.stderr });
  }

  if (command === 'catalog') {
    console.error(`"plexus ${command}" is not available in this version yet`);
    return 2;
  }
  console.error(`unknown command "${command}"\n\n${HELP}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    log('fatal', err);
    if (process.env.PLEXUS_DEBUG) console.error(err);
    process.exit(1);
  },
);

/** With tokens configured, the demo sends as PLEXUS_TOKEN (an ingest token) or PLEXUS_ADMIN_TOKEN. */
function demoHeaders(): Record<string, string> {
  const token = process.env.PLEXUS_TOKEN ?? process.env.PLEXUS_ADMIN_TOKEN;
  return token ? { authorization: `Bearer ${token}` } : {};
}
