// One 10,000-span trace added to the generated day, for trace(id) at the size a
// batch job or a fan-out produces. Written with INSERT … SELECT like the rest of
// the data: a 4-ary tree of SERVER spans (depth 0..7) rooted at the gateway,
// each span's service a backend other than its parent's, so every edge it
// gives (gateway -> backend, backend -> other backend) is one the generated
// graph already has and the other specs' expected graph stays exact.
import { sql, param, type Sql, type Store } from '@plexus/store';
import { BACKENDS, GATEWAY, RESOURCE_ATTRIBUTES } from './landscape.ts';

/** The big trace's id (hex, unlike any generated id: those end in the trace number + 1). */
export const BIG_TRACE_ID = 'b16b16b16b16b16bffffffffffffffff';

/** Inserts the trace with its root at `atMs`; returns its id and span count. */
export async function insertBigTrace(store: Store, atMs: number, spans = 10_000): Promise<{ id: string; spans: number }> {
  const n = BACKENDS.length;
  const spanId = (x: Sql) => sql`lower(leftPad(hex(intHash64(toUInt64(${x}) + 7777777)), 16, '0'))`;
  await store.command(sql`INSERT INTO otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName,
    ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode)
  SELECT Ts, ${BIG_TRACE_ID}, ${spanId(sql`n`)}, if(n = 0, '', ${spanId(sql`p`)}), concat('GET /', Svc, '/:id'), 'Server', Svc,
    mapFromArrays(${param('Array(String)', RESOURCE_ATTRIBUTES.map(([k]) => k))}, arrayMap(v -> replaceAll(replaceAll(v, '{svc}', Svc), '{pod}', '0'), ${param('Array(String)', RESOURCE_ATTRIBUTES.map(([, v]) => v))})),
    'bench-generator', '1.0.0',
    map('http.request.method', 'GET', 'http.route', concat('/', Svc, '/:id'), 'url.path', concat('/', Svc, '/', toString(n)), 'http.response.status_code', '200'),
    toUInt64((8 - Depth) * 10e6), 'Unset'
  FROM (
    SELECT number AS n, if(n = 0, 0, intDiv(n - 1, 4)) AS p, if(n = 0, 0, (n - 1) % 4) AS Sib,
      -- Depth in a complete 4-ary tree: nodes of depth d are numbered (4^d - 1)/3 .. (4^(d+1) - 1)/3 - 1.
      toUInt32(floor(log2(3 * n + 1) / 2 + 1e-9)) AS Depth,
      -- A child is 2..8 places after its parent in BACKENDS (mod its length), so never the same service.
      if(n = 0, ${GATEWAY}, arrayElement(${param('Array(String)', [...BACKENDS])}, (Depth * 5 + Sib) % ${param('UInt32', n)} + 1)) AS Svc,
      fromUnixTimestamp64Nano(${param('Int64', (BigInt(atMs) * 1_000_000n).toString())} + toInt64(Depth * 2e6 + Sib * 1e5)) AS Ts
    FROM numbers(${param('UInt64', spans)})
  )`);
  return { id: BIG_TRACE_ID, spans };
}
