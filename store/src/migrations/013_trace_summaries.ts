import { sql, param, type Sql } from '../sql.ts';
import { normalizedKind, ERROR_STATUS_CODES } from '../semconv.ts';
import type { Migration } from './migration.ts';

// One row per trace once merges are done: what a trace search lists and sorts
// by, without reading the trace's spans. Fed by a view on otel_traces, so
// spans from any writer are covered; a trace whose spans arrive in several
// inserts has several rows until a merge folds them, and a trace crossing
// midnight keeps one row per day (partitions never merge), so readers always
// GROUP BY TraceId.
//
// LastStart (the latest span start) is beyond what a list shows: with Start it
// tells which traces have a span starting in a window without reading spans.
// TraceKey is a 128-bit hash of TraceId: a search groups a day of traces by it
// and matches them against span sets without reading or hashing the id strings
// (grouping 1.35M traces: 350 against 590 ms of CPU); at 128 bits two ids
// sharing a key is not a practical concern.
// HasAsync: the trace crosses a message hop (a producer, or a consumer with a
// parent), so not every span in it was reached by synchronous calls (impact).
// Root ranks a root span (no parent) before any other, then by start, so a
// trace whose root was never received names its earliest span.
// Like every view target of otel_traces, the table remembers insert tokens
// (see 011_kafka_exactly_once.ts): a replayed Kafka insert is dropped here too.
/** SQL for the TraceKey of a TraceId expression. */
export function traceKeySql(traceId: Sql): Sql {
  return sql`reinterpretAsUInt128(sipHash128(${traceId}))`;
}

const summarySelect = sql`SELECT TraceId,
    any(${traceKeySql(sql`TraceId`)}) AS TraceKey,
    min(Timestamp) AS Start,
    max(Timestamp + toIntervalNanosecond(Duration)) AS End,
    max(Timestamp) AS LastStart,
    count() AS SpanCount,
    countIf(StatusCode IN ${ERROR_STATUS_CODES}) AS ErrorCount,
    groupUniqArray(CAST(ServiceName, 'String')) AS Services,
    argMinState((CAST(ServiceName, 'String'), CAST(SpanName, 'String')), (toUInt8(ParentSpanId != ''), Timestamp)) AS Root,
    max(toUInt8(ParentSpanId = '')) AS HasRoot,
    max(toUInt8(${normalizedKind()} = 'PRODUCER' OR (${normalizedKind()} = 'CONSUMER' AND ParentSpanId != ''))) AS HasAsync
  FROM otel_traces
  WHERE TraceId != ''
  GROUP BY TraceId`;

export const traceSummaries: Migration = {
  id: 13,
  name: 'trace_summaries',
  statements: ({ retentionDays }) => [
    sql`CREATE TABLE IF NOT EXISTS trace_summaries (
      TraceId String CODEC(ZSTD(1)),
      TraceKey SimpleAggregateFunction(any, UInt128),
      Start SimpleAggregateFunction(min, DateTime64(9)) CODEC(ZSTD(1)),
      End SimpleAggregateFunction(max, DateTime64(9)) CODEC(ZSTD(1)),
      LastStart SimpleAggregateFunction(max, DateTime64(9)) CODEC(ZSTD(1)),
      SpanCount SimpleAggregateFunction(sum, UInt64),
      ErrorCount SimpleAggregateFunction(sum, UInt64),
      Services SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
      Root AggregateFunction(argMin, Tuple(String, String), Tuple(UInt8, DateTime64(9))),
      HasRoot SimpleAggregateFunction(max, UInt8),
      HasAsync SimpleAggregateFunction(max, UInt8)
    ) ENGINE = AggregatingMergeTree
    PARTITION BY toDate(Start)
    ORDER BY TraceId
    TTL toDateTime(Start) + toIntervalDay(${param('UInt32', retentionDays)})
    SETTINGS ttl_only_drop_parts = 1, non_replicated_deduplication_window = 10000`,
    // Spans stored before this migration; rows inserted from now on come through
    // the view. Emptied first, view and all, so a run cut short and repeated
    // does not count a span twice.
    sql`DROP VIEW IF EXISTS trace_summaries_mv`,
    sql`TRUNCATE TABLE trace_summaries`,
    // A large store holds more trace ids than fit in memory at once: past 1 GiB the grouping spills to disk.
    sql`INSERT INTO trace_summaries ${summarySelect} SETTINGS max_bytes_before_external_group_by = 1073741824`,
    sql`CREATE MATERIALIZED VIEW IF NOT EXISTS trace_summaries_mv TO trace_summaries AS ${summarySelect}`,
  ],
};
