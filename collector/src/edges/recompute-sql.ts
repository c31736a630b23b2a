import { sql, param, DD, type Sql } from '@plexus/store';
import { spanAttr, normalizedKind, isError, CONSUMER_OPERATIONS, KIND_SPELLINGS } from './semconv.ts';

const QUANTILES_STATE = sql`quantilesDDState(${DD})`;
const QUANTILES_EMPTY = sql`quantilesDDStateIf(${DD})(toFloat64(0), false)`;

/** The set of minutes one recompute covers, as bound parameters. */
export interface MinuteSet {
  /** Minute starts, seconds since the epoch. */
  minutes: number[];
  version: bigint;
}

function minuteFilter(set: MinuteSet): Sql {
  const first = Math.min(...set.minutes);
  const last = Math.max(...set.minutes);
  // The range prunes partitions and granules; the IN keeps only dirty minutes.
  return sql`${timestampBetween(sql`${param('UInt32', first)}`, sql`${param('UInt32', last + 60)}`)}
    AND toUnixTimestamp(toStartOfMinute(Timestamp)) IN ${param('Array(UInt32)', set.minutes)}`;
}

/**
 * Timestamp in [from, to) seconds. Timestamp is DateTime64(9): compared with a
 * DateTime, ClickHouse's filter misses rows in the last half second (seen on
 * 26.7), so both bounds are made DateTime64(9) too.
 */
export function timestampBetween(fromSeconds: Sql, toSeconds: Sql): Sql {
  return sql`Timestamp >= toDateTime64(${fromSeconds}, 9) AND Timestamp < toDateTime64(${toSeconds}, 9)`;
}

/** Timestamp within the lookup table's bounds of the traces the subquery names. */
function traceBounds(traceIds: Sql): Sql {
  return timestampBetween(
    sql`(SELECT min(Start) FROM otel_traces_trace_id_ts WHERE TraceId IN (${traceIds}))`,
    sql`(SELECT max(End) FROM otel_traces_trace_id_ts WHERE TraceId IN (${traceIds})) + 1`,
  );
}

function markers(set: MinuteSet): Sql {
  return sql`SELECT toDateTime(m) AS Minute FROM (SELECT arrayJoin(${param('Array(UInt32)', set.minutes)}) AS m)`;
}

/**
 * Replaces the service_edges rows of the given minutes (DESIGN.md §5): children
 * in those minutes are joined with their parents, and client spans with their
 * children, by trace id across any minute, so late arrivals are handled.
 */
export function recomputeEdgesSql(set: MinuteSet): Sql {
  const version = param('UInt64', set.version.toString());
  return sql`INSERT INTO service_edges (Minute, Version, Source, SourceKind, Target, TargetKind, Calls, Errors, DurationSumMs, Latency)
  WITH
    spans AS (
      SELECT TraceId, SpanId, ParentSpanId, ServiceName, toStartOfMinute(Timestamp) AS Minute,
        ${normalizedKind()} AS Kind, Duration / 1e6 AS Ms, ${isError()} AS IsError,
        ${spanAttr('peerService')} AS PeerService, ${spanAttr('dbSystem')} AS DbSystem,
        ${spanAttr('serverAddress')} AS ServerAddress, ${spanAttr('messagingDestination')} AS Destination,
        lower(${spanAttr('messagingOperation')}) AS MessagingOp
      FROM otel_traces
      WHERE ${minuteFilter(set)}
    ),
    family AS (
      SELECT TraceId, SpanId, any(ParentSpanId) AS ParentSpanId, any(ServiceName) AS ServiceName
      FROM otel_traces
      WHERE TraceId IN (SELECT TraceId FROM spans)
        AND ${traceBounds(sql`SELECT TraceId FROM spans`)}
      GROUP BY TraceId, SpanId
    ),
    children AS (
      SELECT TraceId, ParentSpanId AS SpanId, groupUniqArray(ServiceName) AS ChildServices
      FROM family WHERE ParentSpanId != '' GROUP BY TraceId, ParentSpanId
    ),
    calls AS (
      SELECT c.Minute AS Minute, p.ServiceName AS Source, 'SERVICE' AS SourceKind, c.ServiceName AS Target, 'SERVICE' AS TargetKind, c.IsError AS IsError, c.Ms AS Ms
      FROM spans AS c INNER JOIN family AS p ON p.TraceId = c.TraceId AND p.SpanId = c.ParentSpanId
      WHERE c.Kind = 'SERVER' AND p.ServiceName != c.ServiceName
      UNION ALL
      SELECT c.Minute, c.ServiceName, 'SERVICE',
        multiIf(c.PeerService != '', c.PeerService, c.DbSystem != '', c.DbSystem, c.ServerAddress) AS VirtualTarget,
        if(c.DbSystem != '', 'DATABASE', 'EXTERNAL'), c.IsError, c.Ms
      FROM spans AS c LEFT JOIN children AS ch ON ch.TraceId = c.TraceId AND ch.SpanId = c.SpanId
      WHERE c.Kind = 'CLIENT' AND c.Destination = '' AND VirtualTarget != ''
        AND NOT arrayExists(s -> s != c.ServiceName, ch.ChildServices)
      UNION ALL
      SELECT Minute, ServiceName, 'SERVICE', Destination, 'TOPIC', IsError, Ms
      FROM spans
      WHERE Destination != '' AND (Kind = 'PRODUCER' OR (Kind = 'CLIENT' AND MessagingOp NOT IN ${CONSUMER_OPERATIONS}))
      UNION ALL
      SELECT Minute, Destination, 'TOPIC', ServiceName, 'SERVICE', IsError, Ms
      FROM spans
      WHERE Destination != '' AND (Kind = 'CONSUMER' OR (Kind = 'CLIENT' AND MessagingOp IN ${CONSUMER_OPERATIONS}))
    )
  SELECT Minute, ${version}, Source, SourceKind, Target, TargetKind, count(), countIf(IsError), sum(Ms), ${QUANTILES_STATE}(Ms)
  FROM calls
  GROUP BY Minute, Source, SourceKind, Target, TargetKind
  UNION ALL
  SELECT Minute, ${version}, '', '', '', '', 0, 0, 0, ${QUANTILES_EMPTY}
  FROM (${markers(set)}) GROUP BY Minute`;
}

/** Replaces the operation_red rows of the given minutes: entry spans (SERVER, CONSUMER) per operation. */
export function recomputeRedSql(set: MinuteSet): Sql {
  const version = param('UInt64', set.version.toString());
  const entryKinds = [...KIND_SPELLINGS.SERVER, ...KIND_SPELLINGS.CONSUMER];
  return sql`INSERT INTO operation_red (Minute, Version, ServiceName, SpanName, SpanKind, Requests, Errors, DurationSumMs, Latency)
  SELECT toStartOfMinute(Timestamp) AS Minute, ${version}, ServiceName, SpanName, ${normalizedKind()} AS Kind,
    count(), countIf(${isError()}), sum(Duration / 1e6), ${QUANTILES_STATE}(Duration / 1e6)
  FROM otel_traces
  WHERE ${minuteFilter(set)} AND SpanKind IN ${entryKinds}
  GROUP BY Minute, ServiceName, SpanName, Kind
  UNION ALL
  SELECT Minute, ${version}, '', '', '', 0, 0, 0, ${QUANTILES_EMPTY}
  FROM (${markers(set)}) GROUP BY Minute`;
}

/** Minutes holding spans of any trace that received spans in (after, upTo]. */
export function dirtyMinutesSql(after: string, upTo: string): Sql {
  const touched = sql`SELECT DISTINCT TraceId FROM otel_traces WHERE IngestedAt > ${param('DateTime64(3)', after)} AND IngestedAt <= ${param('DateTime64(3)', upTo)}`;
  return sql`WITH touched AS (${touched})
  SELECT DISTINCT toUnixTimestamp(toStartOfMinute(Timestamp)) AS minute
  FROM otel_traces
  WHERE TraceId IN (SELECT TraceId FROM touched)
    AND ${traceBounds(sql`SELECT TraceId FROM touched`)}
  ORDER BY minute`;
}
