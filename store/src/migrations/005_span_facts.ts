import { sql, param } from '../sql.ts';
import { spanAttr, normalizedKind, isError } from '../semconv.ts';
import type { Migration } from './migration.ts';

// The facts the edge rules need, one narrow row per span, ordered by time.
// otel_traces is ordered by service and span name, so a time range or a set of
// trace ids read from it scans whole days; here the edge job reads only the
// minutes it recomputes. Fed by a materialized view, so spans written by any
// writer (the OpenTelemetry Collector's exporter included) are covered, and
// semantic-convention aliases are resolved once, at insert.
const factsSelect = sql`SELECT Timestamp, TraceId, SpanId, ParentSpanId, ServiceName, SpanName,
    ${normalizedKind()} AS Kind, Duration / 1e6 AS DurationMs, ${isError()} AS IsError,
    ${spanAttr('peerService')} AS PeerService, ${spanAttr('dbSystem')} AS DbSystem, ${spanAttr('serverAddress')} AS ServerAddress,
    ${spanAttr('messagingDestination')} AS Destination, lower(${spanAttr('messagingOperation')}) AS MessagingOp, IngestedAt
  FROM otel_traces`;

export const spanFacts: Migration = {
  id: 5,
  name: 'otel_span_facts',
  statements: ({ retentionDays }) => [
    sql`CREATE TABLE IF NOT EXISTS otel_span_facts (
      Timestamp DateTime64(9) CODEC(Delta, ZSTD(1)),
      TraceId String CODEC(ZSTD(1)),
      SpanId String CODEC(ZSTD(1)),
      ParentSpanId String CODEC(ZSTD(1)),
      ServiceName LowCardinality(String),
      SpanName LowCardinality(String),
      Kind LowCardinality(String),
      DurationMs Float64,
      IsError UInt8,
      PeerService LowCardinality(String),
      DbSystem LowCardinality(String),
      ServerAddress LowCardinality(String),
      Destination LowCardinality(String),
      MessagingOp LowCardinality(String),
      IngestedAt DateTime64(3),
      INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
      INDEX idx_ingested IngestedAt TYPE minmax GRANULARITY 1
    ) ENGINE = MergeTree
    PARTITION BY toDate(Timestamp)
    ORDER BY Timestamp
    TTL toDateTime(Timestamp) + toIntervalDay(${param('UInt32', retentionDays)})
    SETTINGS ttl_only_drop_parts = 1`,
    // Spans stored before this migration; rows inserted from now on come through the view.
    sql`INSERT INTO otel_span_facts ${factsSelect}`,
    sql`CREATE MATERIALIZED VIEW IF NOT EXISTS otel_span_facts_mv TO otel_span_facts AS ${factsSelect}`,
  ],
};
