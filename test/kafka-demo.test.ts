// The demo against a real Apache Kafka broker: its orders go to the `orders`
// topic as CloudEvents carrying their producer span's traceparent, its consumer
// groups read them, and Plexus joins both views of the topic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { sql } from '@plexus/store';
import { runDemo } from '../cli/src/demo/run-demo.ts';
import { startTestPlexus, type TestPlexus } from './harness.ts';
import { kafkaBrokers } from './kafka-broker.ts';

let px: TestPlexus;
let brokers: string;

before(async () => {
  brokers = await kafkaBrokers();
  // As an operator would have: the topic exists before Plexus subscribes to it.
  const admin = new Kafka({ clientId: 'plexus-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 6 }], waitForLeaders: true });
  await admin.disconnect();
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
  const deadline = Date.now() + 30_000;
  let joined = 0;
  for (;;) {
    const [row] = await px.store.query<{ n: string }>(sql`
      SELECT count() AS n FROM (SELECT DISTINCT TraceId, SpanId FROM kafka_events FINAL WHERE Topic = 'orders' AND TraceId != '') AS e
      INNER JOIN (SELECT TraceId, SpanId FROM otel_traces WHERE SpanName = 'send orders' AND Timestamp >= now64() - INTERVAL 5 MINUTE) AS s
      ON e.TraceId = s.TraceId AND e.SpanId = s.SpanId`);
    joined = Number(row!.n);
    if (joined >= expected || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const [diag] = await px.store.query<{ events: string; traced: string; dead: string }>(sql`
    SELECT (SELECT count() FROM kafka_events WHERE Topic = 'orders') AS events, (SELECT countIf(TraceId != '') FROM kafka_events WHERE Topic = 'orders') AS traced,
      (SELECT count() FROM kafka_dead_letters WHERE Topic = 'orders') AS dead`);
  assert.equal(joined, expected, `one event per producer span, with its trace and span id (${JSON.stringify(diag)})`);

  // Both demo groups have read everything.
  const kafka = new Kafka({ clientId: 'plexus-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets('orders');
  for (const group of ['shipping', 'notification']) {
    const until = Date.now() + 30_000;
    for (;;) {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: ['orders'] });
      const caughtUp = ends.every((e) => offsets!.partitions.find((p) => p.partition === e.partition)?.offset === e.high);
      if (caughtUp) break;
      if (Date.now() > until) assert.fail(`${group} did not read everything`);
      await new Promise((r) => setTimeout(r, 250));
    }
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
