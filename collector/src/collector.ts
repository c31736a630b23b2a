import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Store } from '@plexus/store';
import { createDecodePool } from './pipeline/decode-pool.ts';
import { WritePipeline, type WritePipelineOptions } from './pipeline/write-pipeline.ts';
import { createOtlpTracesHandler, cors, type Authorize } from './receivers/otlp-http.ts';
import { OTEL_TRACES_COLUMNS } from './spans/encode-tsv.ts';
import type { SpanLimits } from './spans/span-record.ts';
import type { BodyLimits } from './receivers/read-body.ts';
import { EdgeJob, type EdgeJobOptions } from './edges/edge-job.ts';
import { collectorMetrics, tracer } from './telemetry.ts';

export interface CollectorOptions {
  store: Store;
  host: string;
  otlpHttpPort: number;
  limits: SpanLimits & BodyLimits;
  pipeline: WritePipelineOptions;
  decodeThreads?: number | undefined;
  corsOrigins: readonly string[];
  retryAfterSeconds: number;
  edgeJob: Partial<EdgeJobOptions>;
  /** Token check for ingest requests; absent means ingest is open. */
  authorize?: Authorize | undefined;
  log: (msg: string, err?: unknown) => void;
}

/** A running collector: receivers listening, pipeline writing, edge job recomputing. */
export interface Collector {
  readonly otlpHttpPort: number;
  readonly pipeline: WritePipeline;
  readonly edgeJob: EdgeJob;
  close(): Promise<void>;
}

/** Starts every receiver and the write pipeline behind them. */
export async function startCollector(opts: CollectorOptions): Promise<Collector> {
  const m = collectorMetrics();
  const pool = createDecodePool({ threads: opts.decodeThreads });
  const pipeline = new WritePipeline(async (chunks, rows) => {
    await tracer.startActiveSpan('store.insert otel_traces', async (span) => {
      const t0 = performance.now();
      try {
        await opts.store.insertTsv('otel_traces', OTEL_TRACES_COLUMNS, Buffer.concat(chunks));
        m.inserts.add(1, { table: 'otel_traces', outcome: 'ok' });
      } catch (err) {
        m.inserts.add(1, { table: 'otel_traces', outcome: 'error' });
        opts.log('insert into otel_traces failed', err);
        throw err;
      } finally {
        m.batchLatency.record((performance.now() - t0) / 1000, { table: 'otel_traces' });
        m.batchRows.record(rows, { table: 'otel_traces' });
        span.setAttribute('plexus.rows', rows);
        span.end();
      }
    });
  }, opts.pipeline);
  m.queueDepth.addCallback((r) => r.observe(pipeline.depth, { table: 'otel_traces' }));

  const traces = createOtlpTracesHandler({ pool, pipeline, limits: opts.limits, corsOrigins: opts.corsOrigins, retryAfterSeconds: opts.retryAfterSeconds, authorize: opts.authorize, log: opts.log });
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'OPTIONS' && cors(req, res, opts.corsOrigins)) return;
    if (path === '/v1/traces' && req.method === 'POST') return void traces(req, res);
    const allowed = path === '/v1/traces' ? 'POST' : undefined;
    res.writeHead(allowed ? 405 : 404, { 'Content-Type': 'application/json', ...(allowed ? { Allow: allowed } : {}) });
    res.end(JSON.stringify({ code: 5, message: allowed ? `use ${allowed} ${path}` : `no receiver at ${path}; OTLP/HTTP traces go to POST /v1/traces` }));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.otlpHttpPort, opts.host, () => resolve());
  });

  const edgeJob = new EdgeJob(opts.store, { ...opts.edgeJob, onError: (err) => opts.log('edge recompute pass failed', err) });
  edgeJob.start();

  return {
    otlpHttpPort: (server.address() as AddressInfo).port,
    pipeline,
    edgeJob,
    async close() {
      // Finish requests in flight (their spans are acknowledged only once written), then cut idle keep-alives.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 5000).unref())]);
      server.closeAllConnections();
      await pipeline.drain();
      await edgeJob.stop();
      await pool.close();
    },
  };
}
