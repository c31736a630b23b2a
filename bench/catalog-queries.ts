// Catalog queries at company scale: a synthetic catalog of N entities plus the
// demo shop's own catalog, a day of the demo's traffic sent over OTLP/HTTP,
// edges recomputed, then the catalog, consumer, reuse and governance queries
// timed over HTTP against an in-process Plexus (embedded chDB).
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { importCatalog, loadCatalog } from '@plexus/catalog';
import { startTestPlexus } from '../test/harness.ts';
import { DEMO_CATALOG } from '../cli/src/demo/demo-catalog.ts';
import { runDemo } from '../cli/src/demo/run-demo.ts';
import { writeCatalogLandscape } from './catalog-landscape.ts';
import { RssSampler } from './process-stats.ts';
import { summarize, type LatencySummary } from './stats.ts';

export interface CatalogBenchOptions {
  entities: number;
  hours: number;
  tracesPerSecond: number;
  reps: number;
  warmups: number;
  tmpRoot: string;
  log: (line: string) => void;
}

/** One timed GraphQL query and whether its answer was right. */
export interface CatalogQueryTiming {
  name: string;
  http: LatencySummary;
  check: string;
  ok: boolean;
}

export interface CatalogBenchResult {
  entities: number;
  relations: number;
  operations: number;
  importErrors: number;
  importSeconds: number;
  traces: number;
  spans: number;
  sendSeconds: number;
  recomputeSeconds: number;
  hours: number;
  queries: CatalogQueryTiming[];
  peakRssBytes: number;
}

interface Probe {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  check: (data: any) => string | undefined;
}

/** Runs the catalog phase. */
export async function runCatalogBench(o: CatalogBenchOptions): Promise<CatalogBenchResult> {
  const dir = mkdtempSync(join(o.tmpRoot, 'catalog-'));
  // The demo's own catalog is imported too (its services carry the traffic): the synthetic part makes up the rest.
  const demoEntities = (await loadCatalog([DEMO_CATALOG])).entities.length;
  const landscape = writeCatalogLandscape(dir, o.entities - demoEntities);
  const rss = new RssSampler(process.pid);
  const px = await startTestPlexus({ PLEXUS_DATA_DIR: mkdtempSync(join(o.tmpRoot, 'catalog-data-')) });
  try {
    let t = performance.now();
    const imported = await importCatalog(px.store, [...landscape.files, DEMO_CATALOG]);
    const importSeconds = (performance.now() - t) / 1000;
    const entities = Object.values(imported.entities).reduce((a, b) => a + b, 0);
    o.log(`imported ${entities} entities (${imported.relations} relations, ${imported.operations} operations, ${imported.errors.length} problems) in ${importSeconds.toFixed(1)} s`);
    if (imported.errors.length > 0) o.log(`  first problem: ${imported.errors[0]!.file}:${imported.errors[0]!.line} ${imported.errors[0]!.field} ${imported.errors[0]!.message}`);

    t = performance.now();
    const sent = await runDemo({ endpoint: px.otlpUrl, backfillMinutes: o.hours * 60, durationSeconds: 0, tracesPerSecond: o.tracesPerSecond, seed: 3, log: () => {} });
    const sendSeconds = (performance.now() - t) / 1000;
    o.log(`sent ${sent.traces} demo traces (${sent.spans} spans) over ${o.hours} h of history in ${sendSeconds.toFixed(1)} s`);
    t = performance.now();
    await px.recompute();
    const recomputeSeconds = (performance.now() - t) / 1000;
    o.log(`recomputed edges and operations in ${recomputeSeconds.toFixed(1)} s`);

    const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000).toISOString();
    const day = { from: new Date(new Date(to).getTime() - o.hours * 3_600_000).toISOString(), to };
    const probes: Probe[] = [
      {
        name: 'catalog(search) with facets', variables: { search: 'orders' },
        query: `query($search: String) { catalog(search: $search, first: 50) { totalCount edges { node { ref title owner } } facets { kind { value count } owner { value count } lifecycle { value count } type { value count } system { value count } } } }`,
        check: (d) => (d.catalog.totalCount > 0 ? undefined : 'no results'),
      },
      {
        name: 'catalog(kind: api), page 3', variables: {},
        query: `query { catalog(kind: "api", first: 50, after: "${Buffer.from('offset:99').toString('base64url')}") { totalCount edges { node { ref lifecycle } } pageInfo { hasNextPage } } }`,
        check: (d) => (d.catalog.edges.length === 50 ? undefined : `${d.catalog.edges.length} rows`),
      },
      {
        name: 'entity(api) with operations and relations', variables: { ref: 'api:default/api-42' },
        query: `query($ref: String!) { entity(ref: $ref) { ref owner relations { type target } operations { method path deprecated } } }`,
        check: (d) => (d.entity?.operations.length === 6 ? undefined : 'wrong operations'),
      },
      {
        name: `API consumers, traffic, reuse, lastSeen (${o.hours} h)`, variables: { ref: 'api:default/inventory-api', ...day },
        query: `query($ref: String!, $from: DateTime, $to: DateTime) { entity(ref: $ref) { consumers(from: $from, to: $to) { service team calls errors latency { p95 } operations }
          traffic(from: $from, to: $to) { calls errors latency { p95 } series { calls } } reuse(from: $from, to: $to) { consumers previousConsumers teams trend { consumers } } lastSeen } }`,
        check: (d) => (d.entity.consumers.map((c: { service: string }) => c.service).sort().join(',') === 'cart,checkout,storefront-bff' ? undefined : 'wrong consumers'),
      },
      {
        name: `component providesApis/consumesApis (${o.hours} h)`, variables: { ref: 'component:default/checkout', ...day },
        query: `query($ref: String!, $from: DateTime, $to: DateTime) { entity(ref: $ref) { providesApis(from: $from, to: $to) { api declared observed calls } consumesApis(from: $from, to: $to) { api declared observed calls } } }`,
        check: (d) => (d.entity.consumesApis.some((u: { api: string; declared: boolean; observed: boolean }) => u.api === 'api:default/inventory-api' && !u.declared && u.observed) ? undefined : 'undeclared use missing'),
      },
      {
        name: 'group owns', variables: { ref: 'group:default/checkout-team' },
        query: `query($ref: String!) { entity(ref: $ref) { owns { ref kind } } }`,
        check: (d) => (d.entity.owns.length > 0 ? undefined : 'owns nothing'),
      },
      {
        name: `reuse(from, to) over ${o.hours} h`, variables: day,
        query: `query($from: DateTime!, $to: DateTime!) { reuse(from: $from, to: $to) { apis { api { ref } consumers teams calls } singleConsumer { api { ref } } duplicates { method path apis { ref } } } }`,
        check: (d) => (d.reuse.apis[0]?.api.ref === 'api:default/inventory-api' && d.reuse.apis.length >= o.entities * 0.4 ? undefined : `first ${d.reuse.apis[0]?.api.ref}`),
      },
      {
        name: `governance(from, to) over ${o.hours} h`, variables: day,
        query: `query($from: DateTime!, $to: DateTime!) { governance(from: $from, to: $to) { findings { kind entityRef service counterpart } } }`,
        check: (d) => (d.governance.findings.some((f: { kind: string }) => f.kind === 'SHADOW_ENDPOINT') ? undefined : 'no shadow endpoint'),
      },
    ];
    const queries: CatalogQueryTiming[] = [];
    for (const p of probes) {
      const run = async () => {
        const t0 = performance.now();
        const d = await px.gql(p.query, p.variables ?? {});
        return { ms: performance.now() - t0, d };
      };
      let last: any;
      for (let i = 0; i < o.warmups; i++) last = (await run()).d;
      const samples: number[] = [];
      for (let i = 0; i < o.reps; i++) {
        const r = await run();
        samples.push(r.ms);
        last = r.d;
      }
      const problem = p.check(last);
      queries.push({ name: p.name, http: summarize(samples), check: problem ?? 'ok', ok: problem === undefined });
      o.log(`  ${p.name}: p50 ${summarize(samples).p50.toFixed(1)} ms, p95 ${summarize(samples).p95.toFixed(1)} ms${problem ? ` — WRONG: ${problem}` : ''}`);
    }
    rss.stop();
    return {
      entities, relations: imported.relations, operations: imported.operations, importErrors: imported.errors.length, importSeconds,
      traces: sent.traces, spans: sent.spans, sendSeconds, recomputeSeconds, hours: o.hours, queries, peakRssBytes: rss.peakBytes,
    };
  } finally {
    rss.stop();
    await px.close();
  }
}
