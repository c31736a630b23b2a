import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asyncApiOperations, type EventOperation } from './operations.ts';
import { fixturePath } from '../../../test/fixtures.ts';

const DIR = fixturePath('catalog/asyncapi/');
const summary = (ops: EventOperation[]) => ops.map((o) => `${o.action} ${o.address}`).sort();

test('2.x publish/subscribe are inverted: the same application reads the same in 2.6 and 3.0', async () => {
  for (const app of ['backend', 'comments-service', 'frontend', 'notification-service', 'public-api']) {
    const v2 = await asyncApiOperations(`${DIR}spec-v2.6.0/social-media/${app}/asyncapi.yaml`);
    const v3 = await asyncApiOperations(`${DIR}spec-v3.0.0/social-media/${app}/asyncapi.yaml`);
    assert.ok(v2.ok && v3.ok, app);
    assert.deepEqual(summary(v2.operations), summary(v3.operations), app);
  }
  const backend = await asyncApiOperations(`${DIR}spec-v2.6.0/social-media/backend/asyncapi.yaml`);
  assert.ok(backend.ok);
  // the 2.x file says `subscribe` on comment/liked: other apps subscribe, so the backend sends
  assert.deepEqual(summary(backend.operations), ['receive comment/{commentId}/changed', 'receive like/comment', 'send comment/liked', 'send update/comment/likes']);
});

test('streetlights in 2.6, 3.0 and 3.1 (Kafka and MQTT) yield the same four operations with message names', async () => {
  for (const file of ['spec-v2.6.0/streetlights-kafka.yml', 'spec-v3.0.0/streetlights-kafka-asyncapi.yml', 'spec-main-3.1.0/streetlights-kafka-asyncapi.yml']) {
    const r = await asyncApiOperations(DIR + file);
    assert.ok(r.ok, file);
    assert.deepEqual(summary(r.operations), [
      'receive smartylighting.streetlights.1.0.event.{streetlightId}.lighting.measured',
      'send smartylighting.streetlights.1.0.action.{streetlightId}.dim',
      'send smartylighting.streetlights.1.0.action.{streetlightId}.turn.off',
      'send smartylighting.streetlights.1.0.action.{streetlightId}.turn.on',
    ], file);
    assert.deepEqual(r.operations.find((o) => o.address.endsWith('measured'))?.messages, ['lightMeasured']);
  }
  const mqtt = await asyncApiOperations(`${DIR}spec-v3.0.0/streetlights-mqtt-asyncapi.yml`);
  assert.ok(mqtt.ok && mqtt.operations.length === 4);
});

test('remote $refs are refused and reported; allowed hosts are read through the given fetcher', async () => {
  const file = `${DIR}spec-v3.0.0/adeo-kafka-request-reply-asyncapi.yml`;
  const refused = await asyncApiOperations(file);
  assert.equal(refused.problems.length, 3);
  for (const p of refused.problems) assert.match(p, /^remote \$ref https:\/\/\S+\.avsc is not allowed: add \S+ to catalog\.allowedHosts/);
  assert.equal(refused.ok, false, 'without its Avro schemas the document does not validate');
  assert.match(!refused.ok ? refused.error : '', /\(line \d+, components\.messages\./);
  const hosts = ['www.asyncapi.com', 'deploy-preview-921--asyncapi-website.netlify.app'];
  const fetched: string[] = [];
  const allowed = await asyncApiOperations(file, { allowedHosts: hosts, fetchText: async (url) => {
    fetched.push(url.href);
    // Stand-ins for the published Avro files: a record for payloads, a plain type for the Kafka key.
    return JSON.stringify(url.pathname.endsWith('Key.avsc') ? { type: 'string' } : { type: 'record', name: 'Stub', fields: [] });
  } });
  assert.equal(fetched.length, 3);
  assert.ok(allowed.ok, allowed.ok ? '' : allowed.error);
  assert.ok(allowed.operations.length > 0);
  assert.deepEqual(allowed.problems, []);
});
