import { sql, ident, type Sql } from '@plexus/store';
import type { TimeWindow } from './window.ts';

/**
 * Rows of the newest recompute of each minute in the window: the edge job
 * rewrites whole minutes under a new Version, so older versions are ignored.
 */
export function latestMinutes(table: 'service_edges' | 'operation_red', w: TimeWindow): Sql {
  const t = ident(table);
  const range = sql`Minute >= toStartOfMinute(${w.from}) AND Minute < ${w.to}`;
  return sql`${range} AND (Minute, Version) IN (SELECT Minute, max(Version) FROM ${t} WHERE ${range} GROUP BY Minute)`;
}
