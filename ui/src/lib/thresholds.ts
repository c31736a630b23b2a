// Error-rate thresholds for nodes, edges and table cells. errorRate is a ratio in 0..1.
// Colour is never the only signal: every level also has a text label and a glyph.

export type Level = 'idle' | 'ok' | 'warn' | 'bad';

/** Below `warn` is healthy; from `warn` up to and including `bad` is degraded; above `bad` is failing. */
export const ERROR_THRESHOLDS = { warn: 0.01, bad: 0.05 } as const;

export function errorLevel(errorRate: number | null | undefined, requests?: number | null): Level {
  if (requests !== undefined && requests !== null && requests <= 0) return 'idle';
  if (errorRate === null || errorRate === undefined || Number.isNaN(errorRate)) return 'idle';
  if (errorRate > ERROR_THRESHOLDS.bad) return 'bad';
  if (errorRate >= ERROR_THRESHOLDS.warn) return 'warn';
  return 'ok';
}

export const LEVEL_LABEL: Record<Level, string> = {
  idle: 'no traffic',
  ok: 'healthy',
  warn: 'degraded',
  bad: 'failing',
};

/** A shape-distinct glyph per level, for places where colour alone would be ambiguous. */
export const LEVEL_GLYPH: Record<Level, string> = {
  idle: '○',
  ok: '●',
  warn: '▲',
  bad: '■',
};

export interface LegendEntry {
  level: Level;
  label: string;
  range: string;
}

export function legend(): LegendEntry[] {
  const w = ERROR_THRESHOLDS.warn * 100;
  const b = ERROR_THRESHOLDS.bad * 100;
  return [
    { level: 'ok', label: LEVEL_LABEL.ok, range: `< ${w}% errors` },
    { level: 'warn', label: LEVEL_LABEL.warn, range: `${w}–${b}% errors` },
    { level: 'bad', label: LEVEL_LABEL.bad, range: `> ${b}% errors` },
    { level: 'idle', label: LEVEL_LABEL.idle, range: 'no requests' },
  ];
}

/**
 * Traffic weight in 0..1 on a log scale relative to the busiest element, for ring and stroke widths.
 * 0 for no traffic, 1 for the maximum.
 */
export function trafficWeight(value: number, max: number): number {
  if (!(value > 0) || !(max > 0)) return 0;
  if (value >= max) return 1;
  const w = Math.log1p(value) / Math.log1p(max);
  return Math.max(0, Math.min(1, w));
}

/** Consumer lag (messages behind the end offset) from which a group or map edge is marked. */
export const LAG_WARN_MESSAGES = 1000;

/** Whether a consumer lag is high enough to mark; unknown lag (no Kafka data) never is. */
export function lagIsHigh(lag: number | null | undefined, threshold: number = LAG_WARN_MESSAGES): boolean {
  return typeof lag === 'number' && Number.isFinite(lag) && lag > threshold;
}
