// Stopping Plexus between writing a Kafka slice's spans and committing its
// offsets, on a real broker and a real store: the next consumer replays the
// slice and nothing is lost or written twice, in otel_traces and in the views
// fed from it (trace-id lookup, span facts). The replay is fetched together
// with newer messages, so only the slice ledger makes it the same insert.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStore, migrate, sql, type Store } from '@plexus/store';
import { createDecodePool, startOtlpKafkaConsumer, DEFAULT_SPAN_LIMITS } from '@plexus/collector';
import { testKafka } from './kafka-broker.ts';
import { until } from './until.ts';
import { otlpJson, newTraceId, newSpanId, type TestSpan } from './spans.ts';

const TOPIC = `otlp_spans_eo_${randomBytes(4).toString('hex')}`;
const GROUP = `plexus-eo-${randomBytes(4).toString('hex')}`;
const pool = createDecodePool({ threads: 1 });
let store: Store | undefined;
after(async () => {
  await pool.close();
  await store?.close();
});

const trace = (i: number): TestSpan[] => {
  const traceId = newTraceId();
  const root = newSpanId();
  const t = Date.now() - 60_000;
  return [
    { service: `eo-svc-${i}`, name: 'GET /x', kind: 'SERVER', traceId, spanId: root, startMs: t, durationMs: 10 },
    { service: `eo-svc-${i}`, name: 'SELECT x', kind: 'CLIENT', traceId, spanId: newSpanId(), parentSpanId: root, startMs: t + 1, durationMs: 4, attributes: { 'db.system': 'postgresql' } },
  ];
};

test('a stop between write and commit loses nothing and duplicates nothing', async () => {
  const { kafka, createTopic } = await testKafka();
  await createTopic(TOPIC, 1);
  store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'plexus-eo-')) });
  await migrate(store, { retentionDays: 7 });
  const traces = Array.from({ length: 5 }, (_, i) => trace(i));
  const ids = traces.map((t) => t[0]!.traceId);
  const producer = kafka.producer();
  await producer.connect();
  const send = (from: number, to: number) => producer.send({ topic: TOPIC, messages: traces.slice(from, to).map((t) => ({ value: JSON.stringify(otlpJson(t)) })) });
  const common = { kafka, groupId: GROUP, topics: [TOPIC], encoding: 'otlp_json' as const, pool, store, limits: DEFAULT_SPAN_LIMITS, deadLetter: async () => { throw new Error('no dead letters expected'); }, log: () => {} };

  // First Plexus: writes the slice of messages 0..1, then stops before committing.
  await send(0, 2);
  let first: { stop(): Promise<void> } | undefined;
  let stopped: Promise<void> | undefined;
  const written = new Promise<{ first: string; last: string }>((resolve) => {
    void startOtlpKafkaConsumer({
      ...common,
      beforeCommit: async (_topic, _partition, slice) => {
        resolve(slice);
        stopped ??= first!.stop();
        throw new Error('stopped between write and commit');
      },
    }).then((c) => { first = c; });
  });
  assert.deepEqual(await written, { first: '0', last: '1' });
  await stopped;
  const admin = kafka.admin();
  await admin.connect();
  const committed = async () => (await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }))[0]!.partitions[0]!.offset;
  assert.equal(await committed(), '-1', 'nothing was committed');
  const spans = () => store!.query<{ n: string }>(sql`SELECT count() AS n FROM otel_traces WHERE TraceId IN ${ids}`).then((r) => Number(r[0]!.n));
  assert.equal(await spans(), 4, 'the slice was written before the stop');

  // Newer messages arrive; the next Plexus fetches 0..4 in one batch and must replay 0..1 as the same slice.
  await send(2, 5);
  const second = await startOtlpKafkaConsumer(common);
  try {
    await until('all offsets committed', committed, (o) => o === '5');
  } finally {
    await second.stop();
    await admin.disconnect();
    await producer.disconnect();
  }
  assert.equal(await spans(), 10, 'each of the 5 traces × 2 spans exactly once');
  const perTrace = await store.query<{ TraceId: string; n: string }>(sql`SELECT TraceId, count() AS n FROM otel_traces WHERE TraceId IN ${ids} GROUP BY TraceId`);
  assert.deepEqual(perTrace.map((r) => Number(r.n)), [2, 2, 2, 2, 2]);
  const lookup = await store.query<{ n: string }>(sql`SELECT count() AS n FROM otel_traces_trace_id_ts WHERE TraceId IN ${ids}`);
  assert.equal(Number(lookup[0]!.n), 5, 'one trace-id lookup row per trace');
  const facts = await store.query<{ n: string }>(sql`SELECT count() AS n FROM otel_span_facts WHERE TraceId IN ${ids}`);
  assert.equal(Number(facts[0]!.n), 10, 'one span-facts row per span');
});
