// Diagnostic variants of the two targeted reads, run in-process on the
// generated data: each adds or removes one piece of work, so the difference
// shows what that piece costs. The edge probes use the store's own window SQL
// (newestRows, windowRows); the trace probes read otel_traces, whose columns
// are the OpenTelemetry exporter's and do not change.
import { sql, DD, newestRows, windowRows, type Sql, type Store } from '@plexus/store';

/** One probe: what it reads and its median time. */
export interface Probe {
  probe: string;
  ms: number;
  note: string;
}

async function median(store: Store, runs: number, statement: () => Sql): Promise<number> {
  const ms: number[] = [];
  await store.query(statement());
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await store.query(statement());
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)]!;
}

/** Runs one probe; a probe that fails (the schema moved on) becomes a row saying so instead of failing the bench. */
async function attempt(probe: string, fn: () => Promise<Omit<Probe, 'probe'>>): Promise<Probe> {
  try {
    return { probe, ...(await fn()) };
  } catch (err) {
    return { probe, ms: NaN, note: `probe failed: ${(err as Error).message.split('\n')[0]}` };
  }
}

/** The edge read of a window [fromSec, toSec): per-minute rows vs the read Plexus does now, each with and without merging the latency sketches. */
export async function probeEdgeRead(store: Store, fromSec: number, toSec: number): Promise<Probe[]> {
  const keys = sql`Source, SourceKind, Target, TargetKind`;
  const read = (rows: Sql, merge: boolean) => () => merge
    ? sql`SELECT ${keys}, sum(Count), sum(Errors), quantilesDDMerge(${DD})(Latency) FROM (${rows}) GROUP BY ${keys}`
    : sql`SELECT ${keys}, sum(Count), sum(Errors) FROM (${rows}) GROUP BY ${keys}`;
  const variants: Array<[string, () => Sql]> = [
    ['per-minute edge rows of the window', () => newestRows('edges', 'minute', fromSec, toSec)],
    ['hourly rollups + edge minutes (as dependencyGraph reads now)', () => windowRows('edges', fromSec, toSec)],
  ];
  const out: Probe[] = [];
  for (const [name, rows] of variants) {
    let count = NaN;
    out.push(await attempt(`${name}: sums only`, async () => {
      count = Number((await store.query<{ n: string }>(sql`SELECT count() AS n FROM (${rows()})`))[0]?.n ?? NaN);
      return { ms: await median(store, 5, read(rows(), false)), note: `${count.toLocaleString('en-US')} rows` };
    }));
    const sums = out[out.length - 1]!.ms;
    out.push(await attempt(`… plus merging their latency sketches`, async () => {
      const ms = await median(store, 5, read(rows(), true));
      return { ms, note: `the merge costs ${Math.round(ms - sums)} ms (${Math.round((100 * (ms - sums)) / ms)}% of the read)` };
    }));
  }
  return out;
}

/** A trace's rows read with every column (as trace(id)) and with the ids only, plus the granules its bloom filter leaves. */
export async function probeTraceRead(store: Store, traceIds: readonly string[]): Promise<Probe[]> {
  try {
    return await traceProbes(store, traceIds);
  } catch (err) {
    return [{ probe: 'trace read', ms: NaN, note: `probe failed: ${(err as Error).message.split('\n')[0]}` }];
  }
}

async function traceProbes(store: Store, traceIds: readonly string[]): Promise<Probe[]> {
  const ids = traceIds.slice(0, 10);
  const bounds = new Map<string, { start: number; end: number }>();
  for (const id of ids) {
    const [b] = await store.query<{ start: string; end: string }>(sql`SELECT toUnixTimestamp(min(Start)) AS start, toUnixTimestamp(max(End)) AS end FROM otel_traces_trace_id_ts WHERE TraceId = ${id}`);
    bounds.set(id, { start: Number(b?.start ?? 0), end: Number(b?.end ?? 0) });
  }
  const where = (id: string) => {
    const b = bounds.get(id)!;
    return sql`TraceId = ${id} AND Timestamp >= toDateTime64(${b.start}, 9) AND Timestamp < toDateTime64(${b.end + 1}, 9)`;
  };
  let k = 0;
  const next = () => ids[k++ % ids.length]!;
  const lookup = await median(store, 9, () => sql`SELECT toUnixTimestamp(min(Start)) AS start, toUnixTimestamp(max(End)) AS end FROM otel_traces_trace_id_ts WHERE TraceId = ${next()}`);
  const idsOnly = await median(store, 9, () => sql`SELECT SpanId, ParentSpanId FROM otel_traces WHERE ${where(next())}`);
  const all = await median(store, 9, () => sql`SELECT *, Events.Timestamp, Events.Name, Events.Attributes, Links.TraceId, Links.SpanId, Links.Attributes FROM otel_traces WHERE ${where(next())} ORDER BY Timestamp`);
  const plan = await store.query<{ explain: string }>(sql`EXPLAIN indexes = 1 SELECT SpanId FROM otel_traces WHERE ${where(ids[0]!)}`);
  const granules = plan.map((r) => /Granules: (\d+)\/(\d+)/.exec(r.explain)).filter((m) => m !== null).map((m) => `${m[1]} of ${m[2]}`).pop() ?? '?';
  return [
    { probe: 'trace-id lookup table (start/end of one trace)', ms: lookup, note: '' },
    { probe: 'otel_traces rows of one trace, ids only', ms: idsOnly, note: `bloom filter leaves ${granules} granules (8,192 rows each) to read` },
    { probe: '… every column, as trace(id) reads them', ms: all, note: `the attribute maps, events and links of those granules cost ${Math.round(all - idsOnly)} ms` },
  ];
}
