import { sql, param } from '../sql.ts';
import { DD } from '../aggregates.ts';
import { spanAttr, normalizedKind, isError } from '../semconv.ts';
import { httpMethodSql, routeSql } from '../http-route.ts';
import type { Migration } from './migration.ts';

// Calls per minute broken down by the operation the callee served, so an API's
// consumers, traffic and reuse are read from aggregates, not spans. The edge
// job writes these rows and rolls service_edges up from them, so the costly
// trace join still runs once per minute set.
//
// otel_span_facts gains the served operation (HTTP method and route template),
// resolved once at insert. A view's query cannot be altered in place on every
// ClickHouse version, so the view is replaced; migrations run before Plexus
// accepts spans, and a writer outside Plexus (the OTel Collector's exporter)
// inserting in the milliseconds between drop and create would miss its facts.
const factsSelect = sql`SELECT Timestamp, TraceId, SpanId, ParentSpanId, ServiceName, SpanName,
    ${normalizedKind()} AS Kind, Duration / 1e6 AS DurationMs, ${isError()} AS IsError,
    ${spanAttr('peerService')} AS PeerService, ${spanAttr('dbSystem')} AS DbSystem, ${spanAttr('serverAddress')} AS ServerAddress,
    ${spanAttr('messagingDestination')} AS Destination, lower(${spanAttr('messagingOperation')}) AS MessagingOp, IngestedAt,
    if(Kind = 'SERVER', ${httpMethodSql()}, '') AS HttpMethod, if(Kind = 'SERVER', ${routeSql()}, '') AS Route
  FROM otel_traces`;

const operationColumns = sql`Target LowCardinality(String),
      TargetKind LowCardinality(String),
      Source LowCardinality(String),
      SourceKind LowCardinality(String),
      Method LowCardinality(String),
      Route LowCardinality(String),
      Calls UInt64,
      Errors UInt64,
      DurationSumMs Float64,
      Latency AggregateFunction(quantilesDD(${DD}), Float64)`;

export const edgeOperations: Migration = {
  id: 8,
  name: 'edge_operations, served operation in otel_span_facts',
  statements: ({ retentionDays }) => [
    sql`ALTER TABLE otel_span_facts ADD COLUMN IF NOT EXISTS HttpMethod LowCardinality(String), ADD COLUMN IF NOT EXISTS Route LowCardinality(String)`,
    sql`DROP VIEW IF EXISTS otel_span_facts_mv`,
    sql`CREATE MATERIALIZED VIEW IF NOT EXISTS otel_span_facts_mv TO otel_span_facts AS ${factsSelect}`,
    // Source is empty for calls with no calling service (root server spans): they count as traffic, not as edges.
    sql`CREATE TABLE IF NOT EXISTS edge_operations (
      Minute DateTime CODEC(Delta, ZSTD(1)),
      Version UInt64,
      ${operationColumns}
    ) ENGINE = ReplacingMergeTree(Version)
    PARTITION BY toDate(Minute)
    ORDER BY (Minute, Target, TargetKind, Source, SourceKind, Method, Route)
    TTL Minute + toIntervalDay(${param('UInt32', retentionDays)})`,
    sql`CREATE TABLE IF NOT EXISTS edge_operations_hourly (
      Hour DateTime CODEC(Delta, ZSTD(1)),
      Version UInt64,
      ${operationColumns}
    ) ENGINE = ReplacingMergeTree(Version)
    PARTITION BY toYYYYMM(Hour)
    ORDER BY (Hour, Target, TargetKind, Source, SourceKind, Method, Route)
    TTL Hour + toIntervalDay(${param('UInt32', retentionDays)})`,
    sql`CREATE TABLE IF NOT EXISTS edge_operations_shards (
      Version UInt64,
      Shard UInt16,
      Minute DateTime,
      ${operationColumns},
      CreatedAt DateTime DEFAULT now()
    ) ENGINE = MergeTree
    ORDER BY (Version, Minute, Target, Source)
    TTL CreatedAt + toIntervalHour(1)`,
    // Superseded by edge_operations_shards.
    sql`DROP TABLE IF EXISTS service_edges_shards`,
  ],
};
