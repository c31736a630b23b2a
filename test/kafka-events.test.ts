// Event topics against a real Apache Kafka broker: CloudEvents in binary mode
// (ce_* headers) and structured mode (the whole event as JSON), traceparent
// tying an event to its trace, a poison record in the dead letters while later
// ones flow, and a replay after a restart that neither loses nor duplicates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { sql } from '@plexus/store';
import { startTestPlexus, type TestPlexus } from './harness.ts';
import { testKafka } from './kafka-broker.ts';
import { until } from './until.ts';
import { fixturePath } from './fixtures.ts';

const TOPIC = `orders_${randomBytes(4).toString('hex')}`;
const GROUP = `plexus-test-${randomBytes(4).toString('hex')}`;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
let brokers: string;
let kafka: Kafka;
let dataDir: string;
let config: string;
let px: TestPlexus | undefined;

const start = () => startTestPlexus({ KAFKA_BROKERS: brokers, PLEXUS_CONFIG: config, PLEXUS_DATA_DIR: dataDir });

before(async () => {
  const t = await testKafka();
  brokers = t.brokers;
  kafka = t.kafka;
  await t.createTopic(TOPIC, 2);
  const dir = mkdtempSync(join(tmpdir(), 'plexus-kafka-events-'));
  dataDir = join(dir, 'data');
  config = join(dir, 'plexus.yaml');
  writeFileSync(config, `kafka:\n  groupId: ${GROUP}\n  otlp: { topics: [] }\n  events: { topics: ["/^${TOPIC}$/"], producerHeader: x-service }\n`);
  px = await start();
});
after(async () => {
  await px?.close();
});

interface EventRow { Partition: number; Offset: string; Key: string; CeId: string; CeSource: string; CeType: string; CeSubject: string; CeSpecVersion: string; ContentType: string; TraceId: string; Producer: string }

const read = () => px!.store.query<EventRow>(sql`
  SELECT Partition, toString(Offset) AS Offset, Key, CeId, CeSource, CeType, CeSubject, CeSpecVersion, ContentType, TraceId, Producer
  FROM kafka_events FINAL WHERE Topic = ${TOPIC} ORDER BY Key`);

test('binary and structured CloudEvents become events with their attributes; a poison record is a dead letter', async () => {
  const structured = readFileSync(fixturePath('kafka/cloudevents/sdk-java-v1/json_data.json'));
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: TOPIC,
    messages: [
      {
        key: 'binary', partition: 0, value: JSON.stringify({ orderId: 42 }),
        headers: { ce_specversion: '1.0', ce_id: 'order-42', ce_source: '/checkout', ce_type: 'shop.order.placed', ce_subject: 'orders/42', 'content-type': 'application/json', traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` },
      },
      { key: 'structured', partition: 0, value: structured, headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' } },
      { key: 'poison', partition: 1, value: '{"specversion": "1.0", "id": ', headers: { 'content-type': 'application/cloudevents+json' } },
      { key: 'plain', partition: 1, value: 'not a cloud event', headers: { 'x-service': 'legacy-billing' } },
    ],
  });
  await producer.disconnect();

  const rows = await until('three events', read, (r) => r.length === 3);
  const byKey = Object.fromEntries(rows.map((r) => [r.Key, { ...r, Partition: Number(r.Partition) }]));
  assert.deepEqual(byKey['binary'], {
    Partition: 0, Offset: '0', Key: 'binary', CeId: 'order-42', CeSource: '/checkout', CeType: 'shop.order.placed', CeSubject: 'orders/42', CeSpecVersion: '1.0',
    ContentType: 'application/json', TraceId: TRACE_ID, Producer: '/checkout',
  });
  // Read off sdk-java-v1/json_data.json.
  assert.deepEqual({ ...byKey['structured'], ContentType: undefined }, {
    Partition: 0, Offset: '1', Key: 'structured', CeId: '1', CeSource: 'http://localhost/source', CeType: 'mock.test', CeSubject: 'sub', CeSpecVersion: '1.0',
    ContentType: undefined, TraceId: '', Producer: 'http://localhost/source',
  });
  // Not a CloudEvent, still an event: its producer from the configured header.
  assert.deepEqual({ ce: byKey['plain']!.CeType, producer: byKey['plain']!.Producer, offset: byKey['plain']!.Offset }, { ce: '', producer: 'legacy-billing', offset: '1' });

  const dead = await until('the dead letter', () => px!.store.query<{ Key: string; Offset: string; Reason: string }>(sql`
    SELECT Key, toString(Offset) AS Offset, Reason FROM kafka_dead_letters FINAL WHERE Topic = ${TOPIC}`), (r) => r.length === 1);
  assert.equal(dead[0]!.Key, 'poison');
  assert.equal(dead[0]!.Offset, '0');
  assert.match(dead[0]!.Reason, new RegExp(`topic "${TOPIC}" partition 1 offset 0: .*JSON`, 'i'));
});

test('topic(name): event types, producers, and the events of one trace', async () => {
  const now = Date.now();
  // Kafka timestamps are the produce time: the window is around now.
  const d = await px!.gql(`query($name: String!, $from: DateTime!, $to: DateTime!, $trace: String) {
    topic(name: $name, from: $from, to: $to) { messages producers eventTypes { type count } events(traceId: $trace) { key ceType ceSource traceId partition offset } channel { api } } }`,
    { name: TOPIC, from: new Date(now - 10 * 60_000).toISOString(), to: new Date(now + 60_000).toISOString(), trace: TRACE_ID });
  assert.equal(d.topic.messages, 3, 'three events read (the poison record is a dead letter)');
  assert.deepEqual(d.topic.producers, ['/checkout', 'http://localhost/source', 'legacy-billing']);
  assert.deepEqual(d.topic.eventTypes, [{ type: 'mock.test', count: 1 }, { type: 'shop.order.placed', count: 1 }]);
  assert.deepEqual(d.topic.events, [{ key: 'binary', ceType: 'shop.order.placed', ceSource: '/checkout', traceId: TRACE_ID, partition: 0, offset: '0' }]);
  assert.equal(d.topic.channel, null);
});

test('a restart that replays every record (offsets reset, as after a crash between write and commit) loses nothing and duplicates nothing', async () => {
  const before = await read();
  await px!.close();
  px = undefined;
  const admin = kafka.admin();
  await admin.connect();
  const committed = () => admin.fetchOffsets({ groupId: `${GROUP}-events`, topics: [TOPIC] });
  await admin.setOffsets({ groupId: `${GROUP}-events`, topic: TOPIC, partitions: [{ partition: 0, offset: '0' }, { partition: 1, offset: '0' }] });
  // The reset took: every record of both partitions is due again.
  assert.deepEqual((await committed())[0]!.partitions.map((p) => p.offset).sort(), ['0', '0']);
  px = await start();
  // Back at the ends: the group has read and written all four records again.
  await until('the replay to be committed', committed, (r) => r[0]!.partitions.every((p) => p.offset === '2'));
  await admin.disconnect();
  assert.deepEqual(await read(), before, 'readers still see each record once');
});
