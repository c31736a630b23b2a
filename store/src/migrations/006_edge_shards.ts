import { sql } from '../sql.ts';
import { DD } from '../aggregates.ts';
import type { Migration } from './migration.ts';

// Staging for busy minutes: the edge job recomputes them in shards of whole
// traces (bounded memory), then merges the shards' states into service_edges in
// one statement. Rows are only needed for the seconds that takes; a TTL clears them.
export const edgeShards: Migration = {
  id: 6,
  name: 'service_edges_shards',
  statements: () => [
    sql`CREATE TABLE IF NOT EXISTS service_edges_shards (
      Version UInt64,
      Shard UInt16,
      Minute DateTime,
      Source LowCardinality(String),
      SourceKind LowCardinality(String),
      Target LowCardinality(String),
      TargetKind LowCardinality(String),
      Calls UInt64,
      Errors UInt64,
      DurationSumMs Float64,
      Latency AggregateFunction(quantilesDD(${DD}), Float64),
      CreatedAt DateTime DEFAULT now()
    ) ENGINE = MergeTree
    ORDER BY (Version, Minute, Source, Target)
    TTL CreatedAt + toIntervalHour(1)`,
  ],
};
