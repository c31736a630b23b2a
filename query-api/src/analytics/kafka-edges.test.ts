import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceOfKafkaIdentity, mergeKafkaEdges } from './kafka-edges.ts';

test('Kafka identities map to known services by name, URI tail, or client id without its instance suffix', () => {
  const services = new Set(['checkout', 'shipping', 'notification-service']);
  const cases: Array<[string, string | undefined]> = [
    ['checkout', 'checkout'],
    ['/checkout', 'checkout'],
    ['urn:shop:checkout', 'checkout'],
    ['https://shop.example/services/checkout', 'checkout'],
    ['shipping-7f9c2a', 'shipping'],
    ['shipping-1', 'shipping'],
    ['notification-service-0', 'notification-service'],
    ['billing-1', undefined],
    ['', undefined],
  ];
  for (const [identity, expected] of cases) assert.equal(serviceOfKafkaIdentity(identity, services), expected, identity);
});

test('traces stay authoritative where both see an edge; Kafka adds its lag and source, and its own edges', () => {
  const edge = (s: string, sk: 'SERVICE' | 'TOPIC', t: string, tk: 'SERVICE' | 'TOPIC', calls: number, sources: string[]) =>
    ({ sourceName: s, sourceKind: sk, targetName: t, targetKind: tk, calls, errors: 0, errorRate: 0, callRate: calls / 60, latency: { p50: 1, p95: 2, p99: 3 }, sources });
  const merged = mergeKafkaEdges(
    [edge('orders', 'TOPIC', 'shipping', 'SERVICE', 100, ['traces'])],
    [{ ...edge('orders', 'TOPIC', 'shipping', 'SERVICE', 98, ['kafka']), lag: 7 }, { ...edge('orders', 'TOPIC', 'audit', 'SERVICE', 40, ['kafka']), lag: 0 }],
  );
  assert.deepEqual(merged.map((e) => [e.targetName, e.calls, e.sources, e.lag]), [['shipping', 100, ['traces', 'kafka'], 7], ['audit', 40, ['kafka'], 0]]);
});
