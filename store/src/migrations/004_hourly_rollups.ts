import { sql, param } from '../sql.ts';
import { DD } from '../aggregates.ts';
import type { Migration } from './migration.ts';

// Hour rollups of the per-minute aggregates: the edge job re-merges an hour's
// newest minute rows whenever one of its minutes changes, so a day-long map
// reads 24 rows per edge instead of 1,440. Same versioning and markers as 003.
export const hourlyRollups: Migration = {
  id: 4,
  name: 'service_edges_hourly, operation_red_hourly',
  statements: ({ retentionDays }) => [
    sql`CREATE TABLE IF NOT EXISTS service_edges_hourly (
      Hour DateTime CODEC(Delta, ZSTD(1)),
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
    PARTITION BY toYYYYMM(Hour)
    ORDER BY (Hour, Source, SourceKind, Target, TargetKind)
    TTL Hour + toIntervalDay(${param('UInt32', retentionDays)})`,
    sql`CREATE TABLE IF NOT EXISTS operation_red_hourly (
      Hour DateTime CODEC(Delta, ZSTD(1)),
      Version UInt64,
      ServiceName LowCardinality(String),
      SpanName LowCardinality(String),
      SpanKind LowCardinality(String),
      Requests UInt64,
      Errors UInt64,
      DurationSumMs Float64,
      Latency AggregateFunction(quantilesDD(${DD}), Float64)
    ) ENGINE = ReplacingMergeTree(Version)
    PARTITION BY toYYYYMM(Hour)
    ORDER BY (Hour, ServiceName, SpanName, SpanKind)
    TTL Hour + toIntervalDay(${param('UInt32', retentionDays)})`,
  ],
};
