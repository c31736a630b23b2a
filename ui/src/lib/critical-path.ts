// Where an entry point's time goes, as one stacked horizontal bar: a segment per contributor
// (service · operation) as wide as its share of the critical path; colours are the services'
// own (service-colour.ts), the same as in the waterfall and the trace tables.
// Pure functions: they run under `node --test`.
import type { CriticalPathContributor } from './investigate-api.ts';

export interface BarSegment {
  key: string;
  service: string;
  operation: string;
  /** The share as served, 0..1. */
  share: number;
  /** Left edge and width as fractions of the bar (shares rescaled to fill it exactly). */
  start: number;
  width: number;
  meanSelfMs: number;
  p95SelfMs: number;
  spans: number;
}

/**
 * The bar's segments, one per contributor in the served order (largest share first). Widths are
 * the shares divided by their sum, so rounding on the server never leaves a gap or an overflow.
 */
export function barSegments(contributors: readonly CriticalPathContributor[]): BarSegment[] {
  const sum = contributors.reduce((s, c) => s + Math.max(0, c.share), 0);
  let start = 0;
  return contributors.map((c) => {
    const width = sum > 0 ? Math.max(0, c.share) / sum : 0;
    const seg: BarSegment = {
      key: `${c.service}\u0000${c.operation}`,
      service: c.service,
      operation: c.operation,
      share: c.share,
      start,
      width,
      meanSelfMs: c.meanSelfMs,
      p95SelfMs: c.p95SelfMs,
      spans: c.spans,
    };
    start += width;
    return seg;
  });
}

/** Segments narrower than this (a fraction of the bar) carry no text label, only their tooltip. */
export const LABEL_MIN_WIDTH = 0.12;

/** Per service: its total share, largest first, then by name (the bar's legend). */
export function serviceTotals(segments: readonly BarSegment[]): { service: string; share: number }[] {
  const by = new Map<string, { service: string; share: number }>();
  for (const s of segments) {
    const e = by.get(s.service);
    if (e) e.share += s.share;
    else by.set(s.service, { service: s.service, share: s.share });
  }
  return [...by.values()].sort((a, b) => b.share - a.share || (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
}
