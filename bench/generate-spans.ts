// Fills otel_traces with millions of realistic spans inside ClickHouse, with
// `INSERT … SELECT … FROM numbers()`: row n is span (n mod K) of trace n div K,
// filled from a template of landscape.ts passed as bound arrays. Ids derive
// from the trace number, so a test can name any trace without reading it back.
import { sql, param, ident, type Sql, type Store } from '@plexus/store';
import {
  ASYNC_SHARE, ASYNC_TRACE, BACKENDS, BACKEND_DB, CONSUMERS, EXTERNAL_HOSTS, FAILURES_PER_MILLE, GATEWAY, RESOURCE_ATTRIBUTES, SYNC_TRACE, TOPIC,
  fill, type SpanTemplate,
} from './landscape.ts';

/** What was generated. */
export interface GeneratedSpans {
  spans: number;
  traces: number;
  fromMs: number;
  toMs: number;
  seconds: number;
  /** Trace-number ranges per template, to name existing traces later. */
  shapes: Array<{ name: string; firstTrace: number; traces: number; spansPerTrace: number }>;
}

const DAY_MS = 86_400_000;
const CHUNK_SPANS = 2_000_000;

/** SQL for the trace id of trace number `t` (a UInt64 expression). */
export function traceIdSql(t: Sql): Sql {
  return sql`lower(concat(leftPad(hex(intHash64(${t})), 16, '0'), leftPad(hex(${t} + 1), 16, '0')))`;
}

function spanIdSql(t: Sql, position: Sql): Sql {
  return sql`lower(leftPad(hex(intHash64(toUInt64(${t} * 16 + ${position}))), 16, '0'))`;
}

// Tokens a template leaves for the row to fill; {gw} and {topic} are constants filled up front.
const ROW_TOKENS = ['A', 'B', 'C', 'dbA', 'dbB', 'ext', 'id', 'code'] as const;
const CONSTANTS = { gw: GATEWAY, topic: TOPIC };

function fillSql(template: Sql): Sql {
  let out = template;
  for (const token of ROW_TOKENS) out = sql`replaceAll(${out}, ${`{${token}}`}, ${ident(token)})`;
  return out;
}

function insertShape(template: readonly SpanTemplate[], firstTrace: number, traces: number, fromNs: bigint, windowNs: number, offsetSpans: number, countSpans: number): Sql {
  const k = template.length;
  const c = (s: string) => fill(s, CONSTANTS);
  const arr = (type: string, values: unknown[]) => param(type, values);
  const parents = arr('Array(Int32)', template.map((s) => s.parent));
  const kinds = arr('Array(String)', template.map((s) => s.kind));
  const services = arr('Array(String)', template.map((s) => c(s.service)));
  const names = arr('Array(String)', template.map((s) => c(s.name)));
  const attrKeys = arr('Array(Array(String))', template.map((s) => s.attributes.map(([key]) => key)));
  const attrValues = arr('Array(Array(String))', template.map((s) => s.attributes.map(([, v]) => c(v))));
  const starts = arr('Array(Float64)', template.map((s) => s.start));
  const durations = arr('Array(Float64)', template.map((s) => s.duration));
  const onFailure = arr('Array(String)', template.map((s) => s.onFailure ?? ''));
  const resKeys = param('Array(String)', RESOURCE_ATTRIBUTES.map(([key]) => key));
  const resValues = param('Array(String)', RESOURCE_ATTRIBUTES.map(([, v]) => v));
  const n = BACKENDS.length;
  const t = sql`t`;
  return sql`INSERT INTO otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName,
    ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode, StatusMessage,
    \`Events.Timestamp\`, \`Events.Name\`, \`Events.Attributes\`, \`Links.TraceId\`, \`Links.SpanId\`, \`Links.TraceState\`, \`Links.Attributes\`)
  SELECT Ts, TraceId, SpanId, ParentSpanId, '', SpanName, SpanKind, ServiceName,
    ResourceAttributes, 'bench-generator', '1.0.0', SpanAttributes, Dur,
    if(IsError, 'Error', 'Unset'), if(IsError, 'upstream returned 500', ''),
    if(IsError, [Ts + toIntervalNanosecond(intDiv(Dur, 2))], []), if(IsError, ['exception'], []),
    if(IsError, [map('exception.type', 'HttpError', 'exception.message', concat('GET /', ServiceName, ' failed'))], []),
    if(SpanKind = 'Consumer', [TraceId], []), if(SpanKind = 'Consumer', [ParentSpanId], []),
    if(SpanKind = 'Consumer', [''], []), if(SpanKind = 'Consumer', [CAST(map(), 'Map(String, String)')], [])
  FROM (
    SELECT
      intDiv(number, ${param('UInt32', k)}) AS i,
      toUInt32(number % ${param('UInt32', k)}) + 1 AS pos,
      i + ${param('UInt64', firstTrace)} AS t,
      intHash64(t) AS h,
      intHash64(bitXor(t, 1540483477)) AS h2,
      h % ${param('UInt32', n)} AS ai,
      (ai + 1 + intDiv(h, 256) % ${param('UInt32', n - 1)}) % ${param('UInt32', n)} AS bi,
      arrayElement(${param('Array(String)', [...BACKENDS])}, ai + 1) AS A,
      arrayElement(${param('Array(String)', [...BACKENDS])}, bi + 1) AS B,
      arrayElement(${param('Array(String)', [...BACKEND_DB])}, ai + 1) AS dbA,
      arrayElement(${param('Array(String)', [...BACKEND_DB])}, bi + 1) AS dbB,
      arrayElement(${param('Array(String)', [...CONSUMERS])}, intDiv(h, 65536) % ${param('UInt32', CONSUMERS.length)} + 1) AS C,
      arrayElement(${param('Array(String)', [...EXTERNAL_HOSTS])}, intDiv(h, 16777216) % ${param('UInt32', EXTERNAL_HOSTS.length)} + 1) AS ext,
      toString(intDiv(h, 4294967296) % 10000) AS id,
      intDiv(h2, 1048576) % 1000 < ${param('UInt32', FAILURES_PER_MILLE)} AS Failing,
      arrayElement(${onFailure}, pos) AS OnFailure,
      Failing AND OnFailure = 'error' AS IsError,
      if(Failing AND OnFailure != '', if(OnFailure = 'error', '500', '502'), '200') AS code,
      arrayElement(${parents}, pos) AS Parent,
      ${traceIdSql(t)} AS TraceId,
      ${spanIdSql(t, sql`pos`)} AS SpanId,
      if(Parent < 0, '', ${spanIdSql(t, sql`toUInt32(Parent + 1)`)}) AS ParentSpanId,
      ${fillSql(sql`arrayElement(${services}, pos)`)} AS ServiceName,
      ${fillSql(sql`arrayElement(${names}, pos)`)} AS SpanName,
      arrayElement(${kinds}, pos) AS SpanKind,
      mapFromArrays(arrayElement(${attrKeys}, pos), arrayMap(v -> ${fillSql(sql`v`)}, arrayElement(${attrValues}, pos))) AS SpanAttributes,
      mapFromArrays(${resKeys}, arrayMap(v -> replaceAll(replaceAll(v, '{svc}', ServiceName), '{pod}', toString(t % 3)), ${resValues})) AS ResourceAttributes,
      -- Root duration: log-normal around 40 ms (Box-Muller on two hashed uniforms).
      (intDiv(h2, 1099511627776) % 1000000 + 1) / 1000001 AS u1,
      (h2 % 1000000) / 1000000 AS u2,
      exp(log(40) + 0.8 * sqrt(-2 * log(u1)) * cos(2 * pi() * u2)) * 1e6 AS RootNs,
      if(pos = 1, 1, 0.3 + 0.7 * (intHash64(toUInt64(t * 16 + pos + 8)) % 1000) / 1000) AS Jitter,
      toUInt64(greatest(1000, RootNs * arrayElement(${durations}, pos) * Jitter)) AS Dur,
      -- Traces are spread evenly over the window, each at a hashed offset within its slot.
      fromUnixTimestamp64Nano(${param('Int64', fromNs.toString())} + toInt64((i + (intDiv(h2, 1024) % 1000) / 1000) * ${param('Float64', windowNs / traces)} + RootNs * arrayElement(${starts}, pos))) AS Ts
    FROM numbers(${param('UInt64', offsetSpans)}, ${param('UInt64', countSpans)})
  )`;
}

/**
 * Generates about `targetSpans` spans over the 24 hours before `nowMs`
 * (sync and async traces, ASYNC_SHARE of them async), in chunks so memory stays bounded.
 */
export async function generateSpans(store: Store, targetSpans: number, nowMs: number, log: (line: string) => void): Promise<GeneratedSpans> {
  const t0 = performance.now();
  const toMs = nowMs - 60_000;
  const fromMs = nowMs - DAY_MS;
  const meanSpans = (1 - ASYNC_SHARE) * SYNC_TRACE.length + ASYNC_SHARE * ASYNC_TRACE.length;
  const traces = Math.ceil(targetSpans / meanSpans);
  const asyncTraces = Math.round(traces * ASYNC_SHARE);
  const shapes = [
    { name: 'sync', template: SYNC_TRACE, firstTrace: 0, traces: traces - asyncTraces },
    { name: 'async', template: ASYNC_TRACE, firstTrace: traces - asyncTraces, traces: asyncTraces },
  ];
  let spans = 0;
  for (const s of shapes) {
    const k = s.template.length;
    const total = s.traces * k;
    const chunk = Math.floor(CHUNK_SPANS / k) * k;
    for (let offset = 0; offset < total; offset += chunk) {
      const count = Math.min(chunk, total - offset);
      await store.command(insertShape(s.template, s.firstTrace, s.traces, BigInt(fromMs) * 1_000_000n, (toMs - fromMs) * 1e6, offset, count));
      spans += count;
      log(`  generated ${spans.toLocaleString('en-US')} spans (${Math.round((performance.now() - t0) / 1000)} s)`);
    }
  }
  return {
    spans, traces, fromMs, toMs, seconds: (performance.now() - t0) / 1000,
    shapes: shapes.map((s) => ({ name: s.name, firstTrace: s.firstTrace, traces: s.traces, spansPerTrace: s.template.length })),
  };
}

/** The trace ids of the given trace numbers, computed the way the generator does. */
export async function traceIdsOf(store: Store, traceNumbers: readonly number[]): Promise<string[]> {
  const rows = await store.query<{ id: string }>(sql`SELECT ${traceIdSql(sql`t`)} AS id FROM (SELECT arrayJoin(${param('Array(UInt64)', traceNumbers)}) AS t)`);
  return rows.map((r) => r.id);
}

