import { sql, param, windowRows, newestRows, type AggregateName, type Sql } from '@plexus/store';
import { minuteBounds, type TimeWindow } from './window.ts';

/** The window's aggregate rows, from hourly rollups where whole hours fit (columns: Time, keys, Count, Errors, DurationSumMs, Latency). */
export function rowsInWindow(name: AggregateName, w: TimeWindow): Sql {
  const { fromSec, toSec } = minuteBounds(w);
  return windowRows(name, fromSec, toSec);
}

/** The window's rows at minute granularity, for time series. */
export function minuteRowsInWindow(name: AggregateName, w: TimeWindow): Sql {
  const { fromSec, toSec } = minuteBounds(w);
  return newestRows(name, 'minute', fromSec, toSec);
}

/** Rows whose per-minute DateTime column (Minute, Time) falls in the window's minutes. */
export function minutesIn(column: Sql, w: TimeWindow): Sql {
  const { fromSec, toSec } = minuteBounds(w);
  return sql`${column} >= toDateTime(${param('UInt32', fromSec)}) AND ${column} < toDateTime(${param('UInt32', toSec)})`;
}

/** Kafka events whose DateTime64 Timestamp falls in the window's minutes (compared as DateTime64). */
export function eventsIn(w: TimeWindow): Sql {
  const { fromSec, toSec } = minuteBounds(w);
  return sql`Timestamp >= toDateTime64(${param('UInt32', fromSec)}, 3) AND Timestamp < toDateTime64(${param('UInt32', toSec)}, 3)`;
}
