// The gateway phase: for Kong http-log NDJSON and Envoy default text lines in
// turn, each stage timed alone, then a sustained run against a fresh Plexus.
import { buildGatewayBodies, type GatewayBenchFormat } from './gateway-lines.ts';
import { measureGatewayStages, type GatewayStageBreakdown } from './gateway-stages.ts';
import { runGatewayIngest, type GatewayIngestResult } from './gateway-ingest.ts';
import { API_CALLS_MIN_BATCH_ROWS } from '../collector/src/collector.ts';

/** How to drive the gateway phase. */
export interface GatewayPhaseOptions {
  formats: readonly GatewayBenchFormat[];
  seconds: number;
  concurrency: number;
  linesPerBody: number;
  bodies: number;
  gzip: boolean;
  retryCapMs: number;
  tmpRoot: string;
  log: (line: string) => void;
}

/** One format's figures. */
export interface GatewayFormatResult {
  ingest: GatewayIngestResult;
  stages: GatewayStageBreakdown | undefined;
}

/** Runs the gateway phase over every format; a format whose stage breakdown fails still gets its sustained run. */
export async function runGatewayPhase(opts: GatewayPhaseOptions): Promise<GatewayFormatResult[]> {
  const out: GatewayFormatResult[] = [];
  for (const format of opts.formats) {
    const t = performance.now();
    const bodies = buildGatewayBodies(format, opts.bodies, opts.linesPerBody, opts.gzip, Date.now());
    const raw = bodies.reduce((n, b) => n + b.rawBytes, 0);
    opts.log(`${format}: built ${bodies.length} bodies of ${opts.linesPerBody.toLocaleString('en-US')} lines, ${(raw / 2 ** 20).toFixed(1)} MiB (${Math.round(raw / (bodies.length * opts.linesPerBody))} bytes/line)${opts.gzip ? ', gzip' : ''} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    let stages: GatewayStageBreakdown | undefined;
    try {
      // Batches the size the server's api_calls queue formed in the sustained runs (a few requests' rows).
      stages = await measureGatewayStages(format, bodies, opts.gzip, 400_000, API_CALLS_MIN_BATCH_ROWS, opts.tmpRoot);
      for (const s of [...stages.stages, ...stages.insertVariants]) opts.log(`  ${s.stage}: ${Math.round(s.linesPerSecond).toLocaleString('en-US')} lines/s`);
    } catch (err) {
      opts.log(`  ${format} stage breakdown failed: ${(err as Error).message}`);
    }
    opts.log(`${format}: sustained ingest for ${opts.seconds} s, ${opts.concurrency} requests in flight…`);
    const ingest = await runGatewayIngest({ format, seconds: opts.seconds, concurrency: opts.concurrency, bodies, gzip: opts.gzip, tmpRoot: opts.tmpRoot, retryCapMs: opts.retryCapMs, log: opts.log });
    opts.log(`  ${format}: ${Math.round(ingest.acceptedPerSecond).toLocaleString('en-US')} lines/s accepted, ${ingest.rowsInApiCalls.toLocaleString('en-US')} rows in api_calls for ${ingest.linesAccepted.toLocaleString('en-US')} accepted, peak RSS ${Math.round(ingest.peakRssBytes / 2 ** 20)} MiB`);
    out.push({ ingest, stages });
  }
  return out;
}
