// Time ranges as they appear in the URL: relative (`now-1h` .. `now`) or absolute ISO-8601.
// Resolution to concrete instants happens against an explicit `now` so it is testable.

export interface RangeSpec {
  from: string;
  to: string;
}

export interface ResolvedRange {
  from: Date;
  to: Date;
}

export interface Preset {
  key: string;
  label: string;
  title: string;
  from: string;
}

export const PRESETS: readonly Preset[] = [
  { key: '15m', label: '15m', title: 'Last 15 minutes', from: 'now-15m' },
  { key: '1h', label: '1h', title: 'Last hour', from: 'now-1h' },
  { key: '6h', label: '6h', title: 'Last 6 hours', from: 'now-6h' },
  { key: '24h', label: '24h', title: 'Last 24 hours', from: 'now-24h' },
  { key: '7d', label: '7d', title: 'Last 7 days', from: 'now-7d' },
];

export const DEFAULT_RANGE: RangeSpec = { from: 'now-1h', to: 'now' };

/** The narrowest range a chart selection may produce (the store aggregates per minute). */
export const MIN_RANGE_MS = 60_000;

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const RELATIVE = /^now(?:-(\d{1,6})([smhdw]))?$/;
const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export type TimeValue = { kind: 'relative'; offsetMs: number } | { kind: 'absolute'; ms: number };

/** `now`, `now-15m`, `now-7d` or an ISO-8601 date/time; null when neither. */
export function parseTimeValue(raw: string | null | undefined): TimeValue | null {
  if (!raw) return null;
  const s = raw.trim();
  const rel = RELATIVE.exec(s);
  if (rel) {
    if (rel[1] === undefined) return { kind: 'relative', offsetMs: 0 };
    const n = Number(rel[1]);
    const unit = UNIT_MS[rel[2] ?? ''];
    if (unit === undefined) return null;
    return { kind: 'relative', offsetMs: n * unit };
  }
  if (ISO.test(s)) {
    const ms = Date.parse(s);
    if (Number.isFinite(ms)) return { kind: 'absolute', ms };
  }
  return null;
}

function instant(v: TimeValue, nowMs: number): number {
  return v.kind === 'relative' ? nowMs - v.offsetMs : v.ms;
}

/**
 * A valid range from URL values. Missing or unparsable ends fall back to the default
 * (`now-1h`..`now`); a reversed or empty range falls back to the default too.
 */
export function normalizeRange(from: string | null | undefined, to: string | null | undefined): RangeSpec {
  const fromS = from?.trim() || DEFAULT_RANGE.from;
  const toS = to?.trim() || DEFAULT_RANGE.to;
  const f = parseTimeValue(fromS);
  const t = parseTimeValue(toS);
  if (!f || !t) return { ...DEFAULT_RANGE };
  // Relative/relative and absolute/absolute compare exactly; mixed ranges are judged at the present.
  const now = Date.now();
  if (instant(f, now) >= instant(t, now)) return { ...DEFAULT_RANGE };
  return { from: fromS, to: toS };
}

export function isRelative(spec: RangeSpec): boolean {
  return parseTimeValue(spec.to)?.kind === 'relative';
}

export function resolveRange(spec: RangeSpec, nowMs: number): ResolvedRange {
  const f = parseTimeValue(spec.from) ?? parseTimeValue(DEFAULT_RANGE.from)!;
  const t = parseTimeValue(spec.to) ?? parseTimeValue(DEFAULT_RANGE.to)!;
  return { from: new Date(instant(f, nowMs)), to: new Date(instant(t, nowMs)) };
}

export function rangeSeconds(r: ResolvedRange): number {
  return Math.max(1, (r.to.getTime() - r.from.getTime()) / 1000);
}

export function presetFor(spec: RangeSpec): Preset | undefined {
  if (spec.to !== 'now') return undefined;
  return PRESETS.find((p) => p.from === spec.from);
}

/** ISO string with whole seconds (no milliseconds): stable, short URLs. */
export function toIsoSeconds(ms: number): string {
  return new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** An absolute range from two instants (e.g. a chart selection), at least MIN_RANGE_MS wide. */
export function absoluteRange(fromMs: number, toMs: number): RangeSpec {
  let a = Math.min(fromMs, toMs);
  let b = Math.max(fromMs, toMs);
  if (b - a < MIN_RANGE_MS) {
    const mid = (a + b) / 2;
    a = mid - MIN_RANGE_MS / 2;
    b = mid + MIN_RANGE_MS / 2;
  }
  return { from: toIsoSeconds(a), to: toIsoSeconds(b) };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Value for <input type="datetime-local"> in the browser's zone: `YYYY-MM-DDTHH:mm`. */
export function toLocalInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Parses a datetime-local value (local zone); null when empty or invalid. */
export function fromLocalInput(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(s.trim());
  if (!m) return null;
  const d = new Date(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? 0),
  );
  return Number.isNaN(d.getTime()) ? null : d;
}

const UNIT_WORD: Record<string, [string, string]> = {
  s: ['second', 'seconds'],
  m: ['minute', 'minutes'],
  h: ['hour', 'hours'],
  d: ['day', 'days'],
  w: ['week', 'weeks'],
};

/** Human text for a relative end: `now-6h` -> "6 hours ago". */
export function describeRelative(raw: string): string | null {
  const m = RELATIVE.exec(raw.trim());
  if (!m) return null;
  if (m[1] === undefined) return 'now';
  const n = Number(m[1]);
  const words = UNIT_WORD[m[2] ?? ''];
  if (!words) return null;
  return `${n} ${n === 1 ? words[0] : words[1]} ago`;
}

/** Label for the picker button: "Last hour", "Last 3 days", or undefined when absolute. */
export function describeRelativeRange(spec: RangeSpec): string | undefined {
  const p = presetFor(spec);
  if (p) return p.title;
  if (spec.to !== 'now') return undefined;
  const m = RELATIVE.exec(spec.from.trim());
  if (!m || m[1] === undefined) return undefined;
  const n = Number(m[1]);
  const words = UNIT_WORD[m[2] ?? ''];
  if (!words) return undefined;
  return `Last ${n} ${n === 1 ? words[0] : words[1]}`;
}
