// API reuse: how an API's consumers, traffic and spec are shown (entity page), the
// declared-vs-observed status of a component's APIs, and the reuse ranking page.
//   /reuse?from=now-24h&to=now&q=inventory&single=1
import type { ApiReuse, ApiTrafficPoint, ReusePoint, ReuseReport } from './api.ts';
import { formatDateTime, formatWindow } from './format.ts';
import { matchesFilter } from './table.ts';
import type { ParamPatch, Params } from './url.ts';

/** "3 consumers from 2 teams" (consumers without a cataloged owner belong to no team). */
export function consumersSummary(consumers: number, teams: number): string {
  const c = `${consumers} ${consumers === 1 ? 'consumer' : 'consumers'}`;
  if (consumers === 0) return c;
  return `${c} from ${teams} ${teams === 1 ? 'team' : 'teams'}`;
}

/** A window length as people say it: "15 min", "24 h", "7 d"; whole hours up to two days stay in hours. */
export function windowLabel(seconds: number): string {
  if (seconds >= 3600 && seconds <= 48 * 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  return formatWindow(seconds);
}

export interface Change {
  text: string;
  direction: 'up' | 'down' | 'same';
}

/** The change in distinct consumers against the window of the same length just before: "+2 vs previous 24 h". */
export function vsPrevious(now: number, previous: number, seconds: number): Change {
  const d = now - previous;
  const window = `previous ${windowLabel(seconds)}`;
  if (d === 0) return { text: `no change vs ${window}`, direction: 'same' };
  // U+2212 (minus sign), so "−1" lines up with "+1".
  return { text: `${d > 0 ? '+' : '\u2212'}${Math.abs(d)} vs ${window}`, direction: d > 0 ? 'up' : 'down' };
}

/** Relative age of an instant: "just now", "4 min ago", "3 h ago", "2 d ago". */
export function formatAgo(ms: number, nowMs: number): string {
  const s = Math.max(0, (nowMs - ms) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export interface LastSeen {
  relative: string;
  absolute: string;
  iso: string;
}

/** "Last seen" of an API: relative and absolute; null when it was never called (or the time is unreadable). */
export function lastSeen(iso: string | null, nowMs: number): LastSeen | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return null;
  return { relative: formatAgo(ms, nowMs), absolute: formatDateTime(new Date(ms)), iso: new Date(ms).toISOString() };
}

export type UsageStatus = 'ok' | 'stale' | 'undeclared';

export const USAGE_STATUS_LABEL: Record<UsageStatus, string> = {
  ok: 'declared and seen',
  stale: 'declared, not seen in window',
  undeclared: 'seen, not declared',
};

export const USAGE_STATUS_DESCRIPTION: Record<UsageStatus, string> = {
  ok: 'Declared in the catalog and matched in traffic in this window',
  stale: 'Declared in the catalog but no matching traffic in this window: a stale declaration, or just idle',
  undeclared: 'Matched in traffic but not declared in the catalog: an undeclared dependency',
};

/** The status of one of a component's APIs; `observed` wins over a missing declaration. */
export function usageStatus(u: { declared: boolean; observed: boolean }): UsageStatus {
  if (!u.declared) return 'undeclared';
  return u.observed ? 'ok' : 'stale';
}

/** The colour class of a status (see `.lvl-*` in app.css): undeclared is the warning. */
export function usageLevel(s: UsageStatus): 'lvl-ok' | 'lvl-idle' | 'lvl-warn' {
  return s === 'ok' ? 'lvl-ok' : s === 'stale' ? 'lvl-idle' : 'lvl-warn';
}

const STATUS_RANK: Record<UsageStatus, number> = { undeclared: 0, stale: 1, ok: 2 };

/** What needs attention first (undeclared, then stale), then busiest, then by ref. */
export function sortUsages<T extends { api: string; declared: boolean; observed: boolean; calls: number }>(rows: readonly T[]): T[] {
  return [...rows].sort(
    (a, b) => STATUS_RANK[usageStatus(a)] - STATUS_RANK[usageStatus(b)] || b.calls - a.calls || a.api.localeCompare(b.api),
  );
}

export interface OperationGroup<T> {
  /** The tag; null for operations without one (or for all of them when no operation has a tag). */
  tag: string | null;
  ops: T[];
}

/**
 * Operations grouped by tag, as OpenAPI tools show them: tags in order of first
 * appearance, an operation under each of its tags, untagged ones last. One group
 * with a null tag when no operation has a tag.
 */
export function groupOperationsByTag<T extends { method: string; tags?: readonly string[] }>(ops: readonly T[]): OperationGroup<T>[] {
  const groups = new Map<string, T[]>();
  const untagged: T[] = [];
  for (const op of ops) {
    const tags = [...new Set(op.tags ?? [])].filter((t) => t.trim() !== '');
    if (!tags.length) untagged.push(op);
    for (const t of tags) {
      let g = groups.get(t);
      if (!g) groups.set(t, (g = []));
      g.push(op);
    }
  }
  if (groups.size === 0) return [{ tag: null, ops: [...ops] }];
  const out: OperationGroup<T>[] = [...groups.entries()].map(([tag, g]) => ({ tag, ops: g }));
  if (untagged.length) out.push({ tag: null, ops: untagged });
  return out;
}

export interface TrafficColumns {
  time: number[];
  calls: (number | null)[];
  errors: (number | null)[];
  p95: (number | null)[];
}

function num(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

function byTime<P extends { time: string }>(points: readonly P[]): [number, P][] {
  const m = new Map<number, P>();
  for (const p of points) {
    const ms = Date.parse(p.time);
    if (Number.isFinite(ms)) m.set(Math.floor(ms / 1000), p);
  }
  return [...m.entries()].sort((a, b) => a[0] - b[0]);
}

/** An API's traffic series as uPlot columns (x in Unix seconds); p95 is a gap where there were no calls. */
export function trafficColumns(points: readonly ApiTrafficPoint[]): TrafficColumns {
  const cols: TrafficColumns = { time: [], calls: [], errors: [], p95: [] };
  for (const [t, p] of byTime(points)) {
    cols.time.push(t);
    cols.calls.push(num(p.calls) ?? 0);
    cols.errors.push(num(p.errors) ?? 0);
    cols.p95.push(p.calls > 0 ? num(p.latency?.p95) : null);
  }
  return cols;
}

/** Distinct consumers per step as uPlot columns. */
export function trendColumns(points: readonly ReusePoint[]): { time: number[]; consumers: number[] } {
  const time: number[] = [];
  const consumers: number[] = [];
  for (const [t, p] of byTime(points)) {
    time.push(t);
    consumers.push(num(p.consumers) ?? 0);
  }
  return { time, consumers };
}

/** The step of a series in seconds (the smallest gap between points); null with fewer than two points. */
export function stepSeconds(time: readonly number[]): number | null {
  let step: number | null = null;
  for (let i = 1; i < time.length; i++) {
    const d = time[i]! - time[i - 1]!;
    if (d > 0 && (step === null || d < step)) step = d;
  }
  return step;
}

/** How a chart names its step: "per minute", "per 5 min", "per 1 h"; empty when unknown. */
export function perStep(seconds: number | null): string {
  if (seconds === null) return '';
  return seconds === 60 ? 'per minute' : `per ${windowLabel(seconds)}`;
}

// The reuse page's filters, in the URL: `q` (text), `single=1` (exactly one consumer), `unused=1` (none).

export interface ReuseFilters {
  q: string;
  single: boolean;
  unused: boolean;
}

/** Reads the reuse filters; `single` and `unused` exclude each other, `single` wins when both are set. */
export function parseReuseParams(params: Params): ReuseFilters {
  const on = (k: string) => params[k] === '1' || params[k] === 'true';
  const single = on('single');
  return { q: params['q'] ?? '', single, unused: !single && on('unused') };
}

/** The parameter patch for `filters` (false toggles and a blank search remove their parameter). */
export function reuseParamsPatch(filters: ReuseFilters): ParamPatch {
  return { q: filters.q.trim() ? filters.q : null, single: filters.single ? '1' : null, unused: filters.unused && !filters.single ? '1' : null };
}

/** Turns one toggle on or off; turning one on turns the other off (no API has one and zero consumers). */
export function toggleReuse(filters: ReuseFilters, which: 'single' | 'unused'): ReuseFilters {
  const on = !filters[which];
  return { ...filters, single: which === 'single' ? on : on ? false : filters.single, unused: which === 'unused' ? on : on ? false : filters.unused };
}

/** Most distinct consumers first, then most teams, then most calls, then by ref. */
export function rankReuse(rows: readonly ApiReuse[]): ApiReuse[] {
  return [...rows].sort((a, b) => b.consumers - a.consumers || b.teams - a.teams || b.calls - a.calls || a.api.ref.localeCompare(b.api.ref));
}

/** The text a reuse row is searched in: ref, title, owner and consumer services. */
export function reuseRowText(r: ApiReuse): string {
  return [r.api.ref, r.api.title ?? '', r.api.owner ?? '', r.api.lifecycle ?? '', ...r.consumerServices].join(' ');
}

/** The rows the page shows, ranked: the server's single-consumer list under `single`, APIs nobody called under `unused`. */
export function filterReuse(report: ReuseReport, f: ReuseFilters): ApiReuse[] {
  const base = f.single ? report.singleConsumer : f.unused ? report.apis.filter((r) => r.consumers === 0) : report.apis;
  return rankReuse(base.filter((r) => matchesFilter(reuseRowText(r), f.q)));
}

/** Whether any filter narrows the list. */
export function hasReuseFilters(f: ReuseFilters): boolean {
  return f.q.trim() !== '' || f.single || f.unused;
}
