import { sql, param } from '../sql.ts';
import type { Migration } from './migration.ts';

// The exporter's trace-id lookup: lets a trace be fetched, and a span's parents
// and children be found, without scanning every partition.
export const traceIdLookup: Migration = {
  id: 2,
  name: 'otel_traces_trace_id_ts',
  statements: ({ retentionDays }) => [
    sql`CREATE TABLE IF NOT EXISTS otel_traces_trace_id_ts (
      TraceId String CODEC(ZSTD(1)),
      Start SimpleAggregateFunction(min, DateTime) CODEC(ZSTD(1)),
      End SimpleAggregateFunction(max, DateTime) CODEC(ZSTD(1))
    ) ENGINE = AggregatingMergeTree
    PARTITION BY toStartOfWeek(Start)
    ORDER BY (TraceId)
    TTL Start + toIntervalDay(${param('UInt32', retentionDays)})
    SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`,
    sql`CREATE MATERIALIZED VIEW IF NOT EXISTS otel_traces_trace_id_ts_mv
    TO otel_traces_trace_id_ts
    AS SELECT TraceId, min(toDateTime(Timestamp)) AS Start, max(toDateTime(Timestamp + toIntervalNanosecond(Duration))) AS End
    FROM otel_traces
    WHERE TraceId != ''
    GROUP BY TraceId`,
  ],
};
