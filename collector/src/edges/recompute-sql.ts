import { sql, param, DD, CONSUMER_OPERATIONS, timestampBetween, newestRows, type Sql } from '@plexus/store';

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
  // The range is a primary-key range on otel_span_facts; the IN keeps only dirty minutes.
  return sql`${timestampBetween(sql`${param('UInt32', first)}`, sql`${param('UInt32', last + 60)}`)}
    AND toUnixTimestamp(toStartOfMinute(Timestamp)) IN ${param('Array(UInt32)', set.minutes)}`;
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

/** A slice of a minute set's traces: those whose trace-id hash falls in shard `index` of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * The edges of the given minutes (DESIGN.md §5), grouped per minute and edge:
 * spans in those minutes are joined with their parents and children by trace
 * id, across any minute, so late arrivals are handled. Reads the time-ordered
 * otel_span_facts, so the work follows the minutes recomputed, not the day.
 * With a shard, only whole traces of that shard, and the shard number as a column.
 */
function edgeRowsSql(set: MinuteSet, shard?: Shard): Sql {
  const version = param('UInt64', set.version.toString());
  const shardFilter = shard ? sql`AND cityHash64(TraceId) % ${param('UInt16', shard.count)} = ${param('UInt16', shard.index)}` : sql``;
  const shardColumn = shard ? sql`${param('UInt16', shard.index)}, ` : sql``;
  return sql`  WITH
    spans AS (
      SELECT TraceId, SpanId, ParentSpanId, ServiceName, toStartOfMinute(Timestamp) AS Minute, Kind, DurationMs AS Ms, IsError,
        PeerService, DbSystem, ServerAddress, Destination, MessagingOp, HttpMethod, Route
      FROM otel_span_facts
      WHERE ${minuteFilter(set)} AND Kind IN ('SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER') ${shardFilter}
    ),
    -- Zipkin's B3 "shared" spans give a call's client and server halves one
    -- span id. The server half is where that id's children run, so it names
    -- the id's service; and it counts as the client half's child, so a leaf
    -- server does not leave its client pointing at a virtual node as well.
    family AS (
      SELECT TraceId, SpanId, any(Parent) AS ParentSpanId, argMax(Service, Kind = 'SERVER') AS ServiceName,
        groupUniqArrayIf(Service, Kind = 'SERVER') AS ServerServices
      FROM (
        SELECT TraceId, SpanId, ParentSpanId AS Parent, ServiceName AS Service, Kind FROM otel_span_facts
        WHERE TraceId IN (SELECT TraceId FROM spans) AND ${traceBounds(sql`SELECT TraceId FROM spans`)}
      )
      GROUP BY TraceId, SpanId
    ),
    children AS (
      SELECT TraceId, SpanId, groupUniqArray(Child) AS ChildServices
      FROM (
        SELECT TraceId, ParentSpanId AS SpanId, ServiceName AS Child FROM family WHERE ParentSpanId != ''
        UNION ALL
        SELECT TraceId, SpanId, arrayJoin(ServerServices) AS Child FROM family WHERE length(ServerServices) > 0
      )
      GROUP BY TraceId, SpanId
    ),
    -- One pass over the minutes' spans: each span gives at most one edge.
    classified AS (
      SELECT c.Minute AS Minute, c.ServiceName AS Service, c.IsError AS IsError, c.Ms AS Ms, c.Destination AS Destination,
        multiIf(c.PeerService != '', c.PeerService, c.DbSystem != '', c.DbSystem, c.ServerAddress) AS VirtualTarget,
        if(c.DbSystem != '', 'DATABASE', 'EXTERNAL') AS VirtualKind,
        p.ServiceName AS ParentService,
        c.HttpMethod AS Method, c.Route AS Route,
        c.Kind = 'SERVER' AND p.ServiceName != '' AND p.ServiceName != c.ServiceName AS IsCall,
        c.Kind = 'SERVER' AND NOT IsCall AS IsEntry,
        c.Destination != '' AND (c.Kind = 'CONSUMER' OR (c.Kind = 'CLIENT' AND c.MessagingOp IN ${CONSUMER_OPERATIONS})) AS IsConsume,
        c.Destination != '' AND NOT IsConsume AND c.Kind IN ('PRODUCER', 'CLIENT') AS IsProduce,
        c.Kind = 'CLIENT' AND c.Destination = '' AND VirtualTarget != '' AND NOT arrayExists(s -> s != c.ServiceName, ch.ChildServices) AS IsVirtual
      FROM spans AS c
      LEFT JOIN family AS p ON p.TraceId = c.TraceId AND p.SpanId = c.ParentSpanId
      LEFT JOIN children AS ch ON ch.TraceId = c.TraceId AND ch.SpanId = c.SpanId
    ),
    -- Entry calls (server spans with no calling service) are kept with an empty
    -- Source: they are an operation's traffic, but no edge.
    calls AS (
      SELECT Minute, IsError, Ms,
        multiIf(IsCall, ParentService, IsEntry, '', IsConsume, Destination, Service) AS Source,
        multiIf(IsEntry, '', IsConsume, 'TOPIC', 'SERVICE') AS SourceKind,
        multiIf(IsCall OR IsEntry, Service, IsConsume, Service, IsProduce, Destination, VirtualTarget) AS Target,
        multiIf(IsCall OR IsEntry, 'SERVICE', IsConsume, 'SERVICE', IsProduce, 'TOPIC', VirtualKind) AS TargetKind,
        if(IsCall OR IsEntry, Method, '') AS Method,
        if(IsCall OR IsEntry, Route, '') AS Route
      FROM classified
      WHERE IsCall OR IsEntry OR IsConsume OR IsProduce OR IsVirtual
    )
  SELECT Minute, ${version}, ${shardColumn}Target, TargetKind, Source, SourceKind, Method, Route, count(), countIf(IsError), sum(Ms), ${QUANTILES_STATE}(Ms)
  FROM calls
  GROUP BY Minute, Target, TargetKind, Source, SourceKind, Method, Route`;
}

const OPERATION_COLUMNS = sql`Minute, Version, Target, TargetKind, Source, SourceKind, Method, Route, Calls, Errors, DurationSumMs, Latency`;

function operationMarkers(set: MinuteSet): Sql {
  return sql`SELECT Minute, ${param('UInt64', set.version.toString())}, '', '', '', '', '', '', 0, 0, 0, ${QUANTILES_EMPTY}
  FROM (${markers(set)}) GROUP BY Minute`;
}

/** Replaces the edge_operations rows of the given minutes in one statement. */
export function recomputeOperationsSql(set: MinuteSet): Sql {
  return sql`INSERT INTO edge_operations (${OPERATION_COLUMNS})
  ${edgeRowsSql(set)}
  UNION ALL
  ${operationMarkers(set)}`;
}

/** Computes one shard of a busy minute set into the staging table. */
export function recomputeOperationShardSql(set: MinuteSet, shard: Shard): Sql {
  return sql`INSERT INTO edge_operations_shards (Minute, Version, Shard, Target, TargetKind, Source, SourceKind, Method, Route, Calls, Errors, DurationSumMs, Latency)
  ${edgeRowsSql(set, shard)}`;
}

/** Replaces the edge_operations rows of the minute set with the merged states of its shards. */
export function mergeOperationShardsSql(set: MinuteSet): Sql {
  const version = param('UInt64', set.version.toString());
  return sql`INSERT INTO edge_operations (${OPERATION_COLUMNS})
  SELECT Minute, Version, Target, TargetKind, Source, SourceKind, Method, Route, sum(Calls), sum(Errors), sum(DurationSumMs), quantilesDDMergeState(${DD})(Latency)
  FROM edge_operations_shards WHERE Version = ${version}
  GROUP BY Minute, Version, Target, TargetKind, Source, SourceKind, Method, Route
  UNION ALL
  ${operationMarkers(set)}`;
}

/**
 * Replaces the service_edges rows of the given minutes with their newest
 * edge_operations rows summed over operations; entry calls are no edges.
 */
export function rollupEdgesSql(set: MinuteSet): Sql {
  const version = param('UInt64', set.version.toString());
  const first = Math.min(...set.minutes);
  const last = Math.max(...set.minutes) + 60;
  return sql`INSERT INTO service_edges (Minute, Version, Source, SourceKind, Target, TargetKind, Calls, Errors, DurationSumMs, Latency)
  SELECT Time, ${version}, Source, SourceKind, Target, TargetKind, sum(Count), sum(Errors), sum(DurationSumMs), quantilesDDMergeState(${DD})(Latency)
  FROM (${newestRows('operations', 'minute', first, last)})
  WHERE Source != '' AND toUnixTimestamp(Time) IN ${param('Array(UInt32)', set.minutes)}
  GROUP BY Time, Source, SourceKind, Target, TargetKind
  UNION ALL
  SELECT Minute, ${version}, '', '', '', '', 0, 0, 0, ${QUANTILES_EMPTY}
  FROM (${markers(set)}) GROUP BY Minute`;
}

/** Spans whose edges a minute set holds: decides how many shards it needs. */
export function edgeSpanCountSql(set: MinuteSet): Sql {
  return sql`SELECT count() AS n FROM otel_span_facts WHERE ${minuteFilter(set)} AND Kind IN ('SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER')`;
}

/** Replaces the operation_red rows of the given minutes: entry spans (SERVER, CONSUMER) per operation. */
export function recomputeRedSql(set: MinuteSet): Sql {
  const version = param('UInt64', set.version.toString());
  return sql`INSERT INTO operation_red (Minute, Version, ServiceName, SpanName, SpanKind, Requests, Errors, DurationSumMs, Latency)
  SELECT toStartOfMinute(Timestamp) AS Minute, ${version}, ServiceName, SpanName, Kind,
    count(), countIf(IsError), sum(DurationMs), ${QUANTILES_STATE}(DurationMs)
  FROM otel_span_facts
  WHERE ${minuteFilter(set)} AND Kind IN ('SERVER', 'CONSUMER')
  GROUP BY Minute, ServiceName, SpanName, Kind
  UNION ALL
  SELECT Minute, ${version}, '', '', '', 0, 0, 0, ${QUANTILES_EMPTY}
  FROM (${markers(set)}) GROUP BY Minute`;
}

/** Minutes holding spans of any trace that received spans in (after, upTo]. */
export function dirtyMinutesSql(after: string, upTo: string): Sql {
  const touched = sql`SELECT DISTINCT TraceId FROM otel_span_facts WHERE IngestedAt > ${param('DateTime64(3)', after)} AND IngestedAt <= ${param('DateTime64(3)', upTo)}`;
  return sql`WITH touched AS (${touched})
  SELECT DISTINCT toUnixTimestamp(toStartOfMinute(Timestamp)) AS minute
  FROM otel_span_facts
  WHERE TraceId IN (SELECT TraceId FROM touched) AND ${traceBounds(sql`SELECT TraceId FROM touched`)}
  ORDER BY minute`;
}
