import { GraphQLError } from 'graphql';

/** A validated time window. Aggregates are per minute: the window covers the minutes starting in [from, to). */
export interface TimeWindow {
  from: Date;
  to: Date;
  /** Window length in seconds, for rates. */
  seconds: number;
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
