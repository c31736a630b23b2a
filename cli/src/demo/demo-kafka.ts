// The demo's Kafka side, when KAFKA_BROKERS is set: every order the demo's
// checkout places is also written to the real `orders` topic as a binary-mode
// CloudEvent (with the producer span's traceparent and the trace's time), and
// the consumer groups the landscape declares (shipping, notification) read it,
// so Plexus sees the topic through Kafka as well as through spans.
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type Message, type Producer } from 'kafkajs';
import { TOPICS } from './landscape.ts';
import type { ProducedMessage } from './trace-builder.ts';

/** A running demo Kafka side. */
export interface DemoKafka {
  /** Queues one produced message (called from the trace builder). */
  add(m: ProducedMessage): void;
  /** Writes what is queued. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** The CloudEvent a demo order becomes: binary mode, ce_* headers, JSON data. */
export function demoOrderMessage(m: ProducedMessage): Message {
  return {
    key: m.key,
    partition: m.partition,
    timestamp: String(Math.round(m.timestampMs)),
    value: JSON.stringify({ orderId: m.key, placedAt: new Date(m.timestampMs).toISOString() }),
    headers: {
      ce_specversion: '1.0',
      ce_id: `${m.traceId.slice(0, 16)}-${m.key}`,
      ce_source: `/${m.producer}`,
      ce_type: 'shop.order.placed',
      ce_time: new Date(m.timestampMs).toISOString(),
      'content-type': 'application/json',
      traceparent: `00-${m.traceId}-${m.spanId}-01`,
    },
  };
}

/** Connects a producer, creates the landscape's topics and starts its consumer groups. */
export async function startDemoKafka(brokers: string, log: (line: string) => void): Promise<DemoKafka> {
  const kafka = new Kafka({ clientId: 'plexus-demo', brokers: brokers.split(',').map((b) => b.trim()), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: TOPICS.map((t) => ({ topic: t.name, numPartitions: t.partitions })), waitForLeaders: true });
  await admin.disconnect();
  const producer: Producer = kafka.producer();
  await producer.connect();
  const consumers: Consumer[] = [];
  const produced = new Map<string, number>();
  const consumed = new Map<Consumer, { topic: string; n: number }>();
  for (const topic of TOPICS) {
    for (const c of topic.consumers) {
      // A client id like a pod name: the service plus an instance suffix, as Kubernetes deployments have.
      const consumer = new Kafka({ clientId: `${c.service}-${randomBytes(3).toString('hex')}`, brokers: brokers.split(','), logLevel: logLevel.NOTHING }).consumer({ groupId: c.group, maxWaitTimeInMs: 500 });
      await consumer.connect();
      await consumer.subscribe({ topic: topic.name, fromBeginning: true });
      const count = { topic: topic.name, n: 0 };
      consumed.set(consumer, count);
      await consumer.run({ eachMessage: async () => void count.n++ });
      consumers.push(consumer);
    }
  }
  log(`Kafka: writing ${TOPICS.map((t) => t.name).join(', ')} to ${brokers}; consumer groups ${TOPICS.flatMap((t) => t.consumers.map((c) => c.group)).join(', ')} reading.`);
  let queued: ProducedMessage[] = [];
  return {
    add: (m) => void queued.push(m),
    async flush() {
      if (queued.length === 0) return;
      const batch = queued;
      queued = [];
      const byTopic = new Map<string, Message[]>();
      for (const m of batch) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), demoOrderMessage(m)]);
      await producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      for (const [topic, messages] of byTopic) produced.set(topic, (produced.get(topic) ?? 0) + messages.length);
    },
    async stop() {
      await producer.disconnect();
      // Let the groups read what this run wrote (a few seconds at most), so they stop with nothing left behind.
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && [...consumed.values()].some((c) => c.n < (produced.get(c.topic) ?? 0))) await new Promise((r) => setTimeout(r, 100));
      for (const c of consumers) await c.disconnect();
    },
  };
}
