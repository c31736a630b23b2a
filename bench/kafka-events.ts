// Kafka -> ClickHouse events: N CloudEvents (binary mode) produced into a
// 6-partition topic first, then a Plexus process started on it that consumes
// the topic as an event topic; timed from the first accepted record to the
// last committed offset. chDB binds a data directory to one process, so
// progress is read through Plexus's /metrics and the group's committed offsets,
// and the rows are counted in-process only after Plexus has stopped.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel, CompressionTypes, type Message } from 'kafkajs';
import { openStore, sql } from '@plexus/store';
import { startKafkaBroker, type KafkaBroker } from '../test/kafka-broker.ts';
import { startPlexus } from './plexus-process.ts';
import { RssSampler, readCpuSeconds } from './process-stats.ts';
import { scrapeMetrics, metricSum, histogramMetric, type MetricSample } from './metrics-scrape.ts';
import { sleep } from './stats.ts';

/** How to drive the kafka phase. */
export interface KafkaBenchOptions {
  messages: number;
  partitions: number;
  tmpRoot: string;
  log: (line: string) => void;
}

/** Figures of one kafka run. */
export interface KafkaBenchResult {
  messages: number;
  partitions: number;
  brokers: string;
  brokerVersion: string;
  /** Producing (not part of the figure). */
  produceSeconds: number;
  meanValueBytes: number;
  meanHeaderBytes: number;
  /** Plexus start (healthy) to the first accepted record: consumer join and first fetch. */
  startupSeconds: number;
  /** First accepted record to the last offset committed. */
  seconds: number;
  /** Records already accepted when the first was seen (the first insert), left out of the rate. */
  acceptedAtFirst: number;
  messagesPerSecond: number;
  cpuSeconds: number;
  peakRssBytes: number;
  acceptedMetric: number;
  rejectedMetric: number;
  inserts: number;
  insertSeconds: number;
  /** kafka_events FINAL rows for the topic, all rows (before replays collapse), distinct offsets. */
  rowsFinal: number;
  rowsRaw: number;
  distinctOffsets: number;
  deadLetters: number;
  shutdownClean: boolean;
  logFile: string;
}

const SOURCES = ['/checkout', '/payments', '/inventory', '/shipping', '/notifications', '/billing'];
const TYPES = ['shop.order.placed', 'shop.payment.captured', 'shop.stock.reserved', 'shop.shipment.created', 'shop.email.sent', 'shop.invoice.issued'];
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** One realistic binary-mode CloudEvent: ce_* headers, traceparent and a ~300-byte JSON order. */
function cloudEvent(i: number, partition: number, nowMs: number): Message {
  const k = i % SOURCES.length;
  const orderId = `ord-${(1_000_000 + i).toString(36)}`;
  const value = JSON.stringify({
    orderId,
    customerId: `cus-${(i * 7919) % 100_000}`,
    currency: 'EUR',
    total: Math.round((i % 5000) * 1.37 * 100) / 100,
    items: [
      { sku: `SKU-${(i * 31) % 9973}`, qty: 1 + (i % 3), price: 19.99 },
      { sku: `SKU-${(i * 17) % 9973}`, qty: 1, price: 4.5 },
    ],
    shippingAddress: { city: 'Rotterdam', country: 'NL', postalCode: '3011 AB' },
    channel: i % 2 ? 'web' : 'mobile',
    placedAt: new Date(nowMs).toISOString(),
  });
  return {
    key: orderId,
    partition,
    value,
    headers: {
      ce_specversion: '1.0',
      ce_id: randomUUID(),
      ce_source: SOURCES[k]!,
      ce_type: TYPES[k]!,
      ce_subject: `orders/${orderId}`,
      ce_time: new Date(nowMs).toISOString(),
      'content-type': 'application/json',
      traceparent: `00-${hex(16)}-${hex(8)}-01`,
    },
  };
}

function headerBytes(m: Message): number {
  return Object.entries(m.headers ?? {}).reduce((n, [k, v]) => n + k.length + String(v).length, 0);
}

/** Produces `n` events round-robin over the partitions in large uncompressed batches, a few in flight. */
async function produce(kafka: Kafka, topic: string, n: number, partitions: number, log: (line: string) => void): Promise<{ seconds: number; valueBytes: number; headerBytes: number }> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const BATCH = 5000;
  const IN_FLIGHT = 4;
  let next = 0;
  let valueBytes = 0;
  let hdrBytes = 0;
  let sent = 0;
  const t0 = performance.now();
  let nextLog = t0 + 10_000;
  const worker = async () => {
    while (next < n) {
      const from = next;
      const to = Math.min(n, from + BATCH);
      next = to;
      const now = Date.now();
      const messages: Message[] = [];
      for (let i = from; i < to; i++) {
        const m = cloudEvent(i, i % partitions, now);
        valueBytes += Buffer.byteLength(m.value as string);
        hdrBytes += headerBytes(m);
        messages.push(m);
      }
      await producer.send({ topic, messages, acks: 1, compression: CompressionTypes.None });
      sent += messages.length;
      if (performance.now() > nextLog) {
        nextLog += 10_000;
        log(`  produced ${sent.toLocaleString('en-US')} of ${n.toLocaleString('en-US')}`);
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - t0) / 1000;
  await producer.disconnect();
  return { seconds, valueBytes, headerBytes: hdrBytes };
}

/** Runs the kafka phase (the broker, unless KAFKA_BROKERS is set, and Plexus are stopped before it returns). */
export async function runKafkaBench(o: KafkaBenchOptions): Promise<KafkaBenchResult> {
  let broker: KafkaBroker | undefined;
  let brokers = process.env.KAFKA_BROKERS ?? '';
  let brokerVersion = process.env.KAFKA_BROKER_VERSION ?? 'unknown (KAFKA_BROKERS)';
  if (!brokers) {
    broker = await startKafkaBroker({ log: o.log });
    brokers = broker.brokers;
    brokerVersion = broker.version;
  }
  const kafka = new Kafka({ clientId: 'plexus-bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const suffix = hex(4);
    const topic = `bench_events_${suffix}`;
    const groupBase = `plexus-bench-${suffix}`;
    const group = `${groupBase}-events`;
    await admin.createTopics({ topics: [{ topic, numPartitions: o.partitions }], waitForLeaders: true });

    o.log(`producing ${o.messages.toLocaleString('en-US')} CloudEvents into ${topic} (${o.partitions} partitions)…`);
    const produced = await produce(kafka, topic, o.messages, o.partitions, o.log);
    const ends = await admin.fetchTopicOffsets(topic);
    const total = ends.reduce((n, p) => n + Number(p.high), 0);
    if (total !== o.messages) throw new Error(`topic holds ${total} records after producing ${o.messages}`);
    o.log(`  produced in ${produced.seconds.toFixed(1)} s (${Math.round(o.messages / produced.seconds).toLocaleString('en-US')} messages/s, ${Math.round(produced.valueBytes / o.messages)} value bytes + ${Math.round(produced.headerBytes / o.messages)} header bytes each)`);

    const dataDir = mkdtempSync(join(o.tmpRoot, 'kafka-data-'));
    const yaml = join(o.tmpRoot, 'kafka-plexus.yaml');
    // Topology polling stays on (its default), as in production; OTLP topics off: only the event consumer reads.
    writeFileSync(yaml, `kafka:\n  groupId: ${groupBase}\n  otlp: { topics: [] }\n  events: { topics: [${JSON.stringify(topic)}] }\n`);
    const plexus = await startPlexus(dataDir, o.tmpRoot, 'plexus-kafka', { KAFKA_BROKERS: brokers, PLEXUS_CONFIG: yaml });
    const started = performance.now();
    const cpu0 = readCpuSeconds(plexus.pid);
    const rss = new RssSampler(plexus.pid, 500);
    let stopped = false;
    try {
      // /metrics for the first accepted record (fine-grained), the group's offsets for the end.
      let first: number | undefined;
      let accepted = 0;
      const deadline = started + Math.max(300_000, (o.messages / 5_000) * 1000);
      let nextLog = started + 10_000;
      while (first === undefined) {
        const m = await scrapeMetrics(plexus.url).catch(() => [] as MetricSample[]);
        accepted = metricSum(m, 'plexus_kafka_events_accepted_total') || 0;
        if (accepted > 0) first = performance.now();
        else if (performance.now() > deadline) throw new Error('no event accepted before the deadline');
        else await sleep(50);
      }
      let committed = 0;
      let last = first;
      while (committed < o.messages) {
        const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
        committed = offsets!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
        last = performance.now();
        if (committed >= o.messages) break;
        if (last > deadline) throw new Error(`only ${committed} of ${o.messages} offsets committed before the deadline`);
        if (last > nextLog) {
          nextLog += 10_000;
          o.log(`  ${Math.round((last - first) / 1000)} s: ${committed.toLocaleString('en-US')} committed, ${Math.round(committed / ((last - first) / 1000)).toLocaleString('en-US')} messages/s, RSS ${Math.round(rss.lastBytes / 2 ** 20)} MiB`);
        }
        await sleep(100);
      }
      const cpuSeconds = readCpuSeconds(plexus.pid) - cpu0;
      const metrics = await scrapeMetrics(plexus.url);
      rss.stop();
      const stop = await plexus.stop();
      stopped = true;

      const store = await openStore({ dataDir });
      const [final] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM kafka_events FINAL WHERE Topic = ${topic}`);
      const [raw] = await store.query<{ n: string; d: string }>(sql`
        SELECT count() AS n, uniqExact(Partition, Offset) AS d FROM kafka_events WHERE Topic = ${topic}`);
      const [dead] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM kafka_dead_letters FINAL WHERE Topic = ${topic}`);
      await store.close();

      const seconds = (last - first) / 1000;
      const label = `table="kafka_events"`;
      return {
        messages: o.messages, partitions: o.partitions, brokers, brokerVersion,
        produceSeconds: produced.seconds, meanValueBytes: produced.valueBytes / o.messages, meanHeaderBytes: produced.headerBytes / o.messages,
        startupSeconds: (first - started) / 1000, seconds, acceptedAtFirst: accepted, messagesPerSecond: (o.messages - accepted) / seconds, cpuSeconds, peakRssBytes: rss.peakBytes,
        acceptedMetric: metricSum(metrics, 'plexus_kafka_events_accepted_total'),
        rejectedMetric: metricSum(metrics, 'plexus_kafka_events_rejected_total') || 0,
        inserts: histogramMetric(metrics, 'plexus_write_batch_duration', 'count', label),
        insertSeconds: histogramMetric(metrics, 'plexus_write_batch_duration', 'sum', label),
        rowsFinal: Number(final?.n ?? 0), rowsRaw: Number(raw?.n ?? 0), distinctOffsets: Number(raw?.d ?? 0), deadLetters: Number(dead?.n ?? 0),
        shutdownClean: stop.clean, logFile: plexus.logFile,
      };
    } finally {
      rss.stop();
      if (!stopped) await plexus.stop(10_000).catch(() => {});
    }
  } finally {
    await admin.disconnect().catch(() => {});
    await broker?.stop();
  }
}
