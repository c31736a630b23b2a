// One edge model across sources (issue 5): a landscape where one path is seen
// only in Kong's access logs, one only in Istio's metrics, and one in traces
// and the mesh together yields exactly the expected graph and RED figures.
// The mesh is a real HTTP endpoint serving Prometheus exposition text that
// changes between two scrapes; counts come from the increase, never added
// across sources.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCatalog } from '@plexus/catalog';
import { startTestPlexus, postOtlpJson, type TestPlexus } from './harness.ts';
import { otlpJson, newTraceId, newSpanId, windowAround, type TestSpan } from './spans.ts';

let px: TestPlexus;
let mesh: Server;
let exposition = '';
const now = Date.now();

/** Istio's destination-reported series between two workloads, as a sidecar exposes them. */
function istio(source: string, destination: string, ok: number, failed: number, buckets: Array<[string, number]>, sumMs: number): string {
  const labels = (code: string) => `reporter="destination",source_app="${source}",source_workload="${source}-v1",source_workload_namespace="default",destination_service_name="${destination}",destination_service_namespace="default",destination_workload="${destination}-v1",response_code="${code}"`;
  return [
    `istio_requests_total{${labels('200')}} ${ok}`,
    `istio_requests_total{${labels('503')}} ${failed}`,
    ...buckets.map(([le, n]) => `istio_request_duration_milliseconds_bucket{${labels('200')},le="${le}"} ${n}`),
    `istio_request_duration_milliseconds_sum{${labels('200')}} ${sumMs}`,
    `istio_request_duration_milliseconds_count{${labels('200')}} ${ok}`,
  ].join('\n');
}

const reading = (first: boolean) => [
  '# TYPE istio_requests_total counter',
  first
    ? istio('reviews', 'ratings', 100, 5, [['10', 50], ['25', 80], ['50', 100], ['+Inf', 100]], 2000)
    : istio('reviews', 'ratings', 130, 7, [['10', 60], ['25', 100], ['50', 130], ['+Inf', 130]], 2750),
  first
    ? istio('productpage', 'reviews', 50, 0, [['10', 0], ['25', 50], ['50', 50], ['+Inf', 50]], 1000)
    : istio('productpage', 'reviews', 62, 0, [['10', 0], ['25', 62], ['50', 62], ['+Inf', 62]], 1240),
  '',
].join('\n');

/** A Kong http-log record: `consumer` only when an auth plugin ran; latencies in ms. */
const kong = (i: number, status: number, totalMs: number) => ({
  request: { method: 'GET', uri: `/orders/${1000 + i}`, url: `http://kong:8000/orders/${1000 + i}`, size: 120, headers: { host: 'kong:8000' } },
  response: { status, size: 512, headers: {} },
  latencies: { request: totalMs, proxy: totalMs - 2, kong: 2 },
  service: { name: 'orders', host: 'orders.default.svc.cluster.local', port: 8080, protocol: 'http' },
  route: { name: 'orders-route', paths: ['/orders'] },
  consumer: { username: 'mobile-app', id: 'c0ffee00-0000-4000-8000-000000000001' },
  client_ip: '10.0.0.9',
  started_at: now - 60_000 + i * 100,
});

before(async () => {
  exposition = reading(true);
  mesh = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(exposition);
  });
  await new Promise<void>((r) => mesh.listen(0, '127.0.0.1', () => r()));
  // A port that was just freed: connecting is refused (fetch blocks well-known ports like 1 before trying).
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
  const refusedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const dir = mkdtempSync(join(tmpdir(), 'plexus-mixed-'));
  const url = `http://127.0.0.1:${(mesh.address() as AddressInfo).port}/stats/prometheus`;
  writeFileSync(join(dir, 'plexus.yaml'), `mesh:\n  intervalSeconds: 3600\n  targets:\n    - { url: "${url}", mesh: istio, name: bookinfo }\n    - { url: "http://127.0.0.1:${refusedPort}/stats/prometheus", mesh: istio, name: broken }\n`);
  px = await startTestPlexus({ PLEXUS_CONFIG: join(dir, 'plexus.yaml') });
  // The orders service provides an API; Kong's consumer must show up as its consumer.
  writeFileSync(join(dir, 'catalog-info.yaml'), `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: orders }
spec: { type: service, lifecycle: production, owner: group:default/orders-team, providesApis: [orders-api] }
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: { name: orders-api }
spec:
  type: openapi
  lifecycle: production
  owner: group:default/orders-team
  definition: |
    openapi: 3.0.3
    info: { title: Orders, version: '1' }
    paths:
      /orders/{orderId}:
        get: { responses: { '200': { description: ok } } }
`);
  const imported = await importCatalog(px.store, [join(dir, 'catalog-info.yaml')]);
  assert.deepEqual(imported.errors, []);
});
after(async () => {
  await px?.close();
  mesh?.close();
});

test('Kong-only, Istio-only and traced+meshed paths give the exact graph and RED', async () => {
  // Path 1, Kong logs only: 8 answered in 20 ms, 2 failed upstream (502) in 40 ms.
  const records = [...Array.from({ length: 8 }, (_, i) => kong(i, 200, 20)), kong(8, 502, 40), kong(9, 502, 40)];
  const res = await fetch(`${px.otlpUrl}/ingest/kong`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: records.map((r) => JSON.stringify(r)).join('\n') });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { accepted: 10, rejected: 0, errors: [] });

  // Path 3, traces (4 sampled calls) and the mesh (12 calls) together.
  const spans: TestSpan[] = [];
  for (let i = 0; i < 4; i++) {
    const traceId = newTraceId();
    const root = newSpanId();
    const client = newSpanId();
    const t = now - 90_000 + i * 1000;
    spans.push(
      { service: 'productpage', name: 'GET /productpage', kind: 'SERVER', traceId, spanId: root, startMs: t, durationMs: 30 },
      { service: 'productpage', name: 'GET /reviews/{id}', kind: 'CLIENT', traceId, spanId: client, parentSpanId: root, startMs: t + 1, durationMs: 22 },
      { service: 'reviews', name: 'GET /reviews/{id}', kind: 'SERVER', traceId, spanId: newSpanId(), parentSpanId: client, startMs: t + 2, durationMs: 20 },
    );
  }
  assert.equal((await postOtlpJson(px.otlpUrl, otlpJson(spans))).status, 200);

  // Path 2 and 3's mesh side: the second reading's increase (the first was the baseline at start).
  exposition = reading(false);
  await px.scrapeMesh();
  await px.recompute();

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
