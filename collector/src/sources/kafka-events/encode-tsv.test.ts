import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, migrate, sql, type Store } from '@plexus/store';
import { parseEventMessage } from './parse-event.ts';
import { deadLetterRow } from './dead-letter.ts';
import { encodeEventRow, encodeDeadLetterRow, KAFKA_EVENTS_COLUMNS, KAFKA_DEAD_LETTERS_COLUMNS } from './encode-tsv.ts';
import { DEFAULT_EVENT_OPTIONS, type EventRow, type ParseEventOptions } from './event-row.ts';
import type { KafkaMessage } from './message.ts';
import { fixturePath } from '../../../../test/fixtures.ts';

let store: Store;
const dir = mkdtempSync(join(tmpdir(), 'plexus-kafka-events-'));
const fixture = (p: string): Buffer => readFileSync(fixturePath(`kafka/cloudevents/${p}`));

before(async () => {
  store = await openStore({ dataDir: dir });
  await migrate(store, { retentionDays: 7 });
  // Merges would collapse replays on their own schedule; stopped, the duplicates stay and reads must deduplicate.
  await store.command(sql`SYSTEM STOP MERGES kafka_events`);
  await store.command(sql`SYSTEM STOP MERGES kafka_dead_letters`);
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function parsed(msg: KafkaMessage, opts: Partial<ParseEventOptions> = {}): EventRow {
  const r = parseEventMessage(msg, { ...DEFAULT_EVENT_OPTIONS, ...opts });
  if (!r.ok) assert.fail(r.reason);
  return r.row;
}

const insertEvents = (rows: EventRow[]) => store.insertTsv('kafka_events', KAFKA_EVENTS_COLUMNS, Buffer.from(rows.map(encodeEventRow).join('')));

const structured: KafkaMessage = {
  topic: 'orders', partition: 0, offset: '10', timestamp: '1700000000123', key: Buffer.from('k\t1'),
  value: fixture('sdk-java-v1/json_data_with_ext.json'), headers: { 'content-type': 'application/cloudevents+json' },
};
const binary: KafkaMessage = {
  topic: 'orders', partition: 1, offset: '18446744073709551615', timestamp: '1700000001000', key: null, value: Buffer.from('{"world":"hello"}\n'),
  headers: {
    ce_specversion: '1.0', ce_type: 'com.example.someevent', ce_time: '2018-04-05T03:56:24Z', ce_id: '4321-4321-4321', ce_source: '/mycontext/subcontext',
    ce_comexampleextension1: 'value', ce_comexampleextension2: '{"othervalue": 5}\n', 'user-agent': 'foo',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  },
};
const tombstone: KafkaMessage = { topic: 'customers', partition: 2, offset: '7', timestamp: '1699999999999', key: Buffer.from([0xff, 0xfe, 0x00]), value: null, headers: { producer: "o'brien" } };

const SELECT_EVENTS = sql`SELECT Timestamp, Topic, Partition, Offset, Key, KeyEncoding, Size, ContentType, CeId, CeSource, CeType, CeSubject,
  CeSpecVersion, CeTime, CeDataSchema, Extensions, TraceId, SpanId, Producer, Payload, PayloadEncoding, PayloadTruncated
  FROM kafka_events FINAL ORDER BY Topic, Partition, Offset`;

test('parsed events are written and read back exactly; a replay of the same offsets is one row at read', async () => {
  const rows = [
    parsed(structured, { storePayload: true, maxPayloadBytes: 40 }),
    parsed(binary, { storePayload: true, maxPayloadBytes: 1024 }),
    parsed(tombstone, { producerHeaders: ['producer'] }),
  ];
  await insertEvents(rows);
  // The consumer restarted before committing: the same records arrive again.
  await insertEvents(rows);

  const [raw] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM kafka_events`);
  assert.equal(raw!.n, '6');
  const [grouped] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM (SELECT Topic, Partition, Offset FROM kafka_events GROUP BY Topic, Partition, Offset)`);
  assert.equal(grouped!.n, '3');

  const back = await store.query(SELECT_EVENTS);
  const firstBytes = fixture('sdk-java-v1/json_data_with_ext.json').subarray(0, 40).toString('utf8');
  assert.deepEqual(back, [
    {
      Timestamp: '2023-11-14 22:13:19.999', Topic: 'customers', Partition: 2, Offset: '7', Key: Buffer.from([0xff, 0xfe, 0x00]).toString('base64'), KeyEncoding: 'base64',
      Size: 0, ContentType: '', CeId: '', CeSource: '', CeType: '', CeSubject: '', CeSpecVersion: '', CeTime: null, CeDataSchema: '', Extensions: {},
      TraceId: '', SpanId: '', Producer: "o'brien", Payload: '', PayloadEncoding: '', PayloadTruncated: 0,
    },
    {
      Timestamp: '2023-11-14 22:13:20.123', Topic: 'orders', Partition: 0, Offset: '10', Key: 'k\t1', KeyEncoding: 'utf8',
      Size: 340, ContentType: 'application/json', CeId: '1', CeSource: 'http://localhost/source', CeType: 'mock.test', CeSubject: 'sub',
      CeSpecVersion: '1.0', CeTime: '2018-04-26 12:48:09.000', CeDataSchema: 'http://localhost/schema', Extensions: { aboolean: 'true', anumber: '10', astring: 'aaa' },
      TraceId: '', SpanId: '', Producer: 'http://localhost/source', Payload: firstBytes, PayloadEncoding: 'utf8', PayloadTruncated: 1,
    },
    {
      Timestamp: '2023-11-14 22:13:21.000', Topic: 'orders', Partition: 1, Offset: '18446744073709551615', Key: '', KeyEncoding: '',
      Size: 18, ContentType: '', CeId: '4321-4321-4321', CeSource: '/mycontext/subcontext', CeType: 'com.example.someevent', CeSubject: '',
      CeSpecVersion: '1.0', CeTime: '2018-04-05 03:56:24.000', CeDataSchema: '', Extensions: { comexampleextension1: 'value', comexampleextension2: '{"othervalue": 5}\n' },
      TraceId: '4bf92f3577b34da6a3ce929d0e0e4736', SpanId: '00f067aa0ba902b7', Producer: '/mycontext/subcontext', Payload: '{"world":"hello"}\n', PayloadEncoding: 'utf8', PayloadTruncated: 0,
    },
  ]);
  assert.match(firstBytes, /\n/); // the stored prefix crosses lines of the fixture, so TSV escaping is exercised
});

test('events are found by trace id', async () => {
  const rows = await store.query<{ Offset: string }>(sql`SELECT Offset FROM kafka_events FINAL WHERE TraceId = ${'4bf92f3577b34da6a3ce929d0e0e4736'}`);
  assert.deepEqual(rows, [{ Offset: '18446744073709551615' }]);
});

test('a rejected record is written to kafka_dead_letters with its reason and capped value; a replay is one row at read', async () => {
  const poison: KafkaMessage = { ...structured, offset: '11', value: fixture('sdk-java-v1/fail_numeric_long.json') };
  const r = parseEventMessage(poison, DEFAULT_EVENT_OPTIONS);
  assert.equal(r.ok, false);
  const reason = (r as { reason: string }).reason;
  const line = encodeDeadLetterRow(deadLetterRow(poison, reason, Date.UTC(2024, 0, 2, 3, 4, 5, 678), 16));
  await store.insertTsv('kafka_dead_letters', KAFKA_DEAD_LETTERS_COLUMNS, Buffer.from(line));
  await store.insertTsv('kafka_dead_letters', KAFKA_DEAD_LETTERS_COLUMNS, Buffer.from(line));
  const back = await store.query(sql`SELECT ReceivedAt, Topic, Partition, Offset, Key, KeyEncoding, Size, Reason, Payload, PayloadEncoding, PayloadTruncated
    FROM kafka_dead_letters FINAL`);
  assert.deepEqual(back, [{
    ReceivedAt: '2024-01-02 03:04:05.678', Topic: 'orders', Partition: 0, Offset: '11', Key: 'k\t1', KeyEncoding: 'utf8', Size: 134,
    Reason: 'topic "orders" partition 0 offset 11: structured CloudEvent (application/cloudevents+json): attribute "long" is 4247483647, outside the Integer range -2147483648..2147483647',
    Payload: '{\n    "specversi', PayloadEncoding: 'utf8', PayloadTruncated: 1,
  }]);
});

test('both tables follow a retention change', async () => {
  // The TTL change rewrites parts, which waits for merges.
  await store.command(sql`SYSTEM START MERGES kafka_events`);
  await store.command(sql`SYSTEM START MERGES kafka_dead_letters`);
  await migrate(store, { retentionDays: 3 });
  for (const name of ['kafka_events', 'kafka_dead_letters']) {
    const [row] = await store.query<{ engine_full: string }>(sql`SELECT engine_full FROM system.tables WHERE name = ${name} AND database = currentDatabase()`);
    assert.match(row!.engine_full, /TTL toDateTime\(\w+\) \+ toIntervalDay\(_CAST\(3, 'UInt32'\)\)/, name);
  }
});
