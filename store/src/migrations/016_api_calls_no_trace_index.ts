import { sql } from '../sql.ts';
import type { Migration } from './migration.ts';

// api_calls had a bloom-filter index on TraceId (granularity 1, 0.1% false
// positives) for finding a trace's gateway records. Nothing reads api_calls
// by trace id (the map, RED and reuse read source_edges), and the index was
// built on every insert and rebuilt on every merge: 0.6 µs a row, 3% of the
// CPU of gateway ingest on 2 cores (BENCHMARKS.md). The column stays; a
// feature that looks up gateway records by trace should come with its own
// lookup (a table keyed by TraceId, as trace_id_lookup is for spans) or add
// the index back with ADD INDEX + MATERIALIZE INDEX.
export const apiCallsNoTraceIndex: Migration = {
  id: 16,
  name: 'api_calls: drop the unused TraceId bloom filter',
  statements: () => [sql`ALTER TABLE api_calls DROP INDEX IF EXISTS idx_trace_id`],
};
