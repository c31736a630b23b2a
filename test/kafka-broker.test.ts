// The test broker is a real Kafka 3.9 and kafkajs speaks to it: a 3-partition topic, 100 keyed
// messages with headers produced and consumed back by a consumer group, offsets committed and
// read back (lag 0). Also: the broker, test/kafka/pom.xml and docker-compose.yml agree on 3.9.x.
//
//   node --test test/kafka-broker.test.ts      (KAFKA_BROKERS=host:port to use a running broker)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, Partitioners, logLevel, type IHeaders, type KafkaMessage } from 'kafkajs';
import { parse } from 'yaml';
import { KAFKA_POM, KAFKA_VERSION, kafkaBrokers, kafkaBrokerVersion, kafkaLibsDir, loggedKafkaVersion, randomClusterId, serverProperties } from './kafka-broker.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const MESSAGES = 100;

function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map(String).join(',') : value.toString();
}

test('kafkajs round trip on the real broker: 3 partitions, 100 keyed messages with headers, group offsets committed with lag 0', { timeout: 180_000 }, async () => {
  const brokers = await kafkaBrokers();
  const kafka = new Kafka({ clientId: 'plexus-broker-test', brokers: brokers.split(','), logLevel: logLevel.WARN });
  const topic = `plexus-broker-test-${randomUUID()}`;
  const groupId = `${topic}-group`;
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  // A short fetch wait: disconnect() waits out the fetch in flight (5 s by default).
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await admin.connect();
  try {
    assert.equal(await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true }), true);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    assert.deepEqual(metadata.topics[0]?.partitions.map((p) => p.partitionId).sort(), [0, 1, 2]);

    await producer.connect();
    const sent = Array.from({ length: MESSAGES }, (_, i) => ({
      key: `order-${i}`,
      value: JSON.stringify({ seq: i, amount: i * 7 }),
      headers: { 'plexus-seq': String(i), traceparent: `00-${i.toString(16).padStart(32, '0')}-${'ab'.repeat(8)}-01` },
    }));
    await producer.send({ topic, messages: sent });

    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const received: Array<{ partition: number; message: KafkaMessage }> = [];
    const all = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consumed ${received.length} of ${MESSAGES} messages in 60 s`)), 60_000);
      // autoCommit off: offsets are committed once the messages are handled (DESIGN.md §10).
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          received.push({ partition, message });
          if (received.length === MESSAGES) {
            clearTimeout(timer);
            resolve();
          }
        },
      }).catch(reject);
    });
    await all;

    const got = received.map(({ message }) => ({
      key: message.key?.toString(),
      value: message.value?.toString(),
      headers: { 'plexus-seq': headerText(message.headers, 'plexus-seq'), traceparent: headerText(message.headers, 'traceparent') },
    }));
    const bySeq = (a: { headers: { 'plexus-seq'?: string } }, b: { headers: { 'plexus-seq'?: string } }) => Number(a.headers['plexus-seq']) - Number(b.headers['plexus-seq']);
    assert.deepEqual([...got].sort(bySeq), sent);

    // Keys spread over all three partitions, each key on one partition, in send order within it.
    const partitions = new Map<number, number[]>();
    const keyPartition = new Map<string, number>();
    for (const { partition, message } of received) {
      const seq = Number(headerText(message.headers, 'plexus-seq'));
      partitions.set(partition, [...(partitions.get(partition) ?? []), seq]);
      const key = message.key?.toString() ?? '';
      assert.equal(keyPartition.get(key) ?? partition, partition, `${key} on two partitions`);
      keyPartition.set(key, partition);
    }
    assert.deepEqual([...partitions.keys()].sort(), [0, 1, 2]);
    for (const [partition, seqs] of partitions) assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), `partition ${partition} out of order`);

    const next = new Map<number, number>();
    for (const { partition, message } of received) next.set(partition, Math.max(next.get(partition) ?? 0, Number(message.offset) + 1));
    await consumer.commitOffsets([...next].map(([partition, offset]) => ({ topic, partition, offset: String(offset) })));

    const groups = await admin.describeGroups([groupId]);
    const group = groups.groups[0];
    assert.equal(group?.groupId, groupId);
    assert.equal(group?.state, 'Stable');
    assert.equal(group?.protocolType, 'consumer');
    assert.equal(group?.members.length, 1);

    const highWatermarks = await admin.fetchTopicOffsets(topic);
    assert.equal(highWatermarks.reduce((sum, p) => sum + Number(p.high), 0), MESSAGES);
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const lag = highWatermarks.map((p) => ({
      partition: p.partition,
      lag: Number(p.high) - Number(committed[0]?.partitions.find((c) => c.partition === p.partition)?.offset ?? -1),
    })).sort((a, b) => a.partition - b.partition);
    assert.deepEqual(lag, [{ partition: 0, lag: 0 }, { partition: 1, lag: 0 }, { partition: 2, lag: 0 }]);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
});

test('the broker, test/kafka/pom.xml and docker-compose.yml agree on Kafka 3.9.x', async (t) => {
  assert.match(KAFKA_VERSION, /^3\.9\.\d+$/);
  assert.ok(readFileSync(KAFKA_POM, 'utf8').includes(`<kafka.version>${KAFKA_VERSION}</kafka.version>`), `pom.xml's kafka.version default must be ${KAFKA_VERSION}`);
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: { kafka: { image: string } } };
  assert.equal(compose.services.kafka.image, `apache/kafka:${KAFKA_VERSION}`);

  const version = await kafkaBrokerVersion();
  if (version === undefined) {
    t.skip('KAFKA_BROKERS names a broker this harness did not start (no KAFKA_BROKER_VERSION)');
    return;
  }
  // What the running broker logged at start, and the jar it runs from.
  assert.equal(version, KAFKA_VERSION);
  assert.ok(existsSync(join(kafkaLibsDir(), `kafka_2.13-${version}.jar`)), `kafka_2.13-${version}.jar in ${kafkaLibsDir()}`);
});

test('serverProperties: one loopback broker/controller node with single-replica internal topics', () => {
  const props = new Map(serverProperties('/tmp/k/data', 19092, 19093).trim().split('\n').map((line) => line.split('=', 2) as [string, string]));
  assert.equal(props.get('process.roles'), 'broker,controller');
  assert.equal(props.get('listeners'), 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
  assert.equal(props.get('controller.quorum.voters'), '1@127.0.0.1:19093');
  assert.equal(props.get('log.dirs'), '/tmp/k/data');
  assert.equal(props.get('offsets.topic.replication.factor'), '1');
  assert.equal(props.get('transaction.state.log.replication.factor'), '1');
  assert.equal(props.get('transaction.state.log.min.isr'), '1');
  assert.equal(props.get('group.initial.rebalance.delay.ms'), '0');
  assert.equal(props.get('num.partitions'), '3');
});

test('randomClusterId is a 16-byte base64url uuid; loggedKafkaVersion reads the start line', () => {
  const id = randomClusterId();
  assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  assert.equal(Buffer.from(id, 'base64url').length, 16);
  assert.equal(loggedKafkaVersion('[2026-01-01 00:00:00,000] INFO Kafka version: 3.9.2 (org.apache.kafka.common.utils.AppInfoParser)'), '3.9.2');
  assert.equal(loggedKafkaVersion('INFO Kafka Server started'), undefined);
});
