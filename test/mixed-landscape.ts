// The landscape of issue 5's "one edge model", shared by the API test
// (test/mixed-landscape.test.ts) and the browser test (test/browser/sources.test.ts):
// - kong -> orders only in Kong's access logs (10 calls, 2 failed, consumer mobile-app);
// - reviews -> ratings only in Istio's metrics (+32 calls, 2 failed);
// - productpage -> reviews in traces (4 sampled calls) and in the mesh (+12 calls);
// - a mesh target nothing listens on (`broken`), and the orders API in the catalog.
// The mesh is a real HTTP endpoint serving Prometheus exposition text; the
// first reading is the baseline taken at start, the second one's increase is
// the traffic.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCatalog } from '@plexus/catalog';
import { startTestPlexus, postOtlpJson, type TestPlexus } from './harness.ts';
import { otlpJson, newTraceId, newSpanId, type TestSpan } from './spans.ts';
import { refusedPort } from './refused-port.ts';

/** The running landscape: Plexus with every path's traffic written and recomputed. */
export interface MixedLandscape {
  px: TestPlexus;
  /** The time the traffic was generated around. */
  now: number;
  /** The mesh target that refuses connections. */
  brokenUrl: string;
  close(): Promise<void>;
}

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
const kong = (now: number, i: number, status: number, totalMs: number) => ({
  request: { method: 'GET', uri: `/orders/${1000 + i}`, url: `http://kong:8000/orders/${1000 + i}`, size: 120, headers: { host: 'kong:8000' } },
  response: { status, size: 512, headers: {} },
  latencies: { request: totalMs, proxy: totalMs - 2, kong: 2 },
  service: { name: 'orders', host: 'orders.default.svc.cluster.local', port: 8080, protocol: 'http' },
  route: { name: 'orders-route', paths: ['/orders'] },
  consumer: { username: 'mobile-app', id: 'c0ffee00-0000-4000-8000-000000000001' },
  client_ip: '10.0.0.9',
  started_at: now - 60_000 + i * 100,
});

/** Starts Plexus on the landscape and sends every path's traffic. */
export async function startMixedLandscape(): Promise<MixedLandscape> {
  const now = Date.now();
  let exposition = reading(true);
  const mesh = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(exposition);
  });
  await new Promise<void>((r) => mesh.listen(0, '127.0.0.1', () => r()));
  const brokenUrl = `http://127.0.0.1:${await refusedPort()}/stats/prometheus`;
  const dir = mkdtempSync(join(tmpdir(), 'plexus-mixed-'));
  const url = `http://127.0.0.1:${(mesh.address() as AddressInfo).port}/stats/prometheus`;
  writeFileSync(join(dir, 'plexus.yaml'), `mesh:\n  intervalSeconds: 3600\n  targets:\n    - { url: "${url}", mesh: istio, name: bookinfo }\n    - { url: "${brokenUrl}", mesh: istio, name: broken }\n`);
  const px = await startTestPlexus({ PLEXUS_CONFIG: join(dir, 'plexus.yaml') });
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

  // Kong only: 8 answered in 20 ms, 2 failed upstream (502) in 40 ms.
  const records = [...Array.from({ length: 8 }, (_, i) => kong(now, i, 200, 20)), kong(now, 8, 502, 40), kong(now, 9, 502, 40)];
  const res = await fetch(`${px.otlpUrl}/ingest/kong`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: records.map((r) => JSON.stringify(r)).join('\n') });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { accepted: 10, rejected: 0, errors: [] });

  // productpage -> reviews in traces (4 sampled calls) as well as in the mesh (12 calls).
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

  // The mesh's traffic: the second reading's increase over the baseline taken at start.
  exposition = reading(false);
  await px.scrapeMesh();
  await px.recompute();
  return {
    px, now, brokenUrl,
    async close() {
      await px.close();
      mesh.close();
    },
  };
}
