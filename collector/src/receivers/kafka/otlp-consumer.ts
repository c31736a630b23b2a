import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { DecodePool } from '../../pipeline/decode-pool.ts';
import type { WritePipeline } from '../../pipeline/write-pipeline.ts';
import type { SpanLimits } from '../../spans/span-record.ts';
import { collectorMetrics } from '../../telemetry.ts';
import type { KafkaMessage as KafkaRecord } from '../../sources/kafka-events/message.ts';
import { untilAccepted } from './backpressure.ts';


export interface OtlpKafkaOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** How the OpenTelemetry Collector's Kafka exporter encoded the messages. */
  encoding: 'otlp_proto' | 'otlp_json';
  pool: DecodePool;
  pipeline: WritePipeline;
  limits: SpanLimits;
  /** Keeps a message Plexus could not use, with why (kafka_dead_letters). */
  deadLetter: (message: KafkaRecord, reason: string) => Promise<void>;
  log: (msg: string, err?: unknown) => void;
  /** Messages of one batch decoded and written at once. */
  concurrency?: number;
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
 * Consumes OTLP spans from Kafka into the same pipeline as OTLP/HTTP,
 * at least once: a batch's offsets are committed only after every span of it
 * is written. An undecodable message goes to the dead letters and never stalls
 * its partition; when the write queue is full the partition is paused and the
 * message retried, so memory stays bounded by what is already fetched.
 */
export async function startOtlpKafkaConsumer(o: OtlpKafkaOptions): Promise<{ consumer: Consumer; stop(): Promise<void> }> {
  const m = collectorMetrics();
  const consumer = o.kafka.consumer({ groupId: o.groupId, maxBytesPerPartition: 4 * 1024 * 1024, sessionTimeout: 30_000, heartbeatInterval: 3000 });
  await consumer.connect();
  for (const topic of o.topics) await consumer.subscribe({ topic, fromBeginning: true });
  let stopping = false;

  async function one(topic: string, partition: number, message: KafkaMessage, onWait: () => Promise<void>): Promise<void> {
    const where = `${topic}[${partition}]@${message.offset}`;
    const record: KafkaRecord = { topic, partition, offset: message.offset, timestamp: message.timestamp, key: message.key, value: message.value, headers: message.headers ?? {} };
    if (!message.value || message.value.length === 0) {
      await o.deadLetter(record, `${where}: empty message`);
      return;
    }
    const value = message.value;
    await untilAccepted(async () => {
      const decoded = await o.pool.decode({ body: new Uint8Array(value), encoding: encodingOf(value, o.encoding), limits: o.limits });
      if (!decoded.ok) {
        m.spansRejected.add(1, { receiver: 'kafka' });
        await o.deadLetter(record, `${where}: not OTLP (${encodingOf(value, o.encoding)}): ${decoded.error}`);
        return;
      }
      m.spansReceived.add(decoded.accepted + decoded.rejected, { receiver: 'kafka' });
      await o.pipeline.submit(decoded.tsv, decoded.accepted);
      m.spansAccepted.add(decoded.accepted, { receiver: 'kafka' });
      if (decoded.rejected > 0) {
        // The valid spans are written; the invalid ones are kept, with why, instead of vanishing.
        m.spansRejected.add(decoded.rejected, { receiver: 'kafka' });
        const reasons = decoded.rejects.map((r) => `${r.path}: ${r.reason}`).join('; ') + (decoded.rejected > decoded.rejects.length ? `; and ${decoded.rejected - decoded.rejects.length} more` : '');
        await o.deadLetter(record, `${where}: ${decoded.rejected} of ${decoded.accepted + decoded.rejected} spans rejected: ${reasons}`);
      }
    }, async () => onWait(), { stopped: () => stopping });
  }

  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, pause }) => {
      const { topic, partition } = batch;
      let resume: (() => void) | undefined;
      const onWait = async () => {
        resume ??= pause();
        await heartbeat();
      };
      const limit = o.concurrency ?? 8;
      const messages = batch.messages;
      for (let i = 0; i < messages.length && isRunning() && !isStale(); i += limit) {
        const slice = messages.slice(i, i + limit);
        await Promise.all(slice.map((msg) => one(topic, partition, msg, onWait)));
        const last = slice[slice.length - 1]!.offset;
        resolveOffset(last);
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]);
        await heartbeat();
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
