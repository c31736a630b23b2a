// The service page's latency heatmap: columns are time steps, rows are log-spaced duration buckets,
// colour is the span count. A drag selects a region (time × duration) that becomes a trace search.
// Pure functions: they run under `node --test`.
import type { LatencyHeatmap } from './investigate-api.ts';
import { toIsoSeconds } from './timerange.ts';

/** One non-empty cell at its grid position (column from the left, row from the bottom). */
export interface GridCell {
  col: number;
  row: number;
  /** Start of the cell's time step, epoch ms. */
  timeMs: number;
  count: number;
}

export interface HeatmapGrid {
  /** The window asked for, epoch ms. */
  fromMs: number;
  toMs: number;
  stepMs: number;
  /** Start of the first column: the window start rounded down to the step (the server's buckets). */
  startMs: number;
  columns: number;
  /** One row per bucket (bounds.length). */
  rows: number;
  bounds: number[];
  cells: GridCell[];
  /** Largest cell count (0 when empty). */
  max: number;
  /** Sum of all cell counts. */
  total: number;
}

/**
 * Places the server's cells on a grid covering [fromMs, toMs). Cells outside the grid are dropped;
 * two cells on one position (the server should not send that) are summed.
 */
export function buildGrid(h: LatencyHeatmap, fromMs: number, toMs: number): HeatmapGrid {
  const stepMs = Math.max(60, h.step) * 1000;
  const startMs = Math.floor(fromMs / stepMs) * stepMs;
  const columns = Math.max(1, Math.ceil((toMs - startMs) / stepMs));
  const rows = h.bounds.length;
  const byPos = new Map<number, GridCell>();
  for (const c of h.cells) {
    const t = Date.parse(c.time);
    if (!Number.isFinite(t) || !(c.count > 0)) continue;
    const col = Math.round((t - startMs) / stepMs);
    if (col < 0 || col >= columns || c.bucket < 0 || c.bucket >= rows) continue;
    const key = col * rows + c.bucket;
    const cell = byPos.get(key);
    if (cell) cell.count += c.count;
    else byPos.set(key, { col, row: c.bucket, timeMs: startMs + col * stepMs, count: c.count });
  }
  const cells = [...byPos.values()].sort((a, b) => a.col - b.col || a.row - b.row);
  let max = 0;
  let total = 0;
  for (const c of cells) {
    max = Math.max(max, c.count);
    total += c.count;
  }
  return { fromMs, toMs, stepMs, startMs, columns, rows, bounds: [...h.bounds], cells, max, total };
}

/** Lowest opacity of a non-empty cell, so a single span stays visible next to a busy cell. */
export const MIN_OPACITY = 0.15;

/**
 * Colour strength of a cell in 0..1: log-scaled against the busiest cell (latency spreads over
 * orders of magnitude of counts, so a linear scale would show only the mode). 0 for an empty cell.
 */
export function cellIntensity(count: number, max: number): number {
  if (!(count > 0) || !(max > 0)) return 0;
  return Math.min(1, Math.log1p(count) / Math.log1p(max));
}

/** Fill opacity of a cell: MIN_OPACITY..1 for non-empty cells, 0 for empty ones. */
export function cellOpacity(count: number, max: number): number {
  const i = cellIntensity(count, max);
  return i === 0 ? 0 : MIN_OPACITY + (1 - MIN_OPACITY) * i;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Pixel box of grid position (col, row) in a plot of `width` × `height`; row 0 is at the bottom. */
export function cellRect(grid: Pick<HeatmapGrid, 'columns' | 'rows'>, col: number, row: number, width: number, height: number): Rect {
  const cw = width / grid.columns;
  const rh = height / Math.max(1, grid.rows);
  return { x: col * cw, y: height - (row + 1) * rh, width: cw, height: rh };
}

/** Grid position under a pixel, clamped into the grid. */
export function cellAt(grid: Pick<HeatmapGrid, 'columns' | 'rows'>, x: number, y: number, width: number, height: number): { col: number; row: number } {
  const col = Math.floor((x / width) * grid.columns);
  const row = Math.floor(((height - y) / height) * grid.rows);
  return { col: clamp(col, 0, grid.columns - 1), row: clamp(row, 0, Math.max(0, grid.rows - 1)) };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Number.isFinite(v) ? v : lo));
}

/** A selected region: a time window and a duration range (null: unbounded on that side). */
export interface Region {
  fromMs: number;
  toMs: number;
  minMs: number | null;
  maxMs: number | null;
}

/** The inclusive range of grid positions a drag from `a` to `b` covers. */
export interface CellSpan {
  col0: number;
  col1: number;
  row0: number;
  row1: number;
}

/** Orders the corners of a drag into a span. */
export function spanOf(a: { col: number; row: number }, b: { col: number; row: number }): CellSpan {
  return { col0: Math.min(a.col, b.col), col1: Math.max(a.col, b.col), row0: Math.min(a.row, b.row), row1: Math.max(a.row, b.row) };
}

/**
 * The time window and duration bounds of a span of cells. Time is clipped to the heatmap's window
 * (its edge columns only hold spans inside it). The lowest bucket has no lower bound and the last
 * bucket no upper bound, so nothing the first and last rows hold falls outside the search.
 */
export function regionOf(grid: HeatmapGrid, s: CellSpan): Region {
  const fromMs = Math.max(grid.fromMs, grid.startMs + s.col0 * grid.stepMs);
  const toMs = Math.min(grid.toMs, grid.startMs + (s.col1 + 1) * grid.stepMs);
  const minMs = s.row0 <= 0 ? null : (grid.bounds[s.row0] ?? null);
  const maxMs = s.row1 + 1 >= grid.bounds.length ? null : (grid.bounds[s.row1 + 1] ?? null);
  return { fromMs, toMs, minMs, maxMs };
}

/** The span of cells a region covers (to draw a region read back from the URL); null when it misses the grid. */
export function spanOfRegion(grid: HeatmapGrid, r: Region): CellSpan | null {
  const col0 = Math.floor((r.fromMs - grid.startMs) / grid.stepMs);
  const col1 = Math.ceil((r.toMs - grid.startMs) / grid.stepMs) - 1;
  if (col1 < 0 || col0 >= grid.columns || col1 < col0) return null;
  const row0 = r.minMs === null ? 0 : grid.bounds.indexOf(r.minMs);
  const row1 = r.maxMs === null ? grid.rows - 1 : grid.bounds.indexOf(r.maxMs) - 1;
  if (row0 < 0 || row1 < row0) return null;
  return { col0: clamp(col0, 0, grid.columns - 1), col1: clamp(col1, 0, grid.columns - 1), row0, row1 };
}

/** Sum of the counts of the cells inside a span. */
export function spanCount(grid: HeatmapGrid, s: CellSpan): number {
  let n = 0;
  for (const c of grid.cells) if (c.col >= s.col0 && c.col <= s.col1 && c.row >= s.row0 && c.row <= s.row1) n += c.count;
  return n;
}

/** `region` URL parameter: `from,to,min,max` (ISO seconds; ms; an empty bound is unbounded). */
export function serializeRegion(r: Region): string {
  const n = (v: number | null) => (v === null ? '' : String(v));
  return [toIsoSeconds(r.fromMs), toIsoSeconds(r.toMs), n(r.minMs), n(r.maxMs)].join(',');
}

/** Reads the `region` URL parameter; null when missing or malformed. */
export function parseRegion(raw: string | undefined | null): Region | null {
  if (!raw) return null;
  const parts = raw.split(',');
  if (parts.length !== 4) return null;
  const fromMs = Date.parse(parts[0]!);
  const toMs = Date.parse(parts[1]!);
  const bound = (s: string): number | null | undefined => {
    if (s === '') return null;
    const v = Number(s);
    return Number.isFinite(v) && v >= 0 ? v : undefined;
  };
  const minMs = bound(parts[2]!);
  const maxMs = bound(parts[3]!);
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs >= toMs || minMs === undefined || maxMs === undefined) return null;
  if (minMs !== null && maxMs !== null && minMs >= maxMs) return null;
  return { fromMs, toMs, minMs, maxMs };
}

/** Bucket bounds to label on the duration axis: at most `maxLabels`, evenly spaced, first one always. */
export function durationTicks(bounds: readonly number[], maxLabels: number): { row: number; ms: number }[] {
  if (bounds.length === 0 || maxLabels < 1) return [];
  const every = Math.max(1, Math.ceil(bounds.length / maxLabels));
  const out: { row: number; ms: number }[] = [];
  for (let i = 0; i < bounds.length; i += every) out.push({ row: i, ms: bounds[i]! });
  return out;
}

const TIME_TICK_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((m) => m * 60_000);

/**
 * Instants to label on the time axis: multiples of the smallest round step (1 min .. 7 d) that
 * gives at most `maxLabels` labels over [fromMs, toMs].
 */
export function timeTicks(fromMs: number, toMs: number, maxLabels: number): number[] {
  const span = toMs - fromMs;
  if (!(span > 0) || maxLabels < 1) return [];
  const step = TIME_TICK_STEPS_MS.find((s) => span / s <= maxLabels) ?? TIME_TICK_STEPS_MS[TIME_TICK_STEPS_MS.length - 1]!;
  const out: number[] = [];
  for (let t = Math.ceil(fromMs / step) * step; t <= toMs; t += step) out.push(t);
  return out;
}

/** Horizontal pixel of an instant on the grid's time axis. */
export function timeX(grid: Pick<HeatmapGrid, 'startMs' | 'stepMs' | 'columns'>, ms: number, width: number): number {
  return ((ms - grid.startMs) / (grid.stepMs * grid.columns)) * width;
}
