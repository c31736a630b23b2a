// Turns the figures into tables: printed to stdout and written into
// BENCHMARKS.md between markers, so a later run replaces only what it measured.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BenchConfig } from './config.ts';
import type { MachineFacts } from './machine.ts';
import type { StageBreakdown } from './stage-breakdown.ts';
import type { IngestResult } from './ingest.ts';
import type { QueryLatencyResult } from './query-latency.ts';
import type { CatalogBenchResult } from './catalog-queries.ts';
import type { KafkaBenchResult } from './kafka-events.ts';
import type { GatewayFormatResult } from './gateway-phase.ts';
import type { WaterfallBenchResult } from './waterfall-render.ts';
import { gatewaySection, gatewayTargetRows } from './gateway-report.ts';
import { PHASES } from './config.ts';
import { fmt, fmtBytes, fmtMs } from './stats.ts';

/** Issue targets on a 2-core machine. */
export const TARGETS = { ingestSpansPerSecond: 100_000, graphMs: 300, traceMs: 50, rssBytes: 1.5 * 1024 ** 3, catalogMs: 200, kafkaMessagesPerSecond: 50_000, waterfallMs: 1000 };

/** Everything one run produced. */
export interface BenchResults {
  startedAt: Date;
  finishedAt: Date;
  config: BenchConfig;
  machine: MachineFacts;
  loadAfter: string;
  decodeThreads: number;
  stages?: StageBreakdown | undefined;
  ingest?: IngestResult | undefined;
  /** The same ingest with the edge job paused, to isolate its cost. */
  ingestEdgesPaused?: IngestResult | undefined;
  query?: QueryLatencyResult | undefined;
  catalog?: CatalogBenchResult | undefined;
  kafka?: KafkaBenchResult | undefined;
  gateway?: GatewayFormatResult[] | undefined;
  waterfall?: WaterfallBenchResult | undefined;
  failures: Array<{ phase: string; message: string }>;
}

type Align = 'l' | 'r';

/** A Markdown table with padded columns, readable as plain text too. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, align: readonly Align[] = []): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const cells = [headers.map(esc), ...rows.map((r) => r.map(esc))];
  const widths = headers.map((_, c) => Math.max(3, ...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) => '| ' + widths.map((w, c) => (align[c] === 'r' ? (r[c] ?? '').padStart(w) : (r[c] ?? '').padEnd(w))).join(' | ') + ' |';
  const rule = '|' + widths.map((w, c) => (align[c] === 'r' ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|';
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}

const status = (met: boolean | undefined) => (met === undefined ? 'n/a' : met ? 'met' : '**MISSED**');

/** The summary's table: `kept` rows (already cells, from an earlier run) then `rows`. */
const summaryTable = (rows: readonly TargetRow[], kept: ReadonlyArray<readonly string[]> = []) =>
  table(['Figure', 'Target', 'Result', 'Status'], [...kept, ...rows.map((x) => [x.figure, x.target, x.result, status(x.met)])], ['l', 'r', 'r', 'l']);

const RSS_FIGURE = 'Plexus process peak RSS';
const RSS_PART = /(ingest|queries) ([\d.,]+) (GiB|MiB)/g;

// Fast is not enough: the page must also have drawn every row and the right critical path.
const waterfallMet = (w: WaterfallBenchResult) => w.ready.p95 <= TARGETS.waterfallMs && w.ok;

export interface TargetRow {
  figure: string;
  target: string;
  result: string;
  met: boolean | undefined;
}

function targetRows(r: BenchResults): TargetRow[] {
  const rows: TargetRow[] = [];
  const i = r.ingest;
  if (i) {
    rows.push({ figure: `OTLP/protobuf ingest, spans/s accepted (sustained ${fmt(i.seconds, 1)} s, ${i.concurrency} connections)`, target: `≥ ${fmt(TARGETS.ingestSpansPerSecond)}`, result: fmt(i.acceptedPerSecond), met: i.acceptedPerSecond >= TARGETS.ingestSpansPerSecond });
    rows.push({ figure: 'OTLP/protobuf ingest, spans/s queryable (rows in otel_traces)', target: `≥ ${fmt(TARGETS.ingestSpansPerSecond)}`, result: fmt(i.queryablePerSecond), met: i.queryablePerSecond >= TARGETS.ingestSpansPerSecond });
  }
  const q = r.query;
  if (q) {
    for (const t of q.queries.filter((x) => x.target !== undefined)) {
      rows.push({ figure: `${t.name} p95 over HTTP (${fmt(q.rowsInStore)} spans)`, target: `≤ ${t.target} ms`, result: `${fmtMs(t.http.p95)} (p50 ${fmtMs(t.http.p50)})`, met: t.http.p95 <= t.target! && t.ok });
    }
  }
  const c = r.catalog;
  if (c) {
    const worst = c.queries.reduce((a, b) => (b.http.p95 > a.http.p95 ? b : a));
    rows.push({ figure: `Slowest catalog query p95 (${fmt(c.entities)} entities, ${c.hours} h of demo traffic): ${worst.name}`, target: `≤ ${TARGETS.catalogMs} ms`, result: fmtMs(worst.http.p95), met: c.queries.every((x) => x.http.p95 <= TARGETS.catalogMs && x.ok) });
  }
  const k = r.kafka;
  if (k) {
    const exact = k.rowsFinal === k.messages && k.rowsRaw === k.messages;
    rows.push({ figure: `Kafka → ClickHouse events, messages/s into kafka_events (${fmt(k.messages)} CloudEvents, ${k.partitions} partitions${exact ? '' : ', **rows ≠ messages**'})`, target: `≥ ${fmt(TARGETS.kafkaMessagesPerSecond)}`, result: fmt(k.messagesPerSecond), met: k.messagesPerSecond >= TARGETS.kafkaMessagesPerSecond && k.rowsFinal === k.messages });
  }
  if (r.gateway?.length) rows.push(...gatewayTargetRows(r.gateway));
  const w = r.waterfall;
  if (w) {
    rows.push({ figure: `Waterfall of ${fmt(w.spans)} spans renders (navigation to first rows with the critical path, p95 of ${w.reps.length} page loads in headless chromium)`, target: `≤ ${fmt(TARGETS.waterfallMs / 1000)} s`, result: `${fmtMs(w.ready.p95)} (p50 ${fmtMs(w.ready.p50)})`, met: waterfallMet(w) });
  }
  const rss = Math.max(i?.peakRssBytes ?? 0, q?.serverPeakRssBytes ?? 0);
  if (i || q) {
    const where = [i ? `ingest ${fmtBytes(i.peakRssBytes)}` : '', q ? `queries ${fmtBytes(q.serverPeakRssBytes)}` : ''].filter(Boolean).join(', ');
    rows.push({ figure: `${RSS_FIGURE} (${where})`, target: `≤ ${fmtBytes(TARGETS.rssBytes)}`, result: fmtBytes(rss), met: rss <= TARGETS.rssBytes });
  }
  return rows;
}

function summarySection(r: BenchResults): string {
  const rows = targetRows(r);
  const failures = r.failures.map((f) => `- **${f.phase} failed:** ${f.message}`).join('\n');
  return [
    `## Summary`,
    '',
    `${r.config.quick ? '**Quick smoke run (BENCH_QUICK=1): smaller than the targets assume, not representative.** ' : ''}Run of ${r.startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}; latency targets are judged on p95.`,
    '',
    summaryTable(rows),
    failures ? `\n${failures}` : '',
  ].join('\n');
}

function runSection(r: BenchResults): string {
  const m = r.machine;
  const c = r.config;
  return [
    '## Run',
    '',
    table(['Item', 'Value'], [
      ['Date', `${r.startedAt.toISOString().replace(/\.\d+Z$/, 'Z')} (took ${fmt((r.finishedAt.getTime() - r.startedAt.getTime()) / 1000)} s)`],
      ['Command', `\`${c.overrides.length ? c.overrides.join(' ') + ' ' : ''}npm run bench\``],
      ['Phases', c.phases.join(', ')],
      ['CPU', `${m.cpuModel}, nproc = ${m.nproc}`],
      ['Memory', m.memory],
      ['OS', m.kernel],
      ['Node', m.node],
      ['chDB (ClickHouse)', m.chdb],
      ['Load average (1/5/15 min)', `before: ${m.loadAverage}; after: ${r.loadAfter}`],
    ]),
  ].join('\n');
}

function stagesSection(s: StageBreakdown, decodeThreads: number): string {
  const us = (x: { spansPerSecond: number }) => 1e6 / x.spansPerSecond;
  const cumulative = s.insertVariants.slice(0, 4);
  return [
    '## Ingest stages, each alone',
    '',
    'Each stage of the ingest path timed alone in the bench process over the same bodies the ingest phase sends. In Plexus, parse and encode run together in the decode worker thread(s); the insert runs in chDB (its TSV parser may use several threads).',
    '',
    table(['Stage', 'Spans', 'Seconds', 'Spans/s', 'µs/span'], s.stages.map((x) => [x.stage, fmt(x.spans), fmt(x.seconds, 2), fmt(x.spansPerSecond), fmt(us(x), 1)]), ['l', 'r', 'r', 'r', 'r']),
    '',
    `One decode worker (parse + encode) tops out at **${fmt(s.workerCeilingSpansPerSecond)} spans/s**; Plexus runs ${decodeThreads} decode thread(s) on this machine (availableParallelism − 1).`,
    '',
    'Where the insert\'s time goes: the same rows inserted into stripped-down copies of otel_traces, each line adding one thing the real insert maintains (wall time; background merges of earlier lines may overlap).',
    '',
    table(['Insert into', 'Rows', 'Seconds', 'Rows/s', 'µs/row', 'Added µs/row'], s.insertVariants.map((x, i) => [
      x.stage, fmt(x.spans), fmt(x.seconds, 2), fmt(x.spansPerSecond), fmt(us(x), 1),
      i > 0 && i < cumulative.length ? fmt(us(x) - us(cumulative[i - 1]!), 1) : '',
    ]), ['l', 'r', 'r', 'r', 'r', 'r']),
  ].join('\n');
}

function ingestDiagnosis(i: IngestResult, s: StageBreakdown | undefined, nproc: number, decodeThreads: number): string[] {
  const lines: string[] = [];
  const cores = i.cpuSeconds / i.seconds;
  const usPerSpan = (i.cpuSeconds / i.spansAccepted) * 1e6;
  const writerBusy = i.server.batchSeconds / i.seconds;
  const bound = writerBusy >= 0.9 ? `the single writer was busy inserting ${fmt(100 * writerBusy)}% of the time, so inserts are the bottleneck (one insert at a time)` : cores >= 0.8 * nproc ? 'it is CPU-bound' : 'it is neither CPU- nor writer-bound: the limit is latency or back-pressure';
  lines.push(`Plexus used **${fmt(cores, 2)} of ${nproc} cores** on average (${fmt(i.cpuSeconds, 1)} CPU-s in ${fmt(i.seconds, 1)} s); ${bound}. The load generator took another ${fmt(i.benchCpuSeconds, 1)} CPU-s.`);
  lines.push(`All-in CPU cost **${fmt(usPerSpan, 1)} µs per span**; at that cost ${fmt(TARGETS.ingestSpansPerSecond)} spans/s needs ${fmt((usPerSpan * TARGETS.ingestSpansPerSecond) / 1e6, 2)} cores.`);
  if (s) {
    const [, parse, encode, insert] = s.stages;
    const per = (sps: number) => TARGETS.ingestSpansPerSecond / sps;
    const total = per(parse!.spansPerSecond) + per(encode!.spansPerSecond) + per(insert!.spansPerSecond);
    lines.push(`Per second of ${fmt(TARGETS.ingestSpansPerSecond)} spans, the stages alone need: parse ${fmt(per(parse!.spansPerSecond), 2)} s + encode ${fmt(per(encode!.spansPerSecond), 2)} s (decode worker) + chDB insert ${fmt(per(insert!.spansPerSecond), 2)} s (wall) = **${fmt(total, 2)} core-seconds**, against ${nproc} cores available.`);
    const ceiling = s.workerCeilingSpansPerSecond * decodeThreads;
    lines.push(`The ${decodeThreads} decode thread(s) cap ingest at about **${fmt(ceiling)} spans/s** (measured alone on an idle core); the run reached ${fmt((100 * i.acceptedPerSecond) / ceiling)}% of that.`);
  }
  const srv = i.server;
  if (Number.isFinite(srv.batches)) {
    lines.push(`Writer: ${fmt(srv.batches)} inserts of ${fmt(srv.meanBatchRows)} rows on average, ${fmt(srv.batchSeconds, 1)} s inserting (${fmt((100 * srv.batchSeconds) / i.seconds)}% of the run); ${fmt((srv.batches * srv.meanBatchRows) / srv.batchSeconds)} rows/s while inserting, ${fmt((1000 * srv.batchSeconds) / srv.batches)} ms per insert; write queue peaked at ${fmt(srv.maxQueueRows)} rows.`);
  }
  if (Number.isFinite(srv.edgePasses)) lines.push(`Edge job alongside: ${fmt(srv.edgePasses)} passes finished in ${fmt(srv.edgePassSeconds, 1)} s (${fmt((100 * srv.edgePassSeconds) / i.seconds)}% of the run, on the same 2 cores; a pass still running when the load stopped is not counted), ${fmt(srv.minutesRecomputed)} minute recomputes. Longest stretch without an acknowledgement: ${fmtMs(i.longestAckGapMs)}.`);
  return lines;
}

function ingestFigures(i: IngestResult): string[][] {
  const rowsMatch = i.rowsInStore === i.spansAccepted && i.server.spansAcceptedMetric === i.spansAccepted;
  const srv = i.server;
  return [
    ['Duration (first request to last acknowledgement)', `${fmt(i.seconds, 1)} s`],
    ['Spans accepted (HTTP 200)', `${fmt(i.spansAccepted)} in ${fmt(i.requestsOk)} requests${i.spansRejected ? `, ${fmt(i.spansRejected)} rejected` : ''}`],
    ['**Spans/s accepted**', `**${fmt(i.acceptedPerSecond)}**`],
    ['Slowest / fastest 5 s window, spans/s', `${fmt(i.slowestWindow)} / ${fmt(i.fastestWindow)}`],
    ['Rows in otel_traces afterwards / `plexus_spans_accepted_total`', `${fmt(i.rowsInStore)} / ${fmt(srv.spansAcceptedMetric)} ${rowsMatch ? '(= acked)' : '(**≠ acked**)'}`],
    ['**Spans/s queryable** (rows / time to last ack)', `**${fmt(i.queryablePerSecond)}**`],
    ['Ack latency per request p50 / p99 / max', `${fmtMs(i.ack.p50)} / ${fmtMs(i.ack.p99)} / ${fmtMs(i.ack.max)}`],
    ['Longest stretch without any acknowledgement', fmtMs(i.longestAckGapMs)],
    ['429 / 503 / other failures', `${fmt(i.status429)} / ${fmt(i.status503)} / ${fmt(i.otherFailures)}${i.failureSamples.length ? ` (${i.failureSamples[0]})` : ''}`],
    ['Plexus CPU (utime + stime)', `${fmt(i.cpuSeconds, 1)} s = ${fmt(i.cpuSeconds / i.seconds, 2)} cores`],
    ['**Plexus peak RSS**', `**${fmtBytes(i.peakRssBytes)}**`],
    ['Inserts: count × mean rows, ms each', Number.isFinite(srv.batches) ? `${fmt(srv.batches)} × ${fmt(srv.meanBatchRows)}, ${fmt((1000 * srv.batchSeconds) / srv.batches)} ms` : 'n/a'],
    ['Edge job passes finished, seconds (share of the run)', Number.isFinite(srv.edgePasses) ? `${fmt(srv.edgePasses)}, ${fmt(srv.edgePassSeconds, 1)} s (${fmt((100 * srv.edgePassSeconds) / i.seconds)}%)` : 'n/a'],
    ['Clean shutdown after the run', i.shutdownClean ? 'yes' : '**no**'],
  ];
}

function ingestSection(i: IngestResult, paused: IngestResult | undefined, s: StageBreakdown | undefined, nproc: number, decodeThreads: number): string {
  const met = i.acceptedPerSecond >= TARGETS.ingestSpansPerSecond;
  const a = ingestFigures(i);
  const b = paused ? ingestFigures(paused) : undefined;
  const diagnosis = ingestDiagnosis(i, s, nproc, decodeThreads);
  if (paused) {
    const gain = (100 * (paused.acceptedPerSecond - i.acceptedPerSecond)) / i.acceptedPerSecond;
    diagnosis.push(`**The edge job's share:** with it paused, the same load gave ${fmt(paused.acceptedPerSecond)} spans/s (${gain >= 0 ? '+' : ''}${fmt(gain)}%), ack p99 ${fmtMs(paused.ack.p99)} and a peak RSS of ${fmtBytes(paused.peakRssBytes)} instead of ${fmtBytes(i.peakRssBytes)}. Each pass recomputes the open minute(s) from scratch, and at ${fmt(i.acceptedPerSecond)} spans/s a minute holds ${fmt(i.acceptedPerSecond * 60)} spans.`);
  }
  return [
    '## Sustained OTLP/protobuf ingest',
    '',
    `Plexus (\`node cli/plexus.ts start\`, embedded chDB) in its own process; ${i.concurrency} keep-alive HTTP connections from the bench send ${fmt(i.distinctBodies)} pre-encoded bodies of ~${fmt(i.spansPerRequest)} spans in rotation, each moved to the current time with fresh trace ids. A 429/503 waits for Retry-After (at most the retry cap) and resends. The load is closed-loop, so enough connections are needed to keep Plexus's write batches full.${paused ? ' The second column repeats the run with the edge job paused (`edges.intervalMs` of a day in a plexus.yaml), to isolate its cost.' : ''}`,
    '',
    b
      ? table(['Figure', 'Default settings', 'Edge job paused'], a.map((r, k) => [r[0]!, r[1]!, b[k]![1]!]), ['l', 'r', 'r'])
      : table(['Figure', 'Default settings'], a, ['l', 'r']),
    '',
    met ? '### Where the time goes' : '### Where the time goes (target missed)',
    '',
    ...diagnosis.map((l) => `- ${l}`),
  ].join('\n');
}

function querySection(q: QueryLatencyResult): string {
  const g = q.generated;
  const e = q.edgeJob;
  const parts = [
    '## Query latency over 24 hours',
    '',
    `${fmt(g.spans)} spans in ${fmt(g.traces)} traces (70% gateway → service → service with databases and external APIs, 8 spans; 30% order → \`orders\` topic → consumer, 6 spans; ${'1.5%'} failing), generated inside ClickHouse with \`INSERT … SELECT … FROM numbers()\` and spread evenly over the 24 h before the run. Edges and RED were then recomputed for every minute by one \`EdgeJob.runOnce()\`, and a Plexus process was started on the data; queries go over HTTP to its GraphQL endpoint, one at a time.`,
    '',
    table(['Figure', 'Value'], [
      ['Rows in otel_traces', fmt(q.rowsInStore)],
      ['Generation', `${fmt(g.seconds, 1)} s (${fmt(g.spans / g.seconds)} spans/s)`],
      ['Data on disk', fmtBytes(q.diskBytes)],
      ['**Full edge/RED recompute**', `**${fmt(e.seconds, 1)} s for ${fmt(e.minutes)} minutes** (${fmt(e.minutes / e.seconds, 1)} minutes/s, ${fmt(q.rowsInStore / e.seconds)} spans/s)`],
      ['Bench process peak RSS while generating / recomputing (chDB in-process)', `${fmtBytes(q.generatorPeakRssBytes)} / ${fmtBytes(e.peakRssBytes)}`],
      ['Plexus peak RSS while answering queries', fmtBytes(q.serverPeakRssBytes)],
    ], ['l', 'r']),
    '',
    'Edge recompute, by statement:',
    '',
    table(['Statement', 'Count', 'Total'], e.statements.map((s) => [s.label, fmt(s.count), fmtMs(s.ms)]), ['l', 'r', 'r']),
    '',
    `GraphQL over HTTP, ${q.queries[0]?.http.count ?? 0} repetitions after warm-up:`,
    '',
    table(['Query', 'Target', 'p50', 'p95', 'max', 'In-process', 'Answer check', 'Status'], q.queries.map((x) => [
      x.name, x.target !== undefined ? `≤ ${x.target} ms` : '—', fmtMs(x.http.p50), fmtMs(x.http.p95), fmtMs(x.http.max), fmtMs(x.inProcessMs), x.check,
      x.target !== undefined ? status(x.http.p95 <= x.target && x.ok) : x.ok ? 'ok' : '**WRONG**',
    ]), ['l', 'r', 'r', 'r', 'r', 'r', 'l', 'l']),
    '',
    '### Where the time goes',
    '',
    'Each query run in-process through the same GraphQL schema with a timing store (median of 3 runs). Statements of one resolver level run concurrently, so their times can add up to more than the query. Rows are ClickHouse\'s `EXPLAIN ESTIMATE` of what each statement reads.',
    '',
    table(['Query', 'Statement', 'Count', 'Time', 'Rows to read'], q.queries.flatMap((x) => x.statements.map((s, k) => [k === 0 ? `${x.name} (${fmtMs(x.inProcessMs)})` : '', s.label, fmt(s.count), fmtMs(s.ms), s.estimatedRows ?? ''])), ['l', 'l', 'r', 'r', 'l']),
    '',
    'Probes: the two targeted reads again, each line adding one piece of work (median of repeated runs, in-process):',
    '',
    table(['Probe', 'Time', 'What it shows'], q.probes.map((p) => [p.probe, fmtMs(p.ms), p.note]), ['l', 'r', 'l']),
  ];
  return parts.join('\n');
}

function catalogSection(c: CatalogBenchResult): string {
  return [
    '## Catalog queries at company scale',
    '',
    `A synthetic catalog (domains, systems, teams, people, components, OpenAPI APIs of 6 operations, resources; bench/catalog-landscape.ts) plus the demo shop's own catalog, imported with \`importCatalog\`; then ${c.hours} h of the demo's traffic sent over OTLP/HTTP with \`runDemo\` (backfill), and edges and operations recomputed. Plexus runs in the bench process (embedded chDB); queries go over HTTP to its GraphQL endpoint, one at a time.`,
    '',
    table(['Figure', 'Value'], [
      ['Entities / relations / API operations', `${fmt(c.entities)} / ${fmt(c.relations)} / ${fmt(c.operations)}`],
      ['Import (files read, validated, definitions parsed, written)', `${fmt(c.importSeconds, 1)} s (${fmt(c.entities / c.importSeconds)} entities/s), ${c.importErrors} problems`],
      ['Demo traffic', `${fmt(c.traces)} traces, ${fmt(c.spans)} spans over ${c.hours} h, sent in ${fmt(c.sendSeconds, 1)} s`],
      ['Edge and operation recompute of that traffic', `${fmt(c.recomputeSeconds, 1)} s`],
      ['Bench process peak RSS (Plexus and load generator together)', fmtBytes(c.peakRssBytes)],
    ], ['l', 'r']),
    '',
    `GraphQL over HTTP, ${c.queries[0]?.http.count ?? 0} repetitions after warm-up:`,
    '',
    table(['Query', 'Target', 'p50', 'p95', 'max', 'Answer check', 'Status'], c.queries.map((x) => [
      x.name, `≤ ${TARGETS.catalogMs} ms`, fmtMs(x.http.p50), fmtMs(x.http.p95), fmtMs(x.http.max), x.check, status(x.http.p95 <= TARGETS.catalogMs && x.ok),
    ]), ['l', 'r', 'r', 'r', 'r', 'l', 'l']),
  ].join('\n');
}

function kafkaSection(k: KafkaBenchResult, nproc: number): string {
  const met = k.messagesPerSecond >= TARGETS.kafkaMessagesPerSecond;
  const cores = k.cpuSeconds / (k.seconds + k.startupSeconds);
  const usPerMessage = (k.cpuSeconds / k.messages) * 1e6;
  const exact = k.rowsFinal === k.messages;
  const insertShare = Number.isFinite(k.insertSeconds) ? k.insertSeconds / k.seconds : NaN;
  return [
    '## Kafka events',
    '',
    `A Kafka ${k.brokerVersion} broker (one KRaft node on loopback, test/kafka-broker.ts) and a topic of ${k.partitions} partitions, pre-filled with ${fmt(k.messages)} CloudEvents in binary mode (\`ce_*\` headers, \`traceparent\`, a JSON order of ~${fmt(k.meanValueBytes)} bytes) by kafkajs in uncompressed batches of 5,000 (acks=1, 4 in flight); producing is not part of the figure. Then Plexus (\`node cli/plexus.ts start\`) in its own process, with the topic as its only event topic, consumes it from the beginning: one insert per fetched batch, offsets committed after the insert. The time runs from the first accepted record (\`plexus_kafka_events_accepted_total\` on /metrics, polled every 50 ms) to the moment the group's committed offsets cover every record (kafkajs admin, polled every 100 ms); records already accepted at that first sighting are left out of the rate. Afterwards, with Plexus stopped, the store is opened in-process and the topic's rows counted.`,
    '',
    table(['Figure', 'Value'], [
      ['Produce (not timed in the figure)', `${fmt(k.produceSeconds, 1)} s, ${fmt(k.messages / k.produceSeconds)} messages/s; ${fmt(k.meanValueBytes)} value + ${fmt(k.meanHeaderBytes)} header bytes per message`],
      ['Plexus healthy → first record accepted (group join, first fetch and insert)', `${fmt(k.startupSeconds, 1)} s (${fmt(k.acceptedAtFirst)} records accepted when first seen)`],
      ['First accepted → last committed', `${fmt(k.seconds, 1)} s`],
      ['**Messages/s into kafka_events**', `**${fmt(k.messagesPerSecond)}**`],
      ['Rows for the topic: `FINAL` / all / distinct (partition, offset)', `${fmt(k.rowsFinal)} / ${fmt(k.rowsRaw)} / ${fmt(k.distinctOffsets)} ${exact ? '(= produced: no loss, no duplicates)' : '(**≠ produced**)'}`],
      ['`plexus_kafka_events_accepted_total` / rejected; dead letters', `${fmt(k.acceptedMetric)} / ${fmt(k.rejectedMetric)}; ${fmt(k.deadLetters)}`],
      ['Inserts: count × mean rows, ms each, share of the time', Number.isFinite(k.inserts) && k.inserts > 0 ? `${fmt(k.inserts)} × ${fmt(k.acceptedMetric / k.inserts)}, ${fmt((1000 * k.insertSeconds) / k.inserts)} ms, ${fmt(100 * insertShare)}%` : 'n/a'],
      ['Plexus CPU (utime + stime, from healthy to done)', `${fmt(k.cpuSeconds, 1)} s = ${fmt(cores, 2)} of ${nproc} cores; ${fmt(usPerMessage, 1)} µs per message`],
      ['**Plexus peak RSS**', `**${fmtBytes(k.peakRssBytes)}**`],
      ['Clean shutdown after the run', k.shutdownClean ? 'yes' : '**no**'],
    ], ['l', 'r']),
    '',
    met ? `Target ≥ ${fmt(TARGETS.kafkaMessagesPerSecond)} messages/s: met.` : `Target ≥ ${fmt(TARGETS.kafkaMessagesPerSecond)} messages/s: **missed**.`,
  ].join('\n');
}

function waterfallSection(w: WaterfallBenchResult): string {
  const worst = (f: (x: WaterfallBenchResult['scroll'][number]) => number) => Math.max(...w.scroll.map(f));
  return [
    '## Trace waterfall in the browser',
    '',
    `The UI built from the current source (\`npm run build -w ui\`, ${fmt(w.buildSeconds, 1)} s) and served by an in-process Plexus (embedded chDB); one trace of ${fmt(w.spans)} spans over ${w.services} services, ${w.maxDepth + 1} levels deep (an entry span fanning out into RPCs as client/server span pairs, database calls and internal spans, siblings mostly in sequence), sent as one OTLP/JSON body of ${fmtBytes(w.payloadBytes)} and stored in ${fmt(w.sendSeconds, 1)} s. Then \`/traces/<id>\` was opened ${w.reps.length} times in headless chromium (\`--headless --no-sandbox --disable-gpu\`, 1600 × 1000, a fresh browser context each time, so nothing cached). **Ready** is the page's \`performance.now()\` (from navigation start) taken after the frame that painted the first rows with the critical path (\`data-ready-ms\`); the API columns are the trace query's request from the browser's resource timing. Then a 2 s programmatic scroll (\`scrollTop\` set every animation frame) through all ${fmt(w.spans)} rows; frame times are the gaps between animation frames.`,
    '',
    table(['Page load', 'Ready', 'Trace query done', 'Trace query alone', 'Rendered after the answer', 'Rows in the DOM', 'Scroll frames', 'Mean frame', 'p95 frame', 'Worst frame', 'Frames > 50 ms'], w.reps.map((r, i) => {
      const s = w.scroll[i]!;
      return [String(i + 1), fmtMs(r.readyMs), fmtMs(r.apiDoneMs), fmtMs(r.apiMs), fmtMs(r.readyMs - r.apiDoneMs), fmt(r.domRows), fmt(s.frames), fmtMs(s.meanFrameMs), fmtMs(s.p95FrameMs), fmtMs(s.worstFrameMs), fmt(s.longFrames)];
    }), ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']),
    '',
    table(['Figure', 'Value'], [
      ['Trace: spans / services / levels / duration / critical-path segments', `${fmt(w.spans)} / ${w.services} / ${w.maxDepth + 1} / ${fmtMs(w.traceDurationMs)} / ${fmt(w.criticalPathSegments)}`],
      ['**Ready** p50 / p95 / max', `**${fmtMs(w.ready.p50)}** / ${fmtMs(w.ready.p95)} / ${fmtMs(w.ready.max)}`],
      ['Scroll: mean frame (worst load) / worst frame (any load)', `${fmtMs(worst((s) => s.meanFrameMs))} / ${fmtMs(worst((s) => s.worstFrameMs))}`],
      ['Answer check', w.check],
    ], ['l', 'r']),
    '',
    `Target ≤ ${fmt(TARGETS.waterfallMs / 1000)} s (p95): ${waterfallMet(w) ? 'met' : '**missed**'}.`,
  ].join('\n');
}

const INTRO = `# Plexus benchmarks

\`npm run bench\` (\`node bench/run.ts\`) measures Plexus against the issue's targets for a 2-core machine:
≥ 100,000 spans/s sustained OTLP/protobuf ingest, \`dependencyGraph\` over 24 h ≤ 300 ms, \`trace\` ≤ 50 ms,
and at most 1.5 GiB RSS; catalog queries ≤ 200 ms with 5,000 entities and a day of demo traffic.
Kafka → ClickHouse events ≥ 50,000 messages/s; gateway access logs ≥ 100,000 lines/s; over the same 10M
spans, \`traces\` search ≤ 500 ms, \`trace\` of a 10,000-span trace ≤ 200 ms and \`graphDiff\` of two 24 h
windows ≤ 500 ms; that trace's waterfall drawn in the browser ≤ 1 s.
It runs seven phases, each in fresh temporary data directories:

1. **Ingest stages** — decode, encode and chDB insert each timed alone, to show each stage's ceiling.
2. **Sustained ingest** — a real Plexus process fed over OTLP/HTTP for 60 s; its RSS and CPU are read from \`/proc\`.
   The run is repeated with the edge job paused, to show what the edge job costs while ingesting.
3. **Query latency** — 10M spans over 24 h generated inside ClickHouse, edges recomputed, GraphQL timed over HTTP.
4. **Catalog queries** — 5,000 entities imported, 24 h of the demo shop's traffic sent, catalog, consumer, reuse and
   governance queries timed over HTTP.
5. **Kafka events** — 1M CloudEvents (binary mode) produced into a 6-partition topic on a real Kafka 3.9 broker, then
   consumed by a Plexus process into \`kafka_events\`; timed from the first accepted record to the last committed offset.
6. **Gateway logs** — Kong http-log NDJSON, then Envoy default text lines, POSTed to \`/ingest/{format}\` of a Plexus
   process for 60 s each (10,000 lines per body, 4 in flight); every accepted line checked in \`api_calls\` afterwards.
7. **Trace waterfall** — one 10,000-span trace sent over OTLP/HTTP, \`/traces/<id>\` opened 5 times in headless chromium:
   time to the first rows with the critical path, then frame times of a 2 s scroll through every row.

Settings (environment): \`BENCH_QUICK=1\` (10 s ingest, 1M spans: a smoke run of a few minutes),
\`BENCH_INGEST_SECONDS\`, \`BENCH_SPANS\`, \`BENCH_CONCURRENCY\` (32), \`BENCH_SPANS_PER_REQUEST\` (2000),
\`BENCH_BODIES\` (100), \`BENCH_RETRY_CAP_MS\` (1000), \`BENCH_INSERT_ROWS\`, \`BENCH_QUERY_REPS\` (20),
\`BENCH_QUERY_WARMUPS\` (2), \`BENCH_ISOLATE_EDGES=0\` (skip the second ingest run with the edge job paused),
\`BENCH_CATALOG_ENTITIES\` (5000), \`BENCH_CATALOG_HOURS\` (24), \`BENCH_CATALOG_TRACES_PER_SECOND\` (2),
\`BENCH_KAFKA_MESSAGES\` (1,000,000; quick 200,000), \`BENCH_KAFKA_PARTITIONS\` (6), \`KAFKA_BROKERS\` (use that broker
instead of starting one), \`BENCH_GATEWAY_SECONDS\` (60), \`BENCH_GATEWAY_CONCURRENCY\` (4), \`BENCH_GATEWAY_LINES\` (10,000 per body),
\`BENCH_GATEWAY_BODIES\` (8), \`BENCH_GATEWAY_GZIP=1\` (gzip the bodies), \`BENCH_GATEWAY_FORMATS=kong,envoy\` (a subset), \`BENCH_WATERFALL_SPANS\` (10,000), \`BENCH_WATERFALL_REPS\` (5),
\`BENCH_ONLY=stages,ingest,query,catalog,kafka,gateway,waterfall\` (a subset; only its sections and summary rows are replaced),
\`BENCH_KEEP_DATA=1\` (keep the temporary directories), \`BENCH_WRITE_REPORT=0\` (print only),
\`BENCH_PLEXUS_NODE_ARGS\` (node flags for the Plexus processes, e.g. \`--cpu-prof\`).

Figures depend on the machine and on what else runs on it: the load average is recorded with each run.
Everything below the line is rewritten by the bench.

---
`;

type SectionName = 'summary' | 'run' | 'stages' | 'ingest' | 'query' | 'catalog' | 'kafka' | 'gateway' | 'waterfall';

function sections(r: BenchResults): Partial<Record<SectionName, string>> {
  const nproc = Number(r.machine.nproc) || 2;
  const out: Partial<Record<SectionName, string>> = { run: runSection(r) };
  // A partial run keeps the previous summary, only its own rows replaced (writeReport): a fresh one would drop the figures it did not measure.
  if (r.config.phases.length === PHASES.length) out.summary = summarySection(r);
  if (r.stages) out.stages = stagesSection(r.stages, r.decodeThreads);
  if (r.ingest) out.ingest = ingestSection(r.ingest, r.ingestEdgesPaused, r.stages, nproc, r.decodeThreads);
  if (r.query) out.query = querySection(r.query);
  if (r.catalog) out.catalog = catalogSection(r.catalog);
  if (r.kafka) out.kafka = kafkaSection(r.kafka, nproc);
  if (r.gateway?.length) out.gateway = gatewaySection(r.gateway, table, nproc, r.decodeThreads);
  if (r.waterfall) out.waterfall = waterfallSection(r.waterfall);
  return out;
}

const ORDER: readonly SectionName[] = ['summary', 'run', 'stages', 'ingest', 'query', 'catalog', 'kafka', 'gateway', 'waterfall'];
const begin = (n: SectionName) => `<!-- bench:${n}:begin -->`;
const end = (n: SectionName) => `<!-- bench:${n}:end -->`;

// A row's identity across runs: its figure up to the first parenthesis (which holds run details).
const rowKey = (figure: string) => figure.split(' (')[0]!.trim();

/**
 * A partial run's target rows merged into the summary table already in `body`:
 * rows with the same key are replaced, new ones appended, the rest kept; the
 * RSS row spans phases, so only the phases measured are replaced in it.
 */
export function mergeSummaryRows(body: string, fresh: readonly TargetRow[]): string {
  const lines = body.split('\n');
  const first = lines.findIndex((l) => l.startsWith('| '));
  if (first < 0 || fresh.length === 0) return body;
  let last = first;
  while (last + 1 < lines.length && lines[last + 1]!.startsWith('|')) last++;
  // Header and rule first; cells are split on unescaped pipes.
  const cells = lines.slice(first + 2, last + 1).map((l) => l.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|')));
  const rows = fresh.map((x) => (x.figure.startsWith(RSS_FIGURE) ? mergedRssRow(x, cells.find((c) => c[0]?.startsWith(RSS_FIGURE))?.[0]) : x));
  const keys = new Set(rows.map((x) => rowKey(x.figure)));
  const kept = cells.filter((c) => !keys.has(rowKey(c[0] ?? '')));
  return [...lines.slice(0, first), summaryTable(rows, kept), ...lines.slice(last + 1)].join('\n');
}

/**
 * The peak-RSS row of a partial run: the phases it measured (ingest or
 * queries) replace theirs in the previous row, the other keeps its figure,
 * and the result is the larger.
 */
function mergedRssRow(fresh: TargetRow, previous: string | undefined): TargetRow {
  const parts = new Map<string, number>();
  for (const figure of [previous ?? '', fresh.figure]) {
    for (const [, phase, value, unit] of figure.matchAll(RSS_PART)) parts.set(phase!, Number(value!.replace(/,/g, '')) * 1024 ** (unit === 'GiB' ? 3 : 2));
  }
  const rss = Math.max(...parts.values());
  const where = [...parts].map(([phase, bytes]) => `${phase} ${fmtBytes(bytes)}`).join(', ');
  return { figure: `${RSS_FIGURE} (${where})`, target: fresh.target, result: fmtBytes(rss), met: rss <= TARGETS.rssBytes };
}

/** The report as printed to stdout. */
export function renderText(r: BenchResults): string {
  const s = sections(r);
  if (!s.summary) s.summary = summarySection(r);
  return ORDER.map((n) => s[n]).filter(Boolean).join('\n\n');
}

/** The document with its introduction (everything before the first section) as this version of the bench writes it. */
function withIntro(doc: string): string {
  const first = doc.indexOf('<!-- bench:');
  return first < 0 ? doc : `${INTRO}\n${doc.slice(first)}`;
}

/** Writes the sections this run produced into `file`, creating it (with an introduction) if needed; the introduction is always this version's. */
export function writeReport(file: string, r: BenchResults): void {
  const s = sections(r);
  let doc = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (!doc.includes(begin('run'))) doc = INTRO + ORDER.map((n) => `\n${begin(n)}\n_Not measured yet._\n${end(n)}\n`).join('');
  else doc = withIntro(doc);
  if (s.summary === undefined) {
    const a = doc.indexOf(begin('summary'));
    const b = doc.indexOf(end('summary'));
    if (a >= 0 && b > a) s.summary = mergeSummaryRows(doc.slice(a + begin('summary').length + 1, b - 1), targetRows(r));
  }
  for (const n of ORDER) {
    const body = s[n];
    if (body === undefined) continue;
    const block = `${begin(n)}\n${body}\n${end(n)}`;
    const a = doc.indexOf(begin(n));
    const b = doc.indexOf(end(n));
    doc = a >= 0 && b > a ? doc.slice(0, a) + block + doc.slice(b + end(n).length) : `${doc.trimEnd()}\n\n${block}\n`;
  }
  writeFileSync(file, doc);
}
