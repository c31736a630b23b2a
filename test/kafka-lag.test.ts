// Consumer-group lag from a real Apache Kafka broker: Plexus polls topics,
// groups and committed offsets; a group that stops consuming shows lag that
// grows by exactly what was produced since, and its members while it ran.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { sql } from '@plexus/store';
import { startTestPlexus, postOtlpJson, type TestPlexus } from './harness.ts';
import { otlpJson, newTraceId, newSpanId } from './spans.ts';
import { testKafka } from './kafka-broker.ts';
import { until } from './until.ts';

const TOPIC = `payments_${randomBytes(4).toString('hex')}`;
const GROUP = `ledger-${randomBytes(4).toString('hex')}`;
let px: TestPlexus;
let kafka: Kafka;

before(async () => {
  const t = await testKafka();
  kafka = t.kafka;
  await t.createTopic(TOPIC, 2);
  const dir = mkdtempSync(join(tmpdir(), 'plexus-kafka-lag-'));
  // Polled on demand only (a day apart), so each poll in the test is one known moment.
  writeFileSync(join(dir, 'plexus.yaml'), `kafka:\n  groupId: plexus-${GROUP}\n  otlp: { topics: [] }\n  topology: { intervalSeconds: 86400 }\n`);
  // The first records go in before Plexus starts: its start-up poll would otherwise race them and see 0 or 10.
  await produce(10, 'a');
  px = await startTestPlexus({ KAFKA_BROKERS: t.brokers, PLEXUS_CONFIG: join(dir, 'plexus.yaml') });
});
after(async () => {
  await px?.close();
});

async function produce(n: number, tag: string): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: TOPIC, messages: Array.from({ length: n }, (_, i) => ({ key: `${tag}-${i}`, value: 'x', partition: i % 2 })) });
  await producer.disconnect();
}

/** Lag of the group per partition at its newest poll. */
async function lag(): Promise<Record<number, number>> {
  const rows = await px.store.query<{ p: number; lag: string }>(sql`
    SELECT Partition AS p, argMax(Lag, Time) AS lag FROM kafka_partition_offsets WHERE Topic = ${TOPIC} AND GroupId = ${GROUP} GROUP BY p ORDER BY p`);
  return Object.fromEntries(rows.map((r) => [Number(r.p), Number(r.lag)]));
}

test('a consumer group that stops consuming shows lag growing by what is produced; its members are recorded', async () => {
  const consumer = kafka.consumer({ groupId: GROUP, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  let seen = 0;
  let stopped = false;
  after(async () => {
    if (!stopped) await consumer.disconnect();
  });
  await consumer.run({ eachMessage: async () => void seen++ });
  await until('the group to read the 10 records', async () => seen, (n) => n >= 10);
  assert.equal(seen, 10);
  await consumer.commitOffsets([0, 1].map((partition) => ({ topic: TOPIC, partition, offset: '5' })));
  // A group can still be settling its assignment when first described: poll until it is Stable.
  const members = await until('the group to be described Stable', async () => {
    await px.pollKafkaTopology();
    return px.store.query<{ ClientId: string; Topics: string[]; State: string }>(sql`SELECT ClientId, Topics, State FROM kafka_group_members WHERE GroupId = ${GROUP} ORDER BY Time DESC LIMIT 1`);
  }, (m) => m[0]?.State === 'Stable' && m[0].Topics.length > 0);
  assert.deepEqual(members.map((m) => [m.ClientId, m.Topics, m.State]), [['plexus-test', [TOPIC], 'Stable']]);
  assert.deepEqual(await lag(), { 0: 0, 1: 0 });

  await consumer.disconnect();
  stopped = true;
  await produce(6, 'b');
  await new Promise((r) => setTimeout(r, 1100));
  await px.pollKafkaTopology();
  assert.deepEqual(await lag(), { 0: 3, 1: 3 });
  await produce(4, 'c');
  await new Promise((r) => setTimeout(r, 1100));
  await px.pollKafkaTopology();
  assert.deepEqual(await lag(), { 0: 5, 1: 5 });
  const [ends] = await px.store.query<{ total: string }>(sql`
    SELECT sum(e) AS total FROM (SELECT Partition, argMax(EndOffset, Time) AS e FROM kafka_partition_offsets WHERE Topic = ${TOPIC} AND GroupId = '' GROUP BY Partition)`);
  assert.equal(Number(ends!.total), 20);
});

test('topic(name): the group with its newest lag per partition and members, lag over time, messages from offsets', async () => {
  const now = Date.now();
  const win = { from: new Date(now - 10 * 60_000).toISOString(), to: new Date(now + 60_000).toISOString() };
  const d = await px.gql(`query($name: String!, $from: DateTime!, $to: DateTime!) {
    topic(name: $name, from: $from, to: $to) { name messages producers consumers
      consumerGroups { groupId lag partitions { partition endOffset committedOffset lag } series(step: 60) { lag } p1: series(step: 60, partition: 1) { lag } } }
    topics(from: $from, to: $to) { name } }`, { name: TOPIC, ...win });
  const group = d.topic.consumerGroups.find((g: { groupId: string }) => g.groupId === GROUP);
  assert.equal(group.lag, 10);
  assert.deepEqual(group.partitions, [0, 1].map((partition) => ({ partition, endOffset: 10, committedOffset: 5, lag: 5 })));
  assert.equal(group.series.at(-1).lag, 10);
  assert.equal(group.p1.at(-1).lag, 5);
  // Written while Plexus watched: from 10 at the first poll to 20 at the last.
  assert.equal(d.topic.messages, 10);
  assert.deepEqual([d.topic.producers, d.topic.consumers], [[], []]);
  assert.ok(d.topics.some((t: { name: string }) => t.name === TOPIC));
});

test('the map draws the topic and the group\'s service: a Kafka-only edge with its lag (the group id names the service)', async () => {
  // A span makes "ledger" a known service; GROUP is "ledger-<hex>", one instance of it.
  const r = await postOtlpJson(px.otlpUrl, otlpJson([{ service: 'ledger', name: 'GET /balance', kind: 'SERVER', traceId: newTraceId(), spanId: newSpanId(), startMs: Date.now() - 30_000, durationMs: 3 }]));
  assert.equal(r.status, 200);
  await px.recompute();
  const now = Date.now();
  const d = await px.gql(`query($from: DateTime!, $to: DateTime!) { dependencyGraph(from: $from, to: $to) { nodes { id } edges { source target sources lag messageRate } } }`,
    { from: new Date(now - 10 * 60_000).toISOString(), to: new Date(now + 60_000).toISOString() });
  const edge = d.dependencyGraph.edges.find((e: { source: string }) => e.source === `topic:${TOPIC}`);
  assert.deepEqual({ ...edge, messageRate: undefined }, { source: `topic:${TOPIC}`, target: 'service:ledger', sources: ['kafka'], lag: 10, messageRate: undefined });
  assert.equal(typeof edge.messageRate, 'number');
  assert.ok(d.dependencyGraph.nodes.some((n: { id: string }) => n.id === `topic:${TOPIC}`));
});
