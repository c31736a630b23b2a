// `npm run bench`: runs the phases, prints the report and writes BENCHMARKS.md.
// Every Plexus child is killed and every temporary directory removed on the way
// out, whether the run succeeds, fails or is interrupted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBenchConfig } from './config.ts';
import { machineFacts, loadAverage } from './machine.ts';
import { buildOtlpBodies, type OtlpBody } from './otlp-bodies.ts';
import { measureStages } from './stage-breakdown.ts';
import { runIngest } from './ingest.ts';
import { runQueryLatency } from './query-latency.ts';
import { runCatalogBench } from './catalog-queries.ts';
import { runKafkaBench } from './kafka-events.ts';
import { runGatewayPhase } from './gateway-phase.ts';
import { runWaterfallBench } from './waterfall-render.ts';
import { killAllChildren } from './plexus-process.ts';
import { renderText, writeReport, type BenchResults } from './report.ts';

const REPORT_FILE = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const config = loadBenchConfig();
const tmpRoot = mkdtempSync(join(tmpdir(), 'plexus-bench-'));
const t0 = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);

function cleanup(): void {
  killAllChildren();
  if (!config.keepData) rmSync(tmpRoot, { recursive: true, force: true });
}
process.on('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping Plexus children and removing ${tmpRoot}`);
    cleanup();
    process.exit(130);
  });
}

async function phase<T>(name: string, results: BenchResults, fn: () => Promise<T>): Promise<T | undefined> {
  log(`— ${name} —`);
  try {
    return await fn();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log(`${name} failed: ${message}`);
    if (err instanceof Error && err.stack) console.error(err.stack);
    results.failures.push({ phase: name, message: message.split('\n')[0]! });
    return undefined;
  }
}

async function main(): Promise<number> {
  log(`Plexus bench (${config.quick ? 'quick' : 'full'}): phases ${config.phases.join(', ')}; temporary data in ${tmpRoot}`);
  const results: BenchResults = {
    startedAt: new Date(), finishedAt: new Date(), config, machine: await machineFacts(tmpRoot), loadAfter: '',
    decodeThreads: Math.max(1, availableParallelism() - 1), failures: [],
  };
  log(`${results.machine.cpuModel} × ${results.machine.nproc}, ${results.machine.memory}, Node ${results.machine.node}, chDB ${results.machine.chdb}, load ${results.machine.loadAverage}`);

  let bodies: OtlpBody[] | undefined;
  const baseMs = Date.now();
  if (config.phases.includes('stages') || config.phases.includes('ingest')) {
    const t = performance.now();
    bodies = buildOtlpBodies(config.bodies, config.spansPerRequest, baseMs);
    const spans = bodies.reduce((n, b) => n + b.spans, 0);
    const bytes = bodies.reduce((n, b) => n + b.bytes.length, 0);
    log(`encoded ${bodies.length} OTLP/protobuf bodies, ${spans.toLocaleString('en-US')} spans, ${(bytes / 2 ** 20).toFixed(1)} MiB (${Math.round(bytes / spans)} bytes/span) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  if (config.phases.includes('stages')) {
    results.stages = await phase('ingest stages', results, () => measureStages(bodies!, config.insertRows, config.insertBatchRows, tmpRoot));
    for (const s of results.stages?.stages ?? []) log(`  ${s.stage}: ${Math.round(s.spansPerSecond).toLocaleString('en-US')} spans/s`);
  }
  if (config.phases.includes('ingest')) {
    log(`sustained ingest for ${config.ingestSeconds} s over ${config.concurrency} connections…`);
    results.ingest = await phase('sustained ingest', results, () => runIngest({
      seconds: config.ingestSeconds, concurrency: config.concurrency, bodies: bodies!, baseMs, tmpRoot, retryCapMs: config.retryCapMs, log,
    }));
    if (results.ingest) log(`  ${Math.round(results.ingest.acceptedPerSecond).toLocaleString('en-US')} spans/s accepted, peak RSS ${Math.round(results.ingest.peakRssBytes / 2 ** 20)} MiB`);
    if (config.isolateEdges) {
      // A pass runs at start (on no data), then not again for a day: ingest alone.
      const yaml = join(tmpRoot, 'edges-paused.yaml');
      writeFileSync(yaml, 'edges:\n  intervalMs: 86400000\n');
      log(`the same ingest with the edge job paused, to isolate its cost…`);
      results.ingestEdgesPaused = await phase('ingest with the edge job paused', results, () => runIngest({
        seconds: config.ingestSeconds, concurrency: config.concurrency, bodies: bodies!, baseMs, tmpRoot, retryCapMs: config.retryCapMs, log,
        plexusEnv: { PLEXUS_CONFIG: yaml }, name: 'plexus-ingest-edges-paused',
      }));
      if (results.ingestEdgesPaused) log(`  ${Math.round(results.ingestEdgesPaused.acceptedPerSecond).toLocaleString('en-US')} spans/s accepted, peak RSS ${Math.round(results.ingestEdgesPaused.peakRssBytes / 2 ** 20)} MiB`);
    }
  }
  bodies = undefined;
  if (config.phases.includes('query')) {
    results.query = await phase('query latency', results, () => runQueryLatency({
      spans: config.querySpans, reps: config.queryReps, warmups: config.queryWarmups, tmpRoot, log,
    }));
  }
  if (config.phases.includes('catalog')) {
    results.catalog = await phase('catalog queries', results, () => runCatalogBench({
      entities: config.catalogEntities, hours: config.catalogHours, tracesPerSecond: config.catalogTracesPerSecond,
      reps: config.queryReps, warmups: config.queryWarmups, tmpRoot, log,
    }));
  }
  if (config.phases.includes('kafka')) {
    results.kafka = await phase('kafka events', results, () => runKafkaBench({
      messages: config.kafkaMessages, partitions: config.kafkaPartitions, tmpRoot, log,
    }));
    if (results.kafka) log(`  ${Math.round(results.kafka.messagesPerSecond).toLocaleString('en-US')} messages/s into kafka_events, ${results.kafka.rowsFinal.toLocaleString('en-US')} rows (FINAL), peak RSS ${Math.round(results.kafka.peakRssBytes / 2 ** 20)} MiB`);
  }
  if (config.phases.includes('gateway')) {
    results.gateway = await phase('gateway logs', results, () => runGatewayPhase({
      formats: config.gatewayFormats, seconds: config.gatewaySeconds, concurrency: config.gatewayConcurrency, linesPerBody: config.gatewayLinesPerBody,
      bodies: config.gatewayBodies, gzip: config.gatewayGzip, retryCapMs: config.retryCapMs, tmpRoot, log,
    }));
  }
  if (config.phases.includes('waterfall')) {
    results.waterfall = await phase('waterfall render', results, () => runWaterfallBench({
      spans: config.waterfallSpans, reps: config.waterfallReps, tmpRoot, log,
    }));
    if (results.waterfall) log(`  ready p50 ${Math.round(results.waterfall.ready.p50)} ms, max ${Math.round(results.waterfall.ready.max)} ms over ${results.waterfall.reps.length} page loads`);
  }
  results.finishedAt = new Date();
  results.loadAfter = loadAverage();

  console.log(`\n${renderText(results)}\n`);
  if (config.writeReport) {
    writeReport(REPORT_FILE, results);
    log(`results written to ${REPORT_FILE}`);
  }
  return results.failures.length ? 1 : 0;
}

main().then(
  (code) => {
    cleanup();
    process.exit(code);
  },
  (err) => {
    console.error(err);
    cleanup();
    process.exit(1);
  },
);
