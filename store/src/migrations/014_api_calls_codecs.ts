import { sql, ident, type Sql } from '../sql.ts';
import type { Migration } from './migration.ts';

// Gateway ingest is CPU-bound on two cores, and ZSTD on api_calls' per-request
// columns (near-random ids and addresses, raw paths, latencies, sizes) costs
// more than it saves: with LZ4, the server default, an insert of 30,000 Kong
// rows plus its merges takes 7.3 instead of 8.2 µs of CPU a row
// (BENCHMARKS.md). Parts written before keep their codec until merged.
const string = sql`String`;
const float = sql`Float64`;
const nullableFloat = sql`Nullable(Float64)`;
const count = sql`UInt64`;
const LZ4_COLUMNS: ReadonlyArray<readonly [string, Sql]> = [
  ['ClientAddress', string], ['Path', string], ['RequestId', string], ['TraceId', string],
  ['DurationMs', float], ['UpstreamMs', nullableFloat], ['GatewayMs', nullableFloat], ['BytesIn', count], ['BytesOut', count],
];

export const apiCallsCodecs: Migration = {
  id: 14,
  name: 'api_calls: LZ4 for per-request columns',
  statements: () => LZ4_COLUMNS.map(([column, type]) => sql`ALTER TABLE api_calls MODIFY COLUMN ${ident(column)} ${type} CODEC(LZ4)`),
};
