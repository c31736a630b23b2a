// Readers for values of access-log records. Gateways write the same field as
// a number, a numeric string, null or '-' depending on format and version, so
// every record is read through these rather than trusted to its wire type.

/** A JSON object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Text of a value: strings as they are, finite numbers in decimal; '' for null, '-' (Envoy's and AWS's "unset") and anything else. */
export function text(v: unknown): string {
  if (typeof v === 'string') return v === '-' ? '' : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return '';
}

/** First non-empty text among the values. */
export function firstText(...values: unknown[]): string {
  for (const v of values) {
    const t = text(v);
    if (t) return t;
  }
  return '';
}

/** A short, single-line rendering of a value for a reject reason. */
export function preview(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

/**
 * Reads the numeric fields of one record and remembers the first one that is
 * present but not a number, so a parser can reject the record with the field
 * named instead of storing a made-up 0. One reader serves a whole body.
 */
export class NumberReader {
  /** Why the record is unreadable (`status is not a number ("abc")`), '' while all fields read. */
  bad = '';

  /** Starts a new record. */
  reset(): void {
    this.bad = '';
  }

  /** The value as a number; null when unset (absent, null, '' or '-'), or when not a number (then `bad` says so). */
  read(field: string, v: unknown): number | null {
    if (v === undefined || v === null || v === '' || v === '-') return null;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
    if (Number.isFinite(n)) return n;
    if (!this.bad) this.bad = `${field} is not a number (${preview(v)})`;
    return null;
  }
}

/** The path part of a request target: `/a/b?x=1` -> `/a/b`. */
export function withoutQuery(target: string): string {
  const q = target.indexOf('?');
  return q < 0 ? target : target.slice(0, q);
}

/** The host of an address: `10.0.0.1:80`, `[fd00::1]:80`, `fd00::1`, `tcp://10.0.0.1:80` -> the IP or name alone. */
export function hostOf(address: string): string {
  let a = address.trim();
  const scheme = a.indexOf('://');
  if (scheme >= 0) a = a.slice(scheme + 3);
  const slash = a.indexOf('/');
  if (slash >= 0) a = a.slice(0, slash);
  if (a.startsWith('[')) {
    const end = a.indexOf(']');
    return end < 0 ? a.slice(1) : a.slice(1, end);
  }
  const colon = a.indexOf(':');
  // More than one colon without brackets is a bare IPv6 address, not host:port.
  if (colon >= 0 && a.indexOf(':', colon + 1) < 0) return a.slice(0, colon);
  return a;
}

/** The original client of an X-Forwarded-For list (its first entry), without a port. */
export function firstForwarded(list: string): string {
  const comma = list.indexOf(',');
  return hostOf(comma < 0 ? list : list.slice(0, comma));
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const CLF_TIME = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

/** Common Log Format time (`08/Dec/2021:09:16:05 +0000`, also AWS `$context.requestTime`) in ms since the epoch; NaN when it is not one. */
export function clfTimeMs(value: string): number {
  const m = CLF_TIME.exec(value);
  const month = m ? MONTHS[m[2]!] : undefined;
  if (!m || month === undefined) return Number.NaN;
  const offsetMin = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offsetMin * 60_000;
}

/** Milliseconds since the epoch of an ISO-8601 date-time; NaN when it is not one. */
export function isoTimeMs(value: string): number {
  // Date.parse reads loose shapes too ('2021', 'Dec 8'); a log time is always a full date-time.
  return value.length >= 19 && value.charCodeAt(10) === 84 /* T */ ? Date.parse(value) : Number.NaN;
}
