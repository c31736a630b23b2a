import { windowRows, newestRows, type AggregateName, type Sql } from '@plexus/store';
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
