// The gateway phase's section of BENCHMARKS.md and its summary rows.
import type { GatewayFormatResult } from './gateway-phase.ts';
import type { GatewayIngestResult } from './gateway-ingest.ts';
import { fmt, fmtBytes, fmtMs } from './stats.ts';

/** Lines/s accepted the issue asks of gateway-log ingest on 2 cores. */
export const GATEWAY_TARGET_LINES_PER_SECOND = 100_000;

type Table = (headers: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: ReadonlyArray<'l' | 'r'>) => string;

const label = (i: GatewayIngestResult) => (i.format === 'kong' ? 'Kong http-log NDJSON' : 'Envoy default text format');
/** Every acknowledged line is in api_calls, and the view folded each one into source_edges. */
const exact = (i: GatewayIngestResult) => i.rowsInApiCalls === i.linesAccepted && i.callsInSourceEdges === i.linesAccepted;

/** Summary rows: lines/s accepted per format, met only when api_calls holds every accepted line. */
export function gatewayTargetRows(runs: readonly GatewayFormatResult[]): Array<{ figure: string; target: string; result: string; met: boolean }> {
  return runs.map(({ ingest: i }) => ({
    figure: `Gateway logs, ${label(i)}, lines/s accepted (sustained ${fmt(i.seconds, 1)} s, ${i.concurrency} in flight${exact(i) ? '' : ', **rows ≠ accepted**'})`,
    target: `≥ ${fmt(GATEWAY_TARGET_LINES_PER_SECOND)}`,
    result: fmt(i.acceptedPerSecond),
    met: i.acceptedPerSecond >= GATEWAY_TARGET_LINES_PER_SECOND && exact(i),
  }));
}

function figures(i: GatewayIngestResult): string[][] {
  return [
    ['Body', `${fmt(i.linesPerRequest)} lines, ${fmt(i.meanLineBytes)} bytes/line, ${fmtBytes(i.meanWireBytes)} on the wire${i.gzip ? ' (gzip)' : ' (uncompressed)'}; ${fmt(i.distinctBodies)} bodies in rotation`],
    ['Duration (first request to last acknowledgement)', `${fmt(i.seconds, 1)} s`],
    ['Lines accepted (HTTP 200 answers)', `${fmt(i.linesAccepted)} in ${fmt(i.requestsOk)} requests, ${fmt(i.linesRejected)} rejected${i.rejectSamples[0] ? ` (${i.rejectSamples[0]})` : ''}`],
    ['**Lines/s accepted**', `**${fmt(i.acceptedPerSecond)}** (${fmt(i.acceptedMiBPerSecond, 1)} MiB/s of log text)`],
    ['Slowest / fastest 5 s window, lines/s', `${fmt(i.slowestWindow)} / ${fmt(i.fastestWindow)}`],
    ['`count()` FROM api_calls / sum(Calls) in source_edges (gateway) afterwards', `${fmt(i.rowsInApiCalls)} / ${fmt(i.callsInSourceEdges)} ${exact(i) ? '(= accepted)' : '(**≠ accepted**)'}`],
    ['Ack latency per request p50 / p99 / max', `${fmtMs(i.ack.p50)} / ${fmtMs(i.ack.p99)} / ${fmtMs(i.ack.max)}`],
    ['429 / 503 / other failures', `${fmt(i.status429)} / ${fmt(i.status503)} / ${fmt(i.otherFailures)}${i.failureSamples[0] ? ` (${i.failureSamples[0]})` : ''}`],
    ['Plexus CPU (utime + stime)', `${fmt(i.cpuSeconds, 1)} s = ${fmt(i.cpuSeconds / i.seconds, 2)} cores; ${fmt((i.cpuSeconds / i.linesAccepted) * 1e6, 1)} µs per line`],
    ['**Plexus peak RSS**', `**${fmtBytes(i.peakRssBytes)}**`],
    ['api_calls inserts: count × mean rows, ms each, share of the run', Number.isFinite(i.inserts) && i.inserts > 0 ? `${fmt(i.inserts)} × ${fmt(i.insertRows / i.inserts)}, ${fmt((1000 * i.insertSeconds) / i.inserts)} ms, ${fmt((100 * i.insertSeconds) / i.seconds)}% (${fmt(i.insertRows / i.insertSeconds)} rows/s while inserting)` : 'n/a'],
    ['Load generator CPU', `${fmt(i.benchCpuSeconds, 1)} s`],
    ['Clean shutdown after the run', i.shutdownClean ? 'yes' : '**no**'],
  ];
}

/** The `## Gateway-log ingest` section. */
export function gatewaySection(runs: readonly GatewayFormatResult[], table: Table, nproc: number, decodeThreads: number): string {
  const parts = [
    '## Gateway-log ingest',
    '',
    `Plexus (\`node cli/plexus.ts start\`, embedded chDB) in its own process, one fresh data directory per format; ${runs[0]?.ingest.concurrency ?? '?'} keep-alive connections POST pre-built bodies to \`/ingest/{format}\` (the OTLP/HTTP port) as fast as they are acknowledged, a 429/503 waiting for Retry-After. Kong lines are http-log JSON objects shaped like Kong's documented sample (its keys, less the route's and service's admin metadata), Envoy lines are its default text format; both vary over 8 services, 15 routes, 40 consumers (15% anonymous), statuses (~1.5% 5xx, ~4.5% 4xx) and long-tailed latencies (bench/gateway-lines.ts). Bodies are sent ${runs[0]?.ingest.gzip ? 'gzip-compressed, as Fluent Bit\'s http output does with `compress gzip`' : 'uncompressed, as Fluent Bit\'s http output does by default (`compress` unset); BENCH_GATEWAY_GZIP=1 gzips them as `compress gzip` would'}. Lines/s is what the answers' \`accepted\` add up to; afterwards, with Plexus stopped, the store is opened and api_calls counted.`,
    '',
    table(['Figure', ...runs.map((r) => label(r.ingest))], figures(runs[0]!.ingest).map((row, k) => [row[0]!, ...runs.map((r) => figures(r.ingest)[k]![1]!)]), ['l', ...runs.map(() => 'r' as const)]),
  ];
  for (const r of runs) {
    const s = r.stages;
    if (!s) continue;
    const us = (x: { linesPerSecond: number }) => 1e6 / x.linesPerSecond;
    const i = r.ingest;
    parts.push('', `### Where the time goes: ${label(i)}`, '', `Each stage alone in the bench process over the same bodies (${fmt(s.batchRows)}-row insert batches, the size the server's api_calls queue gathers while its writer is busy). In Plexus, parse and encode run in the decode worker (${decodeThreads} thread(s) here, availableParallelism − 1); the insert runs in chDB on a libuv thread.`, '',
      table(['Stage', 'Lines', 'Seconds', 'Lines/s', 'µs/line'], [...s.stages, ...s.insertVariants].map((x) => [x.stage, fmt(x.lines), fmt(x.seconds, 2), fmt(x.linesPerSecond), fmt(us(x), 1)]), ['l', 'r', 'r', 'r', 'r']));
    const insert = s.stages[s.stages.length - 1]!;
    const worker = 1e6 / s.workerCeilingLinesPerSecond;
    const served = Number.isFinite(i.inserts) && i.inserts > 0 ? (1e6 * i.insertSeconds) / i.insertRows : NaN;
    parts.push('', `One decode worker tops out at **${fmt(s.workerCeilingLinesPerSecond)} lines/s** (${fmt(worker, 1)} µs/line); the insert alone at **${fmt(insert.linesPerSecond)} rows/s** (${fmt(us(insert), 1)} µs/row). In the sustained run the api_calls writer was busy ${fmt((100 * i.insertSeconds) / i.seconds)}% of the time at ${fmt(served, 1)} µs/row, while Plexus used ${fmt(i.cpuSeconds / i.seconds, 2)} of ${nproc} cores.`);
  }
  return parts.join('\n');
}
