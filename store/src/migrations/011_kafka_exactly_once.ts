import { sql, ident } from '../sql.ts';
import type { Migration } from './migration.ts';

// Spans read from Kafka are written before their offsets are committed, so a
// crash in between replays them. ClickHouse drops a replayed insert that
// carries the insert_deduplication_token of one it has already written, when
// the table remembers recent tokens (non_replicated_deduplication_window).
// Since ClickHouse 24, materialized views are fed even when the source block
// is deduplicated, and dedupe it against their own target's window
// (deduplicate_blocks_in_dependent_materialized_views, set on every insert by
// the store), so every MV target of otel_traces needs a window too.
//
// 10,000 remembered inserts cover far more than a consumer's restart: the
// collector inserts at most a few per second per partition, and a replay is
// the first thing a restarted consumer does.
//
// kafka_otlp_slices is the ledger that makes a replay insert the same rows
// under the same token: before a slice of a partition (offsets First..Last) is
// written, its bounds are recorded; a consumer resuming at First re-reads
// exactly that slice. One row per partition (the newest slice) survives merges.
export const kafkaExactlyOnce: Migration = {
  id: 11,
  name: 'insert deduplication on otel_traces and its views, kafka_otlp_slices',
  statements: () => [
    ...['otel_traces', 'otel_traces_trace_id_ts', 'otel_span_facts'].map((table) =>
      sql`ALTER TABLE ${ident(table)} MODIFY SETTING non_replicated_deduplication_window = 10000`),
    sql`CREATE TABLE IF NOT EXISTS kafka_otlp_slices (
      Topic String,
      Partition UInt32,
      FirstOffset UInt64,
      LastOffset UInt64,
      WrittenAt DateTime64(3) DEFAULT now64(3)
    ) ENGINE = ReplacingMergeTree(WrittenAt)
    ORDER BY (Topic, Partition)`,
  ],
};
