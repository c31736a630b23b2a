import { sql, param, type Sql, type Store } from '@plexus/store';
import { rowsInWindow, minuteRowsInWindow, minutesIn } from './window-rows.ts';
import { mergeLatency, toLatency, type Latency } from './latency.ts';
import type { Binding, Observed } from './api-match.ts';
import { stepStarts, type TimeWindow } from './window.ts';

// Traffic per API, read from edge_operations: the window's observed operations
// are matched to the catalog (api-match.ts) and the matches handed back to SQL
// as arrays, so every figure (latency states included) is merged in ClickHouse.

const SEP = '\u001f';

/**
 * The window's operation rows: the traces' (edge_operations) plus the calls
 * gateway consumers (Kong consumers, AWS principals) made through a gateway,
 * as if the consumer called the upstream service itself, so they count as
 * consumers of the APIs they call.
 */
function operationRows(w: TimeWindow, minutes = false): Sql {
  // The inner SELECT filters on the table's own Source column before the outer one reuses the name as an alias.
  return sql`${minutes ? minuteRowsInWindow('operations', w) : rowsInWindow('operations', w)}
    UNION ALL
    SELECT Minute AS Time, Callee AS Target, 'SERVICE' AS TargetKind, Consumer AS Source, 'SERVICE' AS SourceKind, Method, Route,
      Calls AS Count, Errors, DurationSumMs, Latency
    FROM (SELECT * FROM source_edges
      WHERE Source = 'gateway' AND Consumer != '' AND Callee != ''
        AND ${minutesIn(sql`Minute`, w)})`;
}

/** SQL for a row's observation key; must agree with `observedKey`. */
const OBSERVED_KEY = sql`multiIf(SourceKind = 'TOPIC', concat('topic:', Source), TargetKind = 'SERVICE', concat(Target, ${SEP}, Method, ${SEP}, Route), '')`;
/** Who called: the calling service, or the service reading a topic. */
const CONSUMER = sql`if(SourceKind = 'TOPIC', Target, Source)`;

/** An observed operation with its traffic and callers over a window. */
export type ObservedOperation = Observed & { calls: number; callers: string[] };

/** Served operations and consumed topics of a window, with their callers. */
export async function observedOperations(store: Store, w: TimeWindow): Promise<ObservedOperation[]> {
  const rows = await store.query<{ topic: number | boolean; target: string; method: string; route: string; calls: string; callers: string[] }>(sql`
    SELECT SourceKind = 'TOPIC' AS topic, if(topic, Source, Target) AS target, Method AS method, Route AS route,
      sum(Count) AS calls, groupUniqArrayIf(${CONSUMER}, ${CONSUMER} != '') AS callers
    FROM (${operationRows(w)})
    WHERE SourceKind = 'TOPIC' OR TargetKind = 'SERVICE'
    GROUP BY topic, target, method, route`);
  return rows.map((r) => ({
    ...(Number(r.topic) ? { topic: r.target } : { target: r.target, method: r.method, route: r.route }),
    calls: Number(r.calls),
    callers: [...r.callers].sort(),
  }));
}

/** Rows of `rows` attributed to the given APIs, with columns Time, Consumer, Api, Operation, Count, Errors, Latency. */
function attributed(rows: Sql, bindings: Map<string, Binding>, apis?: ReadonlySet<string>): Sql {
  const entries = [...bindings].filter(([, b]) => !apis || apis.has(b.api));
  const keys = entries.map(([k]) => k);
  const apiOf = entries.map(([, b]) => b.api);
  const operationOf = entries.map(([, b]) => `${b.method} ${b.path}`);
  return sql`SELECT Time, Consumer, ${param('Array(String)', apiOf)}[i] AS Api, ${param('Array(String)', operationOf)}[i] AS Operation, Count, Errors, Latency
    FROM (SELECT *, indexOf(${param('Array(String)', keys)}, ${OBSERVED_KEY}) AS i, ${CONSUMER} AS Consumer FROM (${rows}))
    WHERE i > 0`;
}

/** A calling service of an API and what its calls did. */
export interface ApiConsumerStats {
  service: string;
  calls: number;
  errors: number;
  errorRate: number;
  latency: Latency;
  operations: string[];
}

/** Services that called the API in the window, busiest first. */
export async function consumersOf(store: Store, w: TimeWindow, bindings: Map<string, Binding>, api: string): Promise<ApiConsumerStats[]> {
  const rows = await store.query<{ service: string; calls: string; errors: string; q: number[]; operations: string[] }>(sql`
    SELECT Consumer AS service, sum(Count) AS calls, sum(Errors) AS errors, ${mergeLatency} AS q, groupUniqArray(Operation) AS operations
    FROM (${attributed(operationRows(w), bindings, new Set([api]))})
    WHERE Consumer != ''
    GROUP BY Consumer ORDER BY calls DESC, service`);
  return rows.map((r) => {
    const calls = Number(r.calls);
    const errors = Number(r.errors);
    return { service: r.service, calls, errors, errorRate: calls > 0 ? errors / calls : 0, latency: toLatency(r.q, calls), operations: [...r.operations].sort() };
  });
}

/** An API's traffic per step: every bucket of the window, empty ones with zeros. */
export interface TrafficPoint {
  time: Date;
  calls: number;
  errors: number;
  consumers: number;
  latency: Latency;
}

/** An API's traffic over the window: its totals and every step's figures, read in one statement. */
export async function apiTraffic(store: Store, w: TimeWindow, bindings: Map<string, Binding>, api: string, step: number): Promise<{ total: TrafficPoint; series: TrafficPoint[] }> {
  // GROUPING SETS gives the window's total (merged latency states included) as one more row, marked by g = 1.
  // Hour steps read hour rollups where whole hours fit (minute rows at the window's edges fall in their hour).
  const rows = await store.query<{ t: string; g: number | string; calls: string; errors: string; consumers: string; q: number[] }>(sql`
    SELECT toUnixTimestamp(toStartOfInterval(Time, toIntervalSecond(${param('UInt32', step)}))) AS t, grouping(t) AS g,
      sum(Count) AS calls, sum(Errors) AS errors, uniqExactIf(Consumer, Consumer != '') AS consumers, ${mergeLatency} AS q
    FROM (${attributed(operationRows(w, step % 3600 !== 0), bindings, new Set([api]))})
    GROUP BY GROUPING SETS ((t), ())`);
  const point = (time: number, r: (typeof rows)[number] | undefined): TrafficPoint => {
    const calls = Number(r?.calls ?? 0);
    return { time: new Date(time * 1000), calls, errors: Number(r?.errors ?? 0), consumers: Number(r?.consumers ?? 0), latency: toLatency(r?.q, calls) };
  };
  const byTime = new Map(rows.filter((r) => Number(r.g) === 0).map((r) => [Number(r.t), r]));
  const series = stepStarts(w, step).map((t) => point(t, byTime.get(t)));
  return { total: point(Math.floor(w.from.getTime() / 1000), rows.find((r) => Number(r.g) === 1)), series };
}

/** An API's totals over a window. */
export interface ApiTotals {
  api: string;
  calls: number;
  errors: number;
  latency: Latency;
  consumers: string[];
}

/** Totals of every API (or of `only`) with traffic in the window, keyed by API ref. */
export async function apiTotals(store: Store, w: TimeWindow, bindings: Map<string, Binding>, only?: ReadonlySet<string>): Promise<Map<string, ApiTotals>> {
  const rows = await store.query<{ api: string; calls: string; errors: string; q: number[]; consumers: string[] }>(sql`
    SELECT Api AS api, sum(Count) AS calls, sum(Errors) AS errors, ${mergeLatency} AS q, groupUniqArrayIf(Consumer, Consumer != '') AS consumers
    FROM (${attributed(operationRows(w), bindings, only)})
    GROUP BY Api`);
  return new Map(rows.map((r) => {
    const calls = Number(r.calls);
    return [r.api, { api: r.api, calls, errors: Number(r.errors), latency: toLatency(r.q, calls), consumers: [...r.consumers].sort() }];
  }));
}

/** The start of the newest minute with a call of the API in the window, or null. */
export async function lastCallOf(store: Store, w: TimeWindow, bindings: Map<string, Binding>, api: string): Promise<Date | null> {
  const only = new Set([api]);
  const newestMinute = async (range: TimeWindow) => {
    const [row] = await store.query<{ t: string }>(sql`
      SELECT toUnixTimestamp(max(Time)) AS t FROM (${attributed(operationRows(range, true), bindings, only)}) HAVING count() > 0`);
    return row ? Number(row.t) : undefined;
  };
  // A live API was called in the last hour: one read of minute rows answers.
  const recentFrom = Math.max(w.from.getTime(), w.to.getTime() - 3_600_000);
  const recent = await newestMinute({ from: new Date(recentFrom), to: w.to, seconds: (w.to.getTime() - recentFrom) / 1000 });
  if (recent !== undefined) return new Date(recent * 1000);
  // Otherwise hour rollups find the bucket and only that hour's minutes are read.
  const [newest] = await store.query<{ t: string }>(sql`
    SELECT toUnixTimestamp(max(Time)) AS t FROM (${attributed(operationRows(w), bindings, only)}) HAVING count() > 0`);
  if (!newest) return null;
  const from = Number(newest.t);
  const minute = await newestMinute({ from: new Date(from * 1000), to: new Date(Math.min(w.to.getTime(), (from + 3600) * 1000)), seconds: 3600 });
  return new Date((minute ?? from) * 1000);
}

/** Matched calls per API made by each calling service in the window: service -> API ref -> calls. */
export async function consumedPerService(store: Store, w: TimeWindow, bindings: Map<string, Binding>): Promise<Map<string, Map<string, number>>> {
  const rows = await store.query<{ service: string; api: string; calls: string }>(sql`
    SELECT Consumer AS service, Api AS api, sum(Count) AS calls
    FROM (${attributed(operationRows(w), bindings)})
    WHERE Consumer != '' GROUP BY service, api`);
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = out.get(r.service) ?? new Map<string, number>();
    m.set(r.api, Number(r.calls));
    out.set(r.service, m);
  }
  return out;
}
