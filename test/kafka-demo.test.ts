// The demo against a real Apache Kafka broker: its orders go to the `orders`
// topic as CloudEvents carrying their producer span's traceparent, its consumer
// groups read them, and Plexus joins both views of the topic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { sql } from '@plexus/store';
import { runDemo } from '../cli/src/demo/run-demo.ts';
import { startTestPlexus, type TestPlexus } from './harness.ts';
import { testKafka } from './kafka-broker.ts';
import { until } from './until.ts';

let px: TestPlexus;
let brokers: string;
let kafka: Kafka;

before(async () => {
  const t = await testKafka();
  brokers = t.brokers;
  kafka = t.kafka;
  // As an operator would have: the topic exists before Plexus subscribes to it.
  await t.createTopic('orders', 6);
  const dir = mkdtempSync(join(tmpdir(), 'plexus-kafka-demo-'));
  writeFileSync(join(dir, 'plexus.yaml'), 'kafka:\n  groupId: plexus-demo-test\n  otlp: { topics: [] }\n  events: { topics: [orders] }\n  topology: { intervalSeconds: 86400 }\n');
  px = await startTestPlexus({ KAFKA_BROKERS: brokers, PLEXUS_CONFIG: join(dir, 'plexus.yaml') });
});
after(async () => {
  await px?.close();
});

test('every order the demo places is an event on `orders` tied to its producer span; shipping and notification read them', async () => {
  const started = Date.now();
  await runDemo({ endpoint: px.otlpUrl, backfillMinutes: 2, durationSeconds: 0, seed: 5, log: () => {}, kafkaBrokers: brokers });
  await px.recompute();
  // Producer spans of this run (the topic may hold orders of earlier runs on a shared broker).
  const [produced] = await px.store.query<{ n: string }>(sql`SELECT count() AS n FROM otel_traces WHERE SpanName = 'send orders' AND Timestamp >= now64() - INTERVAL 5 MINUTE`);
  const expected = Number(produced!.n);
  assert.ok(expected > 0);
  const joinedCount = async () => Number((await px.store.query<{ n: string }>(sql`
    SELECT count() AS n FROM (SELECT DISTINCT TraceId, SpanId FROM kafka_events FINAL WHERE Topic = 'orders' AND TraceId != '') AS e
    INNER JOIN (SELECT TraceId, SpanId FROM otel_traces WHERE SpanName = 'send orders' AND Timestamp >= now64() - INTERVAL 5 MINUTE) AS s
    ON e.TraceId = s.TraceId AND e.SpanId = s.SpanId`))[0]!.n);
  const joined = await until('events joined to producer spans', joinedCount, (n) => n >= expected).catch(() => joinedCount());
  const [diag] = await px.store.query<{ events: string; traced: string; dead: string }>(sql`
    SELECT (SELECT count() FROM kafka_events WHERE Topic = 'orders') AS events, (SELECT countIf(TraceId != '') FROM kafka_events WHERE Topic = 'orders') AS traced,
      (SELECT count() FROM kafka_dead_letters WHERE Topic = 'orders') AS dead`);
  assert.equal(joined, expected, `one event per producer span, with its trace and span id (${JSON.stringify(diag)})`);

  // Both demo groups have read everything.
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets('orders');
  for (const group of ['shipping', 'notification']) {
    await until(`${group} to have read everything`, () => admin.fetchOffsets({ groupId: group, topics: ['orders'] }),
      ([offsets]) => ends.every((e) => offsets!.partitions.find((p) => p.partition === e.partition)?.offset === e.high));
  }
  await admin.disconnect();

  await px.pollKafkaTopology();
  const now = Date.now();
  const d = await px.gql(`query($from: DateTime!, $to: DateTime!) {
    topic(name: "orders", from: $from, to: $to) { producers consumers eventTypes { type } consumerGroups { groupId lag } }
    dependencyGraph(from: $from, to: $to) { edges { source target sources lag } } }`,
    { from: new Date(started - 5 * 60_000).toISOString(), to: new Date(now + 60_000).toISOString() });
  assert.deepEqual(d.topic.producers, ['/checkout', 'checkout']);
  assert.deepEqual(d.topic.consumers, ['notification', 'shipping']);
  assert.deepEqual(d.topic.eventTypes, [{ type: 'shop.order.placed' }]);
  // The demo's groups stop only once they have read what it wrote.
  const groups = Object.fromEntries(d.topic.consumerGroups.map((g: { groupId: string; lag: number }) => [g.groupId, g.lag]));
  assert.deepEqual({ shipping: groups['shipping'], notification: groups['notification'] }, { shipping: 0, notification: 0 });
  // Traces and Kafka both see the topic's edges; Kafka adds the lag.
  const edge = (s: string, t: string) => d.dependencyGraph.edges.find((e: { source: string; target: string }) => e.source === s && e.target === t);
  assert.deepEqual(edge('topic:orders', 'service:shipping'), { source: 'topic:orders', target: 'service:shipping', sources: ['traces', 'kafka'], lag: 0 });
  assert.deepEqual(edge('service:checkout', 'topic:orders').sources, ['traces', 'kafka']);
});
