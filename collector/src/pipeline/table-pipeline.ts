import type { Store } from '@plexus/store';
import { WritePipeline, type WritePipelineOptions } from './write-pipeline.ts';
import { collectorMetrics, tracer } from '../telemetry.ts';

/**
 * Runs one insert of `rows` rows into `table` in a trace span, counted on
 * /metrics by table (statements by outcome, latency, rows): every writer
 * (queues, Kafka consumers) shows up the same way.
 */
export async function measuredInsert(table: string, rows: number, insert: () => Promise<void>, spanName = `store.insert ${table}`): Promise<void> {
  const m = collectorMetrics();
  await tracer.startActiveSpan(spanName, async (span) => {
    const t0 = performance.now();
    try {
      await insert();
      m.inserts.add(1, { table, outcome: 'ok' });
    } catch (err) {
      m.inserts.add(1, { table, outcome: 'error' });
      throw err;
    } finally {
      m.batchLatency.record((performance.now() - t0) / 1000, { table });
      m.batchRows.record(rows, { table });
      span.setAttribute('plexus.rows', rows);
      span.end();
    }
  });
}

/** A bounded write queue into one table, traced and measured on /metrics by table. */
export function tablePipeline(store: Store, table: string, columns: readonly string[], opts: WritePipelineOptions, log: (msg: string, err?: unknown) => void): WritePipeline {
  const pipeline = new WritePipeline(async (chunks, rows) => {
    try {
      await measuredInsert(table, rows, () => store.insertTsv(table, columns, Buffer.concat(chunks)));
    } catch (err) {
      log(`insert into ${table} failed`, err);
      throw err;
    }
  }, opts);
  collectorMetrics().queueDepth.addCallback((r) => r.observe(pipeline.depth, { table }));
  return pipeline;
}
