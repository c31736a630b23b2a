// What `plexus ingest` prints while it works and when it is done.

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

/** Lines per second, never dividing by zero. */
export function rate(lines: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (lines * 1000) / elapsedMs : 0;
}

/** `[#####.....] 45%  120,000 lines  95,000 lines/s` for a fraction done in [0, 1]. */
export function progressBar(fraction: number, lines: number, elapsedMs: number, width = 20): string {
  const f = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(f * 100)}%  ${n(lines)} lines  ${n(rate(lines, elapsedMs))} lines/s`;
}

/** Counts of a finished run. */
export interface IngestTotals {
  files: number;
  accepted: number;
  rejected: number;
  lines: number;
  elapsedMs: number;
}

/** The one-line summary at the end of a run. */
export function summaryLine(t: IngestTotals): string {
  return `files: ${t.files}; records accepted: ${n(t.accepted)}; rejected: ${n(t.rejected)}; elapsed: ${(t.elapsedMs / 1000).toFixed(1)} s; ${n(rate(t.lines, t.elapsedMs))} lines/s`;
}

/** A server reject (`line 7: reason`, `element 3: reason`) as `file:7: reason` or `file: element 3: reason`. */
export function locateReject(file: string, reason: string): string {
  const m = /^line (\d+): /.exec(reason);
  return m ? `${file}:${m[1]}: ${reason.slice(m[0].length)}` : `${file}: ${reason}`;
}
