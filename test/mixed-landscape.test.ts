// One edge model across sources (issue 5): on the landscape of
// test/mixed-landscape.ts (one path seen only in Kong's access logs, one only in
// Istio's metrics, one in traces and the mesh together) the graph and the RED
// figures are exact; counts come from the mesh's increase, never added across
// sources.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { windowAround } from './spans.ts';
import { startMixedLandscape, type MixedLandscape } from './mixed-landscape.ts';

let landscape: MixedLandscape;
before(async () => {
  landscape = await startMixedLandscape();
});
after(async () => {
  await landscape?.close();
});

test('Kong-only, Istio-only and traced+meshed paths give the exact graph and RED', async () => {
  const { px, now } = landscape;
  const w = windowAround(now);
  const g = await px.gql(`query($from: DateTime!, $to: DateTime!) { dependencyGraph(from: $from, to: $to) {
    nodes { id requests errors latency { p50 p95 p99 } }
    edges { source target calls errors sources latency { p50 p95 p99 } } } }`, w);
  const edges = Object.fromEntries(g.dependencyGraph.edges.map((e: any) => [`${e.source}->${e.target}`, e]));
  assert.deepEqual(Object.keys(edges).sort(), ['service:kong->service:orders', 'service:productpage->service:reviews', 'service:reviews->service:ratings']);

  // Kong only: counts exact, latency from 2% buckets (within 2% of 20 and 40 ms).
  const ko = edges['service:kong->service:orders'];
  assert.deepEqual([ko.calls, ko.errors, ko.sources], [10, 2, ['gateway']]);
  assert.ok(Math.abs(ko.latency.p50 - 20) / 20 < 0.02, `p50 ${ko.latency.p50}`);
  assert.ok(Math.abs(ko.latency.p99 - 40) / 40 < 0.02, `p99 ${ko.latency.p99}`);

  // Istio only: +32 calls (30 ok, 2 failed); buckets +10 in (0,10], +10 in (10,25], +10 in (25,50].
  const rr = edges['service:reviews->service:ratings'];
  assert.deepEqual([rr.calls, rr.errors, rr.sources], [32, 2, ['mesh']]);
  assert.deepEqual(rr.latency, { p50: 17.5, p95: 46.25, p99: 49.25 }); // histogram_quantile over the 30 timed calls

  // Traces saw 4 of the 12 calls the mesh counted: the mesh is authoritative, both are named.
  const pr = edges['service:productpage->service:reviews'];
  assert.deepEqual([pr.calls, pr.errors, pr.sources], [12, 0, ['traces', 'mesh']]);

  const nodes = Object.fromEntries(g.dependencyGraph.nodes.map((n: any) => [n.id, n]));
  assert.deepEqual(Object.keys(nodes).sort(), ['service:kong', 'service:orders', 'service:productpage', 'service:ratings', 'service:reviews']);
  assert.deepEqual([nodes['service:orders'].requests, nodes['service:orders'].errors], [10, 2]);
  assert.deepEqual([nodes['service:kong'].requests, nodes['service:kong'].errors], [10, 2], 'the gateway answered what it logged');
  assert.deepEqual([nodes['service:ratings'].requests, nodes['service:ratings'].errors], [32, 2]);
  assert.deepEqual(nodes['service:ratings'].latency, { p50: 17.5, p95: 46.25, p99: 49.25 });
  assert.deepEqual([nodes['service:reviews'].requests, nodes['service:reviews'].errors], [12, 0], 'the mesh saw more than the sampled traces');
  assert.deepEqual([nodes['service:productpage'].requests, nodes['service:productpage'].errors], [4, 0], 'entry spans only: no mesh series reaches productpage');

  // Kong's consumer is a consumer of the API it called through the gateway.
  const api = await px.gql(`query($from: DateTime, $to: DateTime) { entity(ref: "api:orders-api") { consumers(from: $from, to: $to) { service calls errors operations } } }`, w);
  assert.deepEqual(api.entity.consumers, [{ service: 'mobile-app', calls: 10, errors: 2, operations: ['GET /orders/{orderId}'] }]);

  // A target that cannot be reached is reported while the other one keeps counting.
  const src = await px.gql(`query($from: DateTime!, $to: DateTime!) { sources(from: $from, to: $to) {
    meshTargets { name up series lastError lastScrape } gateways { name format calls errors upstreams consumers } } }`, w);
  const targets = Object.fromEntries(src.sources.meshTargets.map((t: any) => [t.name, t]));
  assert.equal(targets.bookinfo.up, true);
  assert.equal(targets.bookinfo.lastError, null);
  assert.ok(targets.bookinfo.series > 0 && targets.bookinfo.lastScrape);
  assert.equal(targets.broken.up, false);
  assert.match(targets.broken.lastError, /ECONNREFUSED|refused/i);
  assert.equal(targets.broken.lastScrape, null);
  assert.deepEqual(src.sources.gateways, [{ name: 'kong', format: 'kong', calls: 10, errors: 2, upstreams: ['orders'], consumers: 1 }]);

  // The same figures through `services`.
  const s = await px.gql(`query($from: DateTime!, $to: DateTime!) { services(from: $from, to: $to) { name requests errors } }`, w);
  assert.deepEqual(s.services.map((x: any) => [x.name, x.requests, x.errors]).sort(), [
    ['kong', 10, 2], ['orders', 10, 2], ['productpage', 4, 0], ['ratings', 32, 2], ['reviews', 12, 0],
  ]);
});
