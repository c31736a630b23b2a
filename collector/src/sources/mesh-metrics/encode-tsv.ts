import { tsvString } from '@plexus/store';
import type { MeshEdgeDelta, MeshKind } from './mesh-delta.ts';

/** source_edges columns in the order encodeMeshEdgeRow writes them. */
export const SOURCE_EDGES_COLUMNS = ['Minute', 'Source', 'Detail', 'Caller', 'Callee', 'Consumer', 'Method', 'Route', 'Calls', 'Errors', 'DurationSumMs', 'Buckets', 'Bounds'] as const;

// ClickHouse reads `inf` as a Float64 infinity in TSV; JavaScript would print "Infinity".
const bound = (b: number): string => (b === Infinity ? 'inf' : String(b));

/** One TSV line (with newline) for source_edges from a mesh delta; calls are rounded, since counters move in whole calls. */
export function encodeMeshEdgeRow(d: MeshEdgeDelta): string {
  const buckets = d.buckets.filter(([, n]) => n > 0);
  // Every bound, empty buckets' too: they are the lower bounds percentiles interpolate from.
  return [
    String(Math.floor(d.minuteMs / 60_000) * 60), 'mesh', d.mesh, tsvString(d.caller), tsvString(d.callee), '', '', '',
    String(Math.max(0, Math.round(d.calls))), String(Math.max(0, Math.round(d.errors))), String(Math.max(0, d.durationSumMs)),
    `([${buckets.map(([b]) => bound(b)).join(',')}],[${buckets.map(([, n]) => Math.max(0, Math.round(n))).join(',')}])`,
    `[${d.buckets.map(([b]) => bound(b)).join(',')}]`,
  ].join('\t') + '\n';
}

/** mesh_targets columns in the order encodeMeshTargetRow writes them. */
export const MESH_TARGETS_COLUMNS = ['Name', 'Url', 'Mesh', 'Up', 'LastScrape', 'LastError', 'Series', 'Rejects', 'UpdatedAt'] as const;

/** One TSV line (with newline) for mesh_targets: a target's status after a round. */
export function encodeMeshTargetRow(t: { name: string; url: string; up: boolean; lastScrapeMs: number | null; lastError: string | null; series: number; rejects: number }, mesh: MeshKind, atMs: number): string {
  const time = (ms: number) => (ms / 1000).toFixed(3);
  return [tsvString(t.name), tsvString(t.url), mesh, t.up ? '1' : '0', t.lastScrapeMs === null ? '\\N' : time(t.lastScrapeMs), tsvString(t.lastError ?? ''), String(t.series), String(t.rejects), time(atMs)].join('\t') + '\n';
}
