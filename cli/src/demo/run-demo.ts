// `npm run demo`: sends an online shop's traces to a running Plexus over OTLP/HTTP (protobuf),
// first as history over the last minutes, then live until stopped.
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExportQueue } from './export-queue.ts';
import { startDemoKafka } from './demo-kafka.ts';
import { createDemoTraffic } from './traffic.ts';
import { waitForPlexus } from './wait-for-plexus.ts';

export interface DemoOptions {
  /** Base URL of Plexus's OTLP/HTTP receiver, e.g. http://127.0.0.1:4318. */
  endpoint: string;
  /** Extra HTTP headers, e.g. `authorization: Bearer <token>` when Plexus has tokens configured. */
  headers?: Record<string, string>;
  /** Kafka brokers: the demo's orders also go to the real `orders` topic, read by its consumer groups. */
  kafkaBrokers?: string;
  /** Gateway requests per second (default 20). */
  tracesPerSecond?: number;
  /** How long to send live traffic after the backfill (default: until `signal` aborts). */
  durationSeconds?: number;
  /** Minutes of history sent first so the map and charts are populated at once (default 30). */
  backfillMinutes?: number;
  signal?: AbortSignal;
  /** Makes the run reproducible (ids included); random when absent, and logged. */
  seed?: number;
  log?: (line: string) => void;
}

// Live requests are stamped this far in the past so their downstream spans do not end in the future.
const LIVE_DELAY_MS = 1000;
const TICK_MS = 250;
// Traces built between two sends during the backfill; bounds memory at a few thousand spans.
const BACKFILL_CHUNK = 200;
// After an outage longer than this, live traffic resumes at "now" instead of replaying the gap.
const MAX_CATCH_UP_MS = 5 * 60_000;
const PROGRESS_EVERY_MS = 60_000;

/** Sends demo traffic to Plexus; resolves with what was generated (traces) and delivered (spans) once everything is flushed. */
export async function runDemo(opts: DemoOptions): Promise<{ traces: number; spans: number }> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const endpoint = opts.endpoint.replace(/\/+$/, '');
  const tracesPerSecond = opts.tracesPerSecond ?? 20;
  const backfillMinutes = opts.backfillMinutes ?? 30;
  const seed = opts.seed ?? randomInt(2 ** 31);
  const signal = opts.signal;
  if (!(tracesPerSecond > 0)) throw new RangeError(`tracesPerSecond must be positive, got ${tracesPerSecond}`);
  if (!(backfillMinutes >= 0)) throw new RangeError(`backfillMinutes must be zero or more, got ${backfillMinutes}`);

  const exporter = new OTLPTraceExporter({ url: `${endpoint}/v1/traces`, timeoutMillis: 10_000, ...(opts.headers ? { headers: opts.headers } : {}) });
  const queue = new ExportQueue(signal === undefined ? { exporter, endpoint, log } : { exporter, endpoint, log, signal });
  const kafka = opts.kafkaBrokers ? await startDemoKafka(opts.kafkaBrokers, log) : undefined;
  const traffic = createDemoTraffic(seed, queue, kafka ? (m) => kafka.add(m) : undefined);
  const stopped = (): boolean => signal?.aborted === true;
  let traces = 0;

  log(`Sending demo traffic to ${endpoint}/v1/traces (${tracesPerSecond} traces/s, seed ${seed}).`);
  // The history window is measured from when Plexus answers, not from when we started waiting for it.
  if (!(await waitForPlexus(endpoint, log, signal))) {
    await traffic.tracers.shutdown();
    await kafka?.stop();
    log('Demo traffic stopped before Plexus answered; nothing sent.');
    return { traces: 0, spans: 0 };
  }
  const liveFrom = Date.now() - LIVE_DELAY_MS;
  const nextArrival = traffic.arrivals(liveFrom - backfillMinutes * 60_000, tracesPerSecond);
  let next = nextArrival();

  if (backfillMinutes > 0) {
    const expected = Math.round(tracesPerSecond * backfillMinutes * 60);
    let reported = 0;
    while (next < liveFrom && !stopped()) {
      for (let i = 0; i < BACKFILL_CHUNK && next < liveFrom; i++) {
        traffic.buildTrace(next);
        traces++;
        next = nextArrival();
      }
      await queue.drain();
      await kafka?.flush();
      if (traces - reported >= expected / 4) {
        reported = traces;
        log(`Backfill: ${traces} of about ${expected} traces sent.`);
      }
    }
    log(stopped() ? `Backfill stopped after ${traces} traces.` : `Backfilled ${backfillMinutes} min: ${traces} traces, ${queue.sent} spans.`);
  }

  const endAt = opts.durationSeconds === undefined ? Infinity : Date.now() + opts.durationSeconds * 1000;
  let lastProgress = Date.now();
  while (!stopped() && Date.now() < endAt) {
    const due = Date.now() - LIVE_DELAY_MS;
    if (due - next > MAX_CATCH_UP_MS) {
      log(`Skipped ${Math.round((due - next) / 60_000)} min of traffic that could not be sent while Plexus was unreachable.`);
      while (next < due) next = nextArrival();
    }
    while (next <= due) {
      traffic.buildTrace(next);
      traces++;
      next = nextArrival();
    }
    await queue.drain();
    await kafka?.flush();
    if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = Date.now();
      log(`Live: ${traces} traces, ${queue.sent} spans sent so far.`);
    }
    try {
      await sleep(Math.min(TICK_MS, Math.max(0, endAt - Date.now())), undefined, signal === undefined ? undefined : { signal });
    } catch {
      // Aborted: fall through to the final flush.
    }
  }

  await traffic.tracers.forceFlush();
  await traffic.tracers.shutdown();
  await kafka?.flush();
  await kafka?.stop();
  log(`Demo traffic done: ${traces} traces, ${queue.sent} spans sent${queue.dropped > 0 ? `, ${queue.dropped} spans dropped` : ''}.`);
  return { traces, spans: queue.sent };
}
