import { sql, param } from '../sql.ts';
import { templatePathSql } from '../http-route.ts';
import { DD } from '../aggregates.ts';
import type { Migration } from './migration.ts';

// Traffic seen by gateways and meshes rather than by traces.
//
// api_calls holds one row per gateway access-log record, as the gateway saw it
// (DESIGN.md §7). source_edges holds calls per minute between two services as
// any non-trace source saw them: a view folds api_calls in (gateway -> upstream
// service, by consumer and operation), and the mesh scraper inserts the
// increase of mesh counters directly. Readers merge them with the traces'
// edges by one rule (query-api/src/analytics/source-edges.ts): every source
// sees a subset of the same calls, so counts are never added across sources.
//
// Latency is kept as a histogram: per-bucket counts by upper bound in ms
// (Buckets), plus every bucket bound seen (Bounds), because sumMap drops
// buckets whose count is zero and a percentile needs each bucket's lower bound
// (Prometheus' histogram_quantile interpolates between consecutive bounds).
// Mesh metrics arrive as histograms; gateway durations are bucketed on a 2%
// log scale (bound = 1.02^ceil(log(d)/log(1.02))), so percentiles read back
// are within 1% of exact, like the traces' DDSketch states, and both sources
// merge the same way. Gateway rows also keep the DDSketch state traces use
// (Latency), so a gateway consumer's calls to an API merge with the traces'
// callers in one statement (query-api/src/analytics/api-usage.ts); mesh rows
// leave it empty.
export const SOURCE_EDGE_BUCKET_BASE = 1.02;
const base = param('Float64', SOURCE_EDGE_BUCKET_BASE);

export const gatewayMesh: Migration = {
  id: 12,
  name: 'api_calls, source_edges, mesh_targets',
  statements: ({ retentionDays }) => [
    sql`CREATE TABLE IF NOT EXISTS api_calls (
      Timestamp DateTime64(3) CODEC(Delta, ZSTD(1)),
      Gateway LowCardinality(String),
      GatewayName LowCardinality(String),
      Consumer LowCardinality(String),
      ConsumerKind LowCardinality(String),
      ClientAddress String CODEC(ZSTD(1)),
      GatewayRoute LowCardinality(String),
      UpstreamService LowCardinality(String),
      Method LowCardinality(String),
      Path String CODEC(ZSTD(1)),
      PathTemplate LowCardinality(String),
      Route LowCardinality(String) MATERIALIZED if(PathTemplate != '', PathTemplate, ${templatePathSql(sql`Path`)}),
      Status UInt16,
      DurationMs Float64 CODEC(ZSTD(1)),
      UpstreamMs Nullable(Float64) CODEC(ZSTD(1)),
      GatewayMs Nullable(Float64) CODEC(ZSTD(1)),
      BytesIn UInt64 CODEC(ZSTD(1)),
      BytesOut UInt64 CODEC(ZSTD(1)),
      RequestId String CODEC(ZSTD(1)),
      TraceId String CODEC(ZSTD(1)),
      IngestedAt DateTime64(3) DEFAULT now64(3) CODEC(Delta, ZSTD(1)),
      INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1
    ) ENGINE = MergeTree
    PARTITION BY toDate(Timestamp)
    ORDER BY (UpstreamService, GatewayName, toDateTime(Timestamp))
    TTL toDateTime(Timestamp) + toIntervalDay(${param('UInt32', retentionDays)})
    SETTINGS ttl_only_drop_parts = 1`,
    // Source: 'gateway' or 'mesh'; Detail: the gateway format or mesh kind.
    // Consumer: who called through a gateway (Kong consumer, AWS principal), '' otherwise.
    sql`CREATE TABLE IF NOT EXISTS source_edges (
      Minute DateTime CODEC(Delta, ZSTD(1)),
      Source LowCardinality(String),
      Detail LowCardinality(String),
      Caller LowCardinality(String),
      Callee LowCardinality(String),
      Consumer LowCardinality(String),
      Method LowCardinality(String),
      Route LowCardinality(String),
      Calls SimpleAggregateFunction(sum, UInt64),
      Errors SimpleAggregateFunction(sum, UInt64),
      DurationSumMs SimpleAggregateFunction(sum, Float64),
      Buckets SimpleAggregateFunction(sumMap, Tuple(Array(Float64), Array(UInt64))),
      Bounds SimpleAggregateFunction(groupUniqArrayArray, Array(Float64)),
      Latency AggregateFunction(quantilesDD(${DD}), Float64)
    ) ENGINE = AggregatingMergeTree
    PARTITION BY toDate(Minute)
    ORDER BY (Minute, Source, Caller, Callee, Detail, Consumer, Method, Route)
    TTL Minute + toIntervalDay(${param('UInt32', retentionDays)})`,
    // How each mesh metrics target did on its last scrape, so any query-api
    // process can show a failing target (the collector writes it every round).
    sql`CREATE TABLE IF NOT EXISTS mesh_targets (
      Name String,
      Url String,
      Mesh LowCardinality(String),
      Up UInt8,
      LastScrape Nullable(DateTime64(3)),
      LastError String,
      Series UInt32,
      Rejects UInt32,
      UpdatedAt DateTime64(3)
    ) ENGINE = ReplacingMergeTree(UpdatedAt)
    ORDER BY (Name, Url)`,
    // A record that never reached an upstream (rejected by auth, no route) has Callee '': it counts in the gateway's own RED, not as an edge.
    sql`CREATE MATERIALIZED VIEW IF NOT EXISTS api_calls_source_edges_mv TO source_edges AS
    SELECT toStartOfMinute(Timestamp) AS Minute, 'gateway' AS Source, Gateway AS Detail, GatewayName AS Caller, UpstreamService AS Callee,
      if(ConsumerKind IN ('consumer', 'credential', 'principal'), Consumer, '') AS Consumer, Method, Route,
      count() AS Calls, countIf(Status >= 500) AS Errors, sum(DurationMs) AS DurationSumMs,
      sumMap(([Bound], [toUInt64(1)])) AS Buckets, groupUniqArrayArray([Bound / ${base}, Bound]) AS Bounds,
      quantilesDDState(${DD})(DurationMs) AS Latency
    FROM (SELECT *, Route, if(DurationMs <= 0, 0., pow(${base}, ceil(log(DurationMs) / log(${base})))) AS Bound FROM api_calls)
    GROUP BY Minute, Detail, Caller, Callee, Consumer, Method, Route`,
  ],
};
