import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Store } from '@plexus/store';
import type { DecodePool } from '../../pipeline/decode-pool.ts';
import type { SpanLimits } from '../../spans/span-record.ts';
import { OTEL_TRACES_COLUMNS } from '../../spans/encode-tsv.ts';
import { collectorMetrics } from '../../telemetry.ts';
import { measuredInsert } from '../../pipeline/table-pipeline.ts';
import type { KafkaMessage as KafkaRecord } from '../../sources/kafka-events/message.ts';
import { untilAccepted } from './backpressure.ts';
import { writeWithRetry } from './write-retry.ts';
import { countDecoded, rejectSummary } from '../decoded-spans.ts';
import { SliceLedger, sliceLength, sliceToken, type Slice } from './otlp-slices.ts';

export interface OtlpKafkaOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** How the OpenTelemetry Collector's Kafka exporter encoded the messages. */
  encoding: 'otlp_proto' | 'otlp_json';
  pool: DecodePool;
  store: Store;
  limits: SpanLimits;
  /** Keeps a message Plexus could not use, with why (kafka_dead_letters). */
  deadLetter: (message: KafkaRecord, reason: string) => Promise<void>;
  log: (msg: string, err?: unknown) => void;
  /** Messages of one batch decoded and written at once. */
  concurrency?: number;
  /** Runs after a slice is written and before its offsets are committed (tests stop Plexus here). */
  beforeCommit?: (topic: string, partition: number, slice: Slice) => Promise<void>;
}

const ENCODING = { otlp_proto: 'protobuf', otlp_json: 'json' } as const;

/**
 * A message's encoding: OTLP/JSON is an object, so it starts with `{`, which
 * an OTLP/protobuf request never does (0x7b would be field 15, which
 * ExportTraceServiceRequest does not have). A topic fed by exporters of both
 * encodings is thus read correctly; anything else follows the configuration.
 */
export function encodingOf(value: Uint8Array, configured: 'otlp_proto' | 'otlp_json'): 'protobuf' | 'json' {
  return value[0] === 0x7b ? 'json' : ENCODING[configured];
}

/**
 * Consumes OTLP spans from Kafka into otel_traces, exactly once as far as
 * readers can tell: each slice of a partition (a few messages) is written in
 * one insert whose token names its offsets, and committed after. A crash
 * between write and commit replays the slice (the ledger makes it the same
 * slice) and ClickHouse drops the repeated insert. An undecodable message goes
 * to the dead letters and never stalls its partition; while a slice is decoded
 * and written the partition fetches nothing more, so a slow store slows
 * consumption instead of filling memory.
 */
export async function startOtlpKafkaConsumer(o: OtlpKafkaOptions): Promise<{ consumer: Consumer; stop(): Promise<void> }> {
  const m = collectorMetrics();
  const ledger = new SliceLedger(o.store);
  const consumer = o.kafka.consumer({ groupId: o.groupId, maxBytesPerPartition: 4 * 1024 * 1024, sessionTimeout: 30_000, heartbeatInterval: 3000 });
  await consumer.connect();
  for (const topic of o.topics) await consumer.subscribe({ topic, fromBeginning: true });
  let stopping = false;
  // Where each partition's next batch should start; any other start (first
  // batch, rebalance, seek) may be a replay, so the ledger is consulted.
  const expected = new Map<string, string>();

  /** Decodes one message into TSV rows; a bad one becomes a dead letter. */
  async function decode(topic: string, partition: number, message: KafkaMessage, onWait: () => Promise<void>): Promise<{ tsv: Uint8Array; spans: number } | undefined> {
    const where = `${topic}[${partition}]@${message.offset}`;
    const record: KafkaRecord = { topic, partition, offset: message.offset, timestamp: message.timestamp, key: message.key, value: message.value, headers: message.headers ?? {} };
    if (!message.value || message.value.length === 0) {
      await o.deadLetter(record, `${where}: empty message`);
      return undefined;
    }
    const value = message.value;
    const decoded = await untilAccepted(() => o.pool.decode({ body: new Uint8Array(value), encoding: encodingOf(value, o.encoding), limits: o.limits }), onWait, { stopped: () => stopping });
    if (!decoded.ok) {
      m.spansRejected.add(1, { receiver: 'kafka' });
      await o.deadLetter(record, `${where}: not OTLP (${encodingOf(value, o.encoding)}): ${decoded.error}`);
      return undefined;
    }
    countDecoded(decoded, 'kafka');
    if (decoded.rejected > 0) {
      // The valid spans are written; the invalid ones are kept, with why, instead of vanishing.
      await o.deadLetter(record, `${where}: ${decoded.rejected} of ${decoded.accepted + decoded.rejected} spans rejected: ${rejectSummary(decoded)}`);
    }
    return { tsv: decoded.tsv, spans: decoded.accepted };
  }

  async function write(topic: string, partition: number, slice: Slice, parts: Array<{ tsv: Uint8Array; spans: number } | undefined>, heartbeat: () => Promise<void>): Promise<void> {
    const written = parts.filter((p) => p !== undefined && p.spans > 0) as Array<{ tsv: Uint8Array; spans: number }>;
    const spans = written.reduce((n, p) => n + p.spans, 0);
    if (spans === 0) return;
    await measuredInsert('otel_traces', spans, () => writeWithRetry('otel_traces insert (kafka)', async () => {
      await ledger.begin(topic, partition, slice);
      await o.store.insertTsv('otel_traces', OTEL_TRACES_COLUMNS, Buffer.concat(written.map((p) => p.tsv)), { dedupToken: sliceToken(topic, partition, slice) });
    }, heartbeat, o.log), 'store.insert otel_traces (kafka)');
    m.spansAccepted.add(spans, { receiver: 'kafka' });
  }

  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, pause }) => {
      const { topic, partition } = batch;
      const messages = batch.messages;
      if (messages.length === 0) return;
      const key = `${topic}/${partition}`;
      let resumed = expected.get(key) === messages[0]!.offset ? undefined : await ledger.last(topic, partition);
      let resume: (() => void) | undefined;
      const onWait = async () => {
        resume ??= pause();
        await heartbeat();
      };
      const offsets = messages.map((msg) => msg.offset);
      const limit = o.concurrency ?? 8;
      for (let i = 0; i < messages.length && isRunning() && !isStale(); ) {
        const n = sliceLength(offsets.slice(i), limit, resumed);
        resumed = undefined;
        if (n === 0) break;
        const batchOfSlice = messages.slice(i, i + n);
        const slice: Slice = { first: batchOfSlice[0]!.offset, last: batchOfSlice[n - 1]!.offset };
        const parts = await Promise.all(batchOfSlice.map((msg) => decode(topic, partition, msg, onWait)));
        await write(topic, partition, slice, parts, heartbeat);
        await o.beforeCommit?.(topic, partition, slice);
        resolveOffset(slice.last);
        const next = (BigInt(slice.last) + 1n).toString();
        await consumer.commitOffsets([{ topic, partition, offset: next }]);
        expected.set(key, next);
        await heartbeat();
        i += n;
      }
      resume?.();
    },
  });

  return {
    consumer,
    async stop() {
      stopping = true;
      await consumer.disconnect();
    },
  };
}
