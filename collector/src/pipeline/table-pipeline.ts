import type { Store } from '@plexus/store';
import { WritePipeline, type WritePipelineOptions } from './write-pipeline.ts';
import { collectorMetrics, tracer } from '../telemetry.ts';

/** A bounded write queue into one table, traced and measured on /metrics by table. */
export function tablePipeline(store: Store, table: string, columns: readonly string[], opts: WritePipelineOptions, log: (msg: string, err?: unknown) => void): WritePipeline {
  const m = collectorMetrics();
  const pipeline = new WritePipeline(async (chunks, rows) => {
    await tracer.startActiveSpan(`store.insert ${table}`, async (span) => {
      const t0 = performance.now();
      try {
        await store.insertTsv(table, columns, Buffer.concat(chunks));
        m.inserts.add(1, { table, outcome: 'ok' });
      } catch (err) {
        m.inserts.add(1, { table, outcome: 'error' });
        log(`insert into ${table} failed`, err);
        throw err;
      } finally {
        m.batchLatency.record((performance.now() - t0) / 1000, { table });
        m.batchRows.record(rows, { table });
        span.setAttribute('plexus.rows', rows);
        span.end();
      }
    });
  }, opts);
  m.queueDepth.addCallback((r) => r.observe(pipeline.depth, { table }));
  return pipeline;
}
