import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from './config.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'plexus-kafka-config-'));

test('Kafka is off without brokers, and on with KAFKA_BROKERS alone, with DESIGN.md defaults', () => {
  assert.equal(loadConfig({}, dir()).kafka, undefined);
  const k = loadConfig({ KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092', PLEXUS_KAFKA_EVENT_TOPICS: 'orders,/payments\\..+/' }, dir()).kafka!;
  assert.deepEqual(k.brokers, ['kafka-1:9092', 'kafka-2:9092']);
  assert.deepEqual(k.otlp, { topics: ['otlp_spans'], encoding: 'otlp_proto' });
  assert.equal(k.events.topics[0], 'orders');
  assert.ok(k.events.topics[1] instanceof RegExp && k.events.topics[1].test('payments.captured') && !k.events.topics[1].test('orders'));
  assert.deepEqual({ ...k.events, topics: undefined }, { topics: undefined, producerHeader: 'producer', storePayload: false, maxPayloadBytes: 16384 });
  assert.equal(k.groupId, 'plexus');
  assert.equal(k.sasl, undefined);
});

test('the kafka section: SASL password from the environment; the variables win over the file', () => {
  const d = dir();
  writeFileSync(join(d, 'plexus.yaml'), [
    'kafka:',
    '  brokers: ["b1:9093"]',
    '  clientId: plexus-eu',
    '  ssl: true',
    '  sasl: { mechanism: scram-sha-512, username: plexus, passwordEnv: KAFKA_PASSWORD }',
    '  otlp: { topics: [otlp_spans, spans_eu], encoding: otlp_json }',
    '  events: { topics: [orders], producerHeader: x-service, storePayload: true, maxPayloadBytes: 4096 }',
    '',
  ].join('\n'));
  const k = loadConfig({ KAFKA_PASSWORD: 'secret-value' }, d).kafka!;
  assert.deepEqual(k.sasl, { mechanism: 'scram-sha-512', username: 'plexus', password: 'secret-value' });
  assert.deepEqual(k.otlp, { topics: ['otlp_spans', 'spans_eu'], encoding: 'otlp_json' });
  assert.deepEqual(k.events, { topics: ['orders'], producerHeader: 'x-service', storePayload: true, maxPayloadBytes: 4096 });
  assert.equal(k.clientId, 'plexus-eu');
  assert.equal(k.ssl, true);
  assert.deepEqual(loadConfig({ KAFKA_PASSWORD: 'x', KAFKA_BROKERS: 'other:9092' }, d).kafka!.brokers, ['other:9092']);
});

test('bad Kafka settings are all reported at once', () => {
  const d = dir();
  writeFileSync(join(d, 'plexus.yaml'), 'kafka:\n  brokers: ["no-port"]\n  sasl: { mechanism: plain, username: u, passwordEnv: MISSING_PASSWORD }\n  events: { topics: ["/(unclosed/"] }\n');
  assert.throws(() => loadConfig({}, d), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    for (const needle of ['MISSING_PASSWORD is not set', '"no-port" is not host:port', 'kafka.events.topics.0: "/(unclosed/" is not a valid regular expression']) assert.ok(err.message.includes(needle), `${needle} in ${err.message}`);
    return true;
  });
  // Shape errors (an unknown encoding, an unknown key) come from the schema, each by its path.
  writeFileSync(join(d, 'plexus.yaml'), 'kafka:\n  otlp: { encoding: avro }\n  partitons: 3\n');
  assert.throws(() => loadConfig({}, d), (err: unknown) => err instanceof ConfigError && err.message.includes('kafka.otlp.encoding') && err.message.includes('partitons'));
});
