import type { Consumer, Kafka } from 'kafkajs';
import type { Store } from '@plexus/store';
import { parseEventMessage } from '../../sources/kafka-events/parse-event.ts';
import { encodeEventRow, KAFKA_EVENTS_COLUMNS } from '../../sources/kafka-events/encode-tsv.ts';
import type { ParseEventOptions } from '../../sources/kafka-events/event-row.ts';
import type { KafkaMessage as KafkaRecord } from '../../sources/kafka-events/message.ts';
import { collectorMetrics } from '../../telemetry.ts';
import { writeWithRetry } from './write-retry.ts';
import { measuredInsert } from '../../pipeline/table-pipeline.ts';

// Batches handled at once: parse runs on the main thread while chDB inserts another batch on its own threads.
const PARTITIONS_IN_FLIGHT = 3;

export interface EventsKafkaOptions {
  kafka: Kafka;
  groupId: string;
  /** Exact topic names, or regular expressions (matched against the cluster's topics). */
  topics: Array<string | RegExp>;
  store: Store;
  parse: ParseEventOptions;
  deadLetter: (message: KafkaRecord, reason: string) => Promise<void>;
  log: (msg: string, err?: unknown) => void;
}

/**
 * One kafka_events row per record of the event topics, at least once: each
 * batch is inserted in one statement and its offsets committed after; a
 * replay writes the same (topic, partition, offset) again, which the table
 * collapses. A record that cannot be read goes to the dead letters and its
 * partition moves on. While an insert runs the partition fetches nothing more,
 * so a slow store slows consumption instead of filling memory.
 */
export async function startEventsKafkaConsumer(o: EventsKafkaOptions): Promise<{ consumer: Consumer; stop(): Promise<void> }> {
  const m = collectorMetrics();
  // Big fetches make big inserts (a chDB insert has a fixed cost per part), and
  // a few partitions in flight let one batch parse while another is inserted.
  const consumer = o.kafka.consumer({
    groupId: o.groupId, maxBytesPerPartition: 8 * 1024 * 1024, maxBytes: 48 * 1024 * 1024, sessionTimeout: 30_000, heartbeatInterval: 3000,
  });
  await consumer.connect();
  for (const topic of o.topics) await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: PARTITIONS_IN_FLIGHT,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      const { topic, partition } = batch;
      let text = '';
      let rows = 0;
      for (const message of batch.messages) {
        const record: KafkaRecord = { topic, partition, offset: message.offset, timestamp: message.timestamp, key: message.key, value: message.value, headers: message.headers ?? {} };
        const r = parseEventMessage(record, o.parse);
        if (r.ok) {
          text += encodeEventRow(r.row);
          rows++;
        } else {
          m.eventsRejected.add(1, { topic });
          await o.deadLetter(record, r.reason);
        }
      }
      if (rows > 0) {
        await measuredInsert('kafka_events', rows, () => writeWithRetry('kafka_events insert', () => o.store.insertTsv('kafka_events', KAFKA_EVENTS_COLUMNS, Buffer.from(text)), heartbeat, o.log));
      }
      m.eventsAccepted.add(rows, { topic });
      const last = batch.messages[batch.messages.length - 1]!.offset;
      resolveOffset(last);
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]);
      await heartbeat();
    },
  });
  return {
    consumer,
    async stop() {
      await consumer.disconnect();
    },
  };
}
