/** Meshes whose Prometheus metrics Plexus reads. */
export type MeshKind = 'istio' | 'linkerd';

/**
 * Calls between two services in one minute, from the increase of mesh
 * counters between two readings (never from raw counter values, which reset).
 * Buckets are per-bucket counts (not cumulative): [upper bound ms, count];
 * the last bound may be Infinity.
 */
export interface MeshEdgeDelta {
  /** Start of the minute the increase is attributed to, ms since the epoch. */
  minuteMs: number;
  mesh: MeshKind;
  /** Calling service after the naming rule; 'unknown' when the mesh could not tell. */
  caller: string;
  /** Called service after the naming rule. */
  callee: string;
  calls: number;
  /** Calls answered with HTTP >= 500 (or a gRPC status other than OK when the mesh reports one). */
  errors: number;
  /** Sum of call durations, ms (from the histogram's _sum), 0 when unknown. */
  durationSumMs: number;
  buckets: Array<[number, number]>;
}
