import { sql, type Sql } from './sql.ts';

/**
 * `Timestamp` (a DateTime64(9) column) in [from, to) seconds. Compared with a
 * DateTime, ClickHouse's filter misses rows in the last half second of the
 * range (seen on 26.7), so both bounds are made DateTime64(9) too.
 */
export function timestampBetween(fromSeconds: Sql, toSeconds: Sql): Sql {
  return sql`Timestamp >= toDateTime64(${fromSeconds}, 9) AND Timestamp < toDateTime64(${toSeconds}, 9)`;
}
