import { tsvString } from '@plexus/store';
import type { MeshEdgeDelta } from './mesh-delta.ts';

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
