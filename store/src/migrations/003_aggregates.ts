import { sql, param } from '../sql.ts';
import { DD } from '../aggregates.ts';
import type { Migration } from './migration.ts';

// Per-minute aggregates recomputed whole by the edge job (see collector/src/edges).
// Each recompute writes all rows of a minute under a new Version plus one marker
// row (empty key); readers take, per minute, only the newest version, so rows a
// recompute no longer produces (a virtual edge replaced by a real child) vanish.
// Quantile states are DDSketch (relative accuracy 0.5%), mergeable across minutes.
export const aggregates: Migration = {
  id: 3,
  name: 'service_edges, operation_red, plexus_state',
  statements: ({ retentionDays }) => [
    sql`CREATE TABLE IF NOT EXISTS service_edges (
      Minute DateTime CODEC(Delta, ZSTD(1)),
      Version UInt64,
      Source LowCardinality(String),
      SourceKind LowCardinality(String),
      Target LowCardinality(String),
      TargetKind LowCardinality(String),
      Calls UInt64,
      Errors UInt64,
      DurationSumMs Float64,
      Latency AggregateFunction(quantilesDD(${DD}), Float64)
    ) ENGINE = ReplacingMergeTree(Version)
    PARTITION BY toDate(Minute)
    ORDER BY (Minute, Source, SourceKind, Target, TargetKind)
    TTL Minute + toIntervalDay(${param('UInt32', retentionDays)})`,
    sql`CREATE TABLE IF NOT EXISTS operation_red (
      Minute DateTime CODEC(Delta, ZSTD(1)),
      Version UInt64,
      ServiceName LowCardinality(String),
      SpanName LowCardinality(String),
      SpanKind LowCardinality(String),
      Requests UInt64,
      Errors UInt64,
      DurationSumMs Float64,
      Latency AggregateFunction(quantilesDD(${DD}), Float64)
    ) ENGINE = ReplacingMergeTree(Version)
    PARTITION BY toDate(Minute)
    ORDER BY (Minute, ServiceName, SpanName, SpanKind)
    TTL Minute + toIntervalDay(${param('UInt32', retentionDays)})`,
    sql`CREATE TABLE IF NOT EXISTS plexus_state (
      Key String,
      Value String,
      UpdatedAt DateTime64(3)
    ) ENGINE = ReplacingMergeTree(UpdatedAt)
    ORDER BY Key`,
  ],
};
