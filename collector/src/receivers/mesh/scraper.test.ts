import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { ISTIO_READINGS } from '../../sources/mesh-metrics/fixture-readings.ts';
import type { MeshEdgeDelta } from '../../sources/mesh-metrics/mesh-delta.ts';
import { startMeshScraper, type MeshScraperOptions } from './scraper.ts';

// Registered before the scraper makes its instruments (on first use), as the CLI does.
const exporter = new PrometheusExporter({ preventServerStart: true });
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
async function selfMetrics(): Promise<string> {
  const { resourceMetrics } = await exporter.collect();
  return new PrometheusSerializer().serialize(resourceMetrics);
}

const T0 = Date.UTC(2025, 0, 15, 12, 0, 30);
const MIN = 60_000;
const BOUNDS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000, Infinity];
const buckets = (counts: Record<number, number>): Array<[number, number]> => BOUNDS.map((b) => [b, counts[b] ?? 0]);
const delta = (minute: number, over: Partial<MeshEdgeDelta>): MeshEdgeDelta => ({
  minuteMs: T0 - 30_000 + minute * MIN, mesh: 'istio', caller: 'productpage', callee: 'reviews', calls: 0, errors: 0, durationSumMs: 0, buckets: buckets({}), ...over,
});
// What readings 1 -> 2 and 2 -> 3 of the sidecar give (see fixture-readings.ts).
const DELTA_2 = delta(1, { calls: 3, durationSumMs: 1590, buckets: buckets({ 25: 1, 100: 1, 2500: 1 }) });
const DELTA_3 = delta(2, { calls: 4, errors: 2, durationSumMs: 600, buckets: buckets({ 500: 2 }) });

// The test clock: the scraper stamps readings with it, and the servers answer the reading of that minute.
let clock = T0;
const reading = (): string => ISTIO_READINGS[Math.min(ISTIO_READINGS.length - 1, Math.round((clock - T0) / MIN))]!;

const servers: Array<ReturnType<typeof createServer>> = [];
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
after(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

/** A port nothing listens on: bound, then released. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/stats/prometheus`;
}

const sidecar = (): Promise<string> => serve((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(reading());
});

// A fake Prometheus: /api/v1/query answers each metric's series of the current reading as an instant vector.
const prometheus = (): Promise<string> => serve((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== '/prom/api/v1/query') return void res.writeHead(404).end('not found');
  const query = url.searchParams.get('query') ?? '';
  const result = reading().split('\n').filter((l) => l.startsWith(`${query}{`)).map((line) => {
    const sample = parsePrometheusTextFormat(`${line}\n`)[0]!.metrics[0]!;
    return { metric: { __name__: query, ...sample.labels, instance: '10.244.0.17:15020', job: 'kubernetes-pods' }, value: [clock / 1000, sample.value] };
  });
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
});

function scraper(targets: MeshScraperOptions['targets'], over: Partial<MeshScraperOptions> = {}) {
  const written: MeshEdgeDelta[][] = [];
  const logs: string[] = [];
  const s = startMeshScraper({
    targets, intervalSeconds: 3600, now: () => clock, log: (msg) => void logs.push(msg),
    write: async (rows) => void written.push(rows), ...over,
  });
  return { s, written, logs };
}

test('scrapes a sidecar into exact deltas while a 500 and a refused target are marked down with the reason', async () => {
  clock = T0;
  const good = `${await sidecar()}/stats/prometheus`;
  const broken = await serve((req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream exploded'));
  const refused = await refusedUrl();
  const { s, written, logs } = scraper([
    { kind: 'scrape', url: good, mesh: 'istio', name: 'reviews-sidecar' },
    { kind: 'scrape', url: `${broken}/metrics`, mesh: 'istio', name: 'broken' },
    { kind: 'scrape', url: refused, mesh: 'istio' },
  ]);
  await s.started;
  assert.deepEqual(written, [], 'the first round only sets baselines');

  clock = T0 + MIN;
  await s.scrapeNow();
  clock = T0 + 2 * MIN;
  await s.scrapeNow();
  assert.deepEqual(written, [[DELTA_2], [DELTA_3]]);

  const [ok, bad, down] = s.status();
  assert.deepEqual(ok, { name: 'reviews-sidecar', url: good, up: true, lastScrapeMs: T0 + 2 * MIN, lastError: null, series: 24, rejects: 0 });
  assert.deepEqual(bad, { name: 'broken', url: `${broken}/metrics`, up: false, lastScrapeMs: null, lastError: 'HTTP 500 Internal Server Error: upstream exploded', series: 0, rejects: 0 });
  assert.equal(down!.name, refused);
  assert.equal(down!.up, false);
  assert.match(down!.lastError!, /^fetch failed: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  // A target that stays down is logged once, not every round.
  assert.deepEqual(logs.filter((l) => l.includes('broken')), [`mesh target broken (${broken}/metrics) failed: HTTP 500 Internal Server Error: upstream exploded`]);

  const text = await selfMetrics();
  assert.match(text, /^plexus_mesh_target_up\{target="reviews-sidecar"[^}]*\} 1$/m);
  assert.match(text, /^plexus_mesh_target_up\{target="broken"[^}]*\} 0$/m);
  assert.match(text, /^plexus_mesh_scrape_failures_total\{target="broken"[^}]*\} 3$/m);
  assert.doesNotMatch(text, /^plexus_mesh_scrape_failures_total\{target="reviews-sidecar"/m);
  await s.stop();
});

test('a Prometheus server\'s instant queries of the raw counters give the same deltas as scraping the sidecar', async () => {
  clock = T0;
  const prom = await prometheus();
  const { s, written } = scraper([{ kind: 'prometheus', url: `${prom}/prom`, mesh: 'istio', name: 'prometheus' }]);
  await s.started;
  clock = T0 + MIN;
  await s.scrapeNow();
  clock = T0 + 2 * MIN;
  await s.scrapeNow();
  assert.deepEqual(written, [[DELTA_2], [DELTA_3]]);
  // Requests (24 series with the 503 one) and 20 buckets and the sum; no _count.
  assert.deepEqual(s.status()[0], { name: 'prometheus', url: `${prom}/prom`, up: true, lastScrapeMs: T0 + 2 * MIN, lastError: null, series: 23, rejects: 0 });
  await s.stop();
});

test('credentials in a target URL are sent as Basic authentication and never shown', async () => {
  clock = T0;
  const seen: Array<string | undefined> = [];
  const guarded = await serve((req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
  });
  const { s } = scraper([{ kind: 'prometheus', url: guarded.replace('http://', 'http://plexus:s%3Acret@'), mesh: 'linkerd' }]);
  await s.started;
  assert.deepEqual(seen, Array(3).fill(`Basic ${Buffer.from('plexus:s:cret').toString('base64')}`));
  assert.deepEqual([s.status()[0]!.name, s.status()[0]!.url, s.status()[0]!.up], [`${guarded}/`, `${guarded}/`, true]);
  await s.stop();
});

test('a Prometheus that does not know the API is a down target with its answer', async () => {
  clock = T0;
  const prom = await prometheus();
  const { s } = scraper([{ kind: 'prometheus', url: prom, mesh: 'istio' }]);
  await s.started;
  assert.equal(s.status()[0]!.lastError, 'HTTP 404 Not Found: not found');
  await s.stop();
});

test('size limit and timeout: the target is down saying which, the others are read', async () => {
  clock = T0;
  // Streamed without a Content-Length, so the limit has to stop the reading itself.
  const huge = await serve((req, res) => {
    res.writeHead(200);
    for (let i = 0; i < 100; i++) res.write('#'.repeat(10_000));
    res.end();
  });
  const declared = await serve((req, res) => res.writeHead(200, { 'content-length': '200000' }).end('#'.repeat(200_000)));
  const silent = await serve(() => {});
  const good = await sidecar();
  const { s } = scraper([
    { kind: 'scrape', url: huge, mesh: 'istio' },
    { kind: 'scrape', url: declared, mesh: 'istio' },
    { kind: 'scrape', url: silent, mesh: 'istio' },
    { kind: 'scrape', url: good, mesh: 'istio' },
  ], { maxBytes: 100_000, timeoutMs: 300 });
  await s.started;
  assert.deepEqual(s.status().map((t) => [t.up, t.lastError]), [
    [false, 'body exceeds the limit of 100000 bytes'],
    [false, 'body of 200000 bytes exceeds the limit of 100000 bytes'],
    [false, 'no answer within 300 ms'],
    [true, null],
  ]);
  await s.stop();
});

test('a failed write is retried with the next round\'s rows', async () => {
  clock = T0;
  const good = await sidecar();
  let fail = true;
  const attempts: MeshEdgeDelta[][] = [];
  const { s, logs } = scraper([{ kind: 'scrape', url: good, mesh: 'istio' }], {
    write: async (rows) => {
      attempts.push(rows);
      if (fail) throw new Error('store unavailable');
    },
  });
  await s.started;
  clock = T0 + MIN;
  await s.scrapeNow();
  fail = false;
  clock = T0 + 2 * MIN;
  await s.scrapeNow();
  assert.deepEqual(attempts, [[DELTA_2], [DELTA_2, DELTA_3]]);
  assert.deepEqual(logs, ['writing 1 mesh edge rows failed; retrying with the next scrape']);
  await s.stop();
});
