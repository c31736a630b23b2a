// RFC 3339 date-time (CloudEvents `time`), strictly: Date.parse accepts many
// other shapes, and an event whose time is not RFC 3339 is an invalid event.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** DateTime64(3) holds 1900-01-01 to 2299-12-31; times outside cannot be stored. */
export const MIN_DATETIME64_MS = Date.UTC(1900, 0, 1);
export const MAX_DATETIME64_MS = Date.UTC(2299, 11, 31, 23, 59, 59, 999);

/** Milliseconds since the epoch (sub-millisecond digits dropped), or why the text is not a storable RFC 3339 date-time. */
export function parseRfc3339(text: string): { ms: number } | { error: string } {
  const m = DATE_TIME.exec(text);
  if (m === null) return { error: 'is not an RFC 3339 date-time' };
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const frac = m[7] ?? '';
  const sign = m[8] === '-' ? -1 : 1;
  const oh = Number(m[9] ?? 0);
  const om = Number(m[10] ?? 0);
  const daysInMonth = new Date(Date.UTC(2000, mo, 0)).getUTCDate() - (mo === 2 && !isLeap(y) ? 1 : 0);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || s > 60 || oh > 23 || om > 59) {
    return { error: 'is not an RFC 3339 date-time (a field is out of range)' };
  }
  // Date.UTC maps years 0-99 to 1900-1999; such years are out of range anyway.
  if (y < 1900) return { error: 'is before 1900, outside what DateTime64 holds' };
  const ms = Date.UTC(y, mo - 1, d, h, mi, s, Number(frac.slice(0, 3).padEnd(3, '0'))) - sign * (oh * 60 + om) * 60_000;
  if (ms < MIN_DATETIME64_MS || ms > MAX_DATETIME64_MS) return { error: 'is outside what DateTime64 holds (1900-2299)' };
  return { ms };
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}
