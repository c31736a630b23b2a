// Number and unit formatting. Every function returns plain strings so tables, node labels
// and chart axes agree on how a number looks. `null`/`undefined`/NaN render as an em dash.

export const NONE = '—';

/** A value and its unit, kept apart so the unit can be styled (dimmer) next to the number. */
export interface Quantity {
  value: string;
  unit: string;
}

function missing(v: number | null | undefined): v is null | undefined {
  return v === null || v === undefined || Number.isNaN(v);
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Compact count: 950, 1.2k, 34k, 1.5M, 2.1G. */
export function formatCount(v: number | null | undefined): string {
  if (missing(v)) return NONE;
  const a = Math.abs(v);
  if (a < 1000) return trim(a < 10 && !Number.isInteger(v) ? v.toFixed(1) : Math.round(v).toString());
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (a >= size) {
      const x = v / size;
      return trim(Math.abs(x) < 10 ? x.toFixed(1) : Math.round(x).toString()) + suffix;
    }
  }
  return String(v);
}

/** Per-second rate without unit: 0, 0.004, 0.25, 3.4, 42, 1.2k. */
export function formatRateValue(v: number | null | undefined): string {
  if (missing(v)) return NONE;
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1000) return formatCount(v);
  if (a >= 100) return Math.round(v).toString();
  if (a >= 10) return trim(v.toFixed(1));
  if (a >= 1) return trim(v.toFixed(2));
  if (a >= 0.01) return trim(v.toFixed(2));
  if (a >= 0.001) return trim(v.toFixed(3));
  return '<0.001';
}

export function rate(v: number | null | undefined, unit = '/s'): Quantity {
  return { value: formatRateValue(v), unit: missing(v) ? '' : unit };
}

/** "12.5 req/s" */
export function formatRate(v: number | null | undefined, unit = 'req/s'): string {
  const q = rate(v, unit);
  return q.unit ? `${q.value} ${q.unit}` : q.value;
}

/** Milliseconds: 0.42 ms, 4.2 ms, 123 ms, 1.23 s, 2.5 min. */
export function duration(ms: number | null | undefined): Quantity {
  if (missing(ms)) return { value: NONE, unit: '' };
  const a = Math.abs(ms);
  if (a >= 60_000) return { value: trim((ms / 60_000).toFixed(1)), unit: 'min' };
  if (a >= 1000) return { value: trim((ms / 1000).toFixed(a >= 10_000 ? 1 : 2)), unit: 's' };
  if (a >= 100) return { value: Math.round(ms).toString(), unit: 'ms' };
  if (a >= 10) return { value: trim(ms.toFixed(1)), unit: 'ms' };
  if (a === 0) return { value: '0', unit: 'ms' };
  return { value: trim(ms.toFixed(2)), unit: 'ms' };
}

export function formatMs(ms: number | null | undefined): string {
  const q = duration(ms);
  return q.unit ? `${q.value} ${q.unit}` : q.value;
}

/** An error rate in 0..1 as a percentage: 0%, <0.01%, 0.25%, 3.4%, 42%, 100%. */
export function percent(ratio: number | null | undefined): Quantity {
  if (missing(ratio)) return { value: NONE, unit: '' };
  const p = ratio * 100;
  const a = Math.abs(p);
  if (a === 0) return { value: '0', unit: '%' };
  if (a < 0.01) return { value: '<0.01', unit: '%' };
  if (a < 1) return { value: trim(p.toFixed(2)), unit: '%' };
  if (a < 10) return { value: trim(p.toFixed(1)), unit: '%' };
  return { value: Math.round(p).toString(), unit: '%' };
}

export function formatPercent(ratio: number | null | undefined): string {
  const q = percent(ratio);
  return q.value + q.unit;
}

/** Axis tick for milliseconds (uPlot passes raw numbers). */
export function axisMs(ms: number): string {
  return formatMs(ms);
}

/** A window length in seconds as text: "15 min", "1 h", "6 h", "7 d", "1 h 30 min". */
export function formatWindow(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return NONE;
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  const parts: string[] = [];
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (!parts.length) parts.push(`${s} s`);
  return parts.slice(0, 2).join(' ');
}

/** Short local date-time for range labels: "Mar 4, 14:05". */
export function formatDateTime(d: Date, withSeconds = false): string {
  const date = d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  const time = d.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: withSeconds ? '2-digit' : undefined,
    hour12: false,
  });
  return `${date}, ${time}`;
}
