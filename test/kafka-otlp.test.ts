// OTLP over Kafka against a real Apache Kafka broker (test/kafka-broker.ts): what
// the OpenTelemetry Collector's Kafka exporter writes (otlp_proto or otlp_json)
// becomes spans; an undecodable message lands in kafka_dead_letters with its
// reason and never stalls its partition; offsets are committed after the write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { sql } from '@plexus/store';
import { otlpTypes } from '@plexus/collector';
import { startTestPlexus, type TestPlexus } from './harness.ts';
import { testKafka } from './kafka-broker.ts';
import { until } from './until.ts';
import { otlpJson, newTraceId, newSpanId, type TestSpan } from './spans.ts';

const TOPIC = `otlp_spans_${randomBytes(4).toString('hex')}`;
const GROUP = `plexus-test-${randomBytes(4).toString('hex')}`;
let px: TestPlexus;
let kafka: Kafka;

before(async () => {
  const t = await testKafka();
  kafka = t.kafka;
  await t.createTopic(TOPIC, 1);
  const dir = mkdtempSync(join(tmpdir(), 'plexus-kafka-otlp-'));
  writeFileSync(join(dir, 'plexus.yaml'), `kafka:\n  groupId: ${GROUP}\n  otlp: { topics: [${TOPIC}] }\n`);
  px = await startTestPlexus({ KAFKA_BROKERS: t.brokers, PLEXUS_CONFIG: join(dir, 'plexus.yaml') });
});
after(async () => {
  await px?.close();
});

const trace = (service: string): TestSpan[] => {
  const traceId = newTraceId();
  const root = newSpanId();
  const t = Date.now() - 60_000;
  return [
    { service, name: 'GET /orders', kind: 'SERVER', traceId, spanId: root, startMs: t, durationMs: 12 },
    { service, name: 'SELECT orders', kind: 'CLIENT', traceId, spanId: newSpanId(), parentSpanId: root, startMs: t + 1, durationMs: 5, attributes: { 'db.system': 'postgresql' } },
  ];
};

/** The OTLP/JSON body of spans, re-encoded as the protobuf the exporter writes with otlp_proto. */
function protobuf(spans: TestSpan[]): Buffer {
  const json = otlpJson(spans) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };
  for (const rs of json.resourceSpans) for (const ss of rs.scopeSpans) for (const s of ss.spans) {
    s['traceId'] = Buffer.from(s['traceId'] as string, 'hex');
    s['spanId'] = Buffer.from(s['spanId'] as string, 'hex');
    s['parentSpanId'] = s['parentSpanId'] ? Buffer.from(s['parentSpanId'] as string, 'hex') : Buffer.alloc(0);
  }
  return Buffer.from(otlpTypes.request.encode(otlpTypes.request.fromObject(json)).finish());
}

test('otlp_proto and otlp_json messages become spans; a poison message goes to dead letters while later ones flow', async () => {
  const a = trace('kafka-proto-svc');
  const b = trace('kafka-json-svc');
  const c = trace('kafka-after-poison');
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: TOPIC,
    messages: [
      { key: 'a', value: protobuf(a) },
      { key: 'b', value: JSON.stringify(otlpJson(b)) },
      { key: 'poison', value: Buffer.from([0xff, 0xff, 0xff, 0x01]) },
      { key: 'c', value: JSON.stringify(otlpJson(c)) },
    ],
  });
  await producer.disconnect();

  const ids = [a, b, c].map((t) => t[0]!.traceId);
  const rows = await until('spans of the three traces', () => px.store.query<{ TraceId: string; n: string }>(sql`
    SELECT TraceId, count() AS n FROM otel_traces WHERE TraceId IN ${ids} GROUP BY TraceId ORDER BY TraceId`), (r) => r.length === 3 && r.every((x) => Number(x.n) === 2));
  assert.deepEqual(rows.map((r) => [r.TraceId, Number(r.n)]), [...ids].sort().map((id) => [id, 2]));
  const services = await px.store.query<{ s: string }>(sql`SELECT DISTINCT ServiceName AS s FROM otel_traces WHERE TraceId IN ${ids} ORDER BY s`);
  assert.deepEqual(services.map((r) => r.s), ['kafka-after-poison', 'kafka-json-svc', 'kafka-proto-svc']);

  const dead = await until('the dead letter', () => px.store.query<{ Topic: string; Partition: number; Offset: string; Key: string; Reason: string; Size: number }>(sql`
    SELECT Topic, Partition, toString(Offset) AS Offset, Key, Reason, Size FROM kafka_dead_letters FINAL WHERE Topic = ${TOPIC}`), (r) => r.length > 0);
  assert.equal(dead.length, 1);
  assert.deepEqual({ ...dead[0]!, Reason: undefined, Partition: Number(dead[0]!.Partition), Size: Number(dead[0]!.Size) }, { Topic: TOPIC, Partition: 0, Offset: '2', Key: 'poison', Reason: undefined, Size: 4 });
  assert.match(dead[0]!.Reason, new RegExp(`^${TOPIC}\\[0\\]@2: not OTLP \\(protobuf\\)`));

  // Offsets are committed once the spans are written: the group has consumed all four.
  const admin = kafka.admin();
  await admin.connect();
  const committed = await until('the committed offset', () => admin.fetchOffsets({ groupId: `${GROUP}-otlp`, topics: [TOPIC] }), (r) => r[0]?.partitions[0]?.offset === '4');
  await admin.disconnect();
  assert.equal(committed[0]!.partitions[0]!.offset, '4');
});
