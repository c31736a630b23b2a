import { GraphQLError } from 'graphql';

/** A validated time window. Aggregates are per minute: the window covers the minutes starting in [from, to). */
export interface TimeWindow {
  from: Date;
  to: Date;
  /** Window length in seconds, for rates. */
  seconds: number;
}

/**
 * The window as whole minutes in seconds: every minute starting in [from, to).
 * Computed here, in integers, because comparing the DateTime bucket columns
 * with sub-second DateTime64 values in ClickHouse filters is not exact.
 */
export function minuteBounds(w: TimeWindow): { fromSec: number; toSec: number } {
  return { fromSec: Math.floor(w.from.getTime() / 60_000) * 60, toSec: Math.ceil(w.to.getTime() / 60_000) * 60 };
}

/** The start (epoch seconds) of every `step`-second bucket of the window, as toStartOfInterval aligns them, so a series can list empty buckets too. */
export function stepStarts(w: TimeWindow, step: number): number[] {
  const out: number[] = [];
  for (let t = Math.floor(w.from.getTime() / 1000 / step) * step; t * 1000 < w.to.getTime(); t += step) out.push(t);
  return out;
}

/** A cache key for per-request reads over this window. */
export function windowKey(w: TimeWindow): string {
  return `${w.from.getTime()}-${w.to.getTime()}`;
}

/** Parses and checks `from`/`to`; errors carry a code a script can act on. */
export function parseWindow(from: string, to: string, retentionDays: number, now: number = Date.now()): TimeWindow {
  const f = parseDate(from, 'from');
  const t = parseDate(to, 'to');
  if (t.getTime() <= f.getTime()) throw userError(`"to" (${to}) must be after "from" (${from})`, 'BAD_USER_INPUT');
  const oldest = now - retentionDays * 86_400_000;
  if (t.getTime() < oldest) throw userError(`the window ends before the retention of ${retentionDays} days (oldest data: ${new Date(oldest).toISOString()})`, 'OUT_OF_RETENTION');
  return { from: f, to: t, seconds: (t.getTime() - f.getTime()) / 1000 };
}

function parseDate(value: string, name: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw userError(`"${name}" is not an ISO-8601 date-time: ${JSON.stringify(value)}`, 'BAD_USER_INPUT');
  return d;
}

/** A GraphQL error with `extensions.code`, shown to the client as is. */
export function userError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}
