import { createHash } from 'node:crypto';
import type { MeshEdgeDelta, MeshKind } from './mesh-delta.ts';
import type { MeshSample } from './mesh-sample.ts';

const MINUTE_MS = 60_000;

interface Previous {
  value: number;
  seenMs: number;
}

interface TargetState {
  lastMs: number;
  series: Map<string, Previous>;
}

interface EdgeSums {
  mesh: MeshKind;
  caller: string;
  callee: string;
  /** The edge has requests-counter series with a baseline: they give calls and errors. */
  hasRequests: boolean;
  calls: number;
  errors: number;
  /** From the histogram's _count, used only when the edge has no requests counter. */
  countCalls: number;
  countErrors: number;
  durationSumMs: number;
  buckets: Map<number, number>;
}

/** Options of a MeshRateTracker. */
export interface MeshRateTrackerOptions {
  /** A series not seen for this long is forgotten (it vanished: a pod went away, a label combination stopped). Default 10 minutes. */
  forgetAfterMs?: number;
}

// Label sets of mesh series run to ~1 KB; a digest keeps the remembered
// state small when a Prometheus target returns tens of thousands of series.
function digest(s: MeshSample): string {
  return createHash('sha1').update(s.kind === 'bucket' ? `${s.series}\u0000${s.le}` : s.series).digest('base64');
}

/**
 * Turns successive readings of mesh counters into per-minute edge deltas.
 *
 * Per target, it keeps each series' previous value. The increase of a series
 * is value - previous, or value when it went down (the counter reset, so
 * everything it counts is new: Prometheus' rate semantics). A series' first
 * reading only sets the baseline. The increase between two readings is
 * attributed to the minute of the newer reading: the calls happened somewhere
 * in between and a reading per interval <= 1 minute keeps the error to under
 * a minute, without splitting counts into fractions.
 */
export class MeshRateTracker {
  readonly #forgetAfterMs: number;
  readonly #targets = new Map<string, TargetState>();

  constructor(o: MeshRateTrackerOptions = {}) {
    this.#forgetAfterMs = o.forgetAfterMs ?? 10 * MINUTE_MS;
  }

  /** Feeds one reading of a target; returns the edges whose counters increased since the previous reading. */
  update(target: string, timestampMs: number, samples: readonly MeshSample[]): MeshEdgeDelta[] {
    let state = this.#targets.get(target);
    if (!state) {
      state = { lastMs: -Infinity, series: new Map() };
      this.#targets.set(target, state);
    }
    // A reading that is not newer (a clock step back, a replayed result) has no increase to give.
    if (timestampMs <= state.lastMs) return [];
    state.lastMs = timestampMs;

    const edges = new Map<string, EdgeSums>();
    // Cumulative bucket increases per histogram series, made per-bucket below.
    const histograms = new Map<string, { edge: EdgeSums; bounds: Array<[number, number]> }>();
    for (const s of samples) {
      const key = digest(s);
      const prev = state.series.get(key);
      state.series.set(key, { value: s.value, seenMs: timestampMs });
      if (!prev) continue;
      const increase = s.value < prev.value ? s.value : s.value - prev.value;
      const edgeKey = `${s.mesh}\u0000${s.caller}\u0000${s.callee}`;
      let edge = edges.get(edgeKey);
      if (!edge) {
        edge = { mesh: s.mesh, caller: s.caller, callee: s.callee, hasRequests: false, calls: 0, errors: 0, countCalls: 0, countErrors: 0, durationSumMs: 0, buckets: new Map() };
        edges.set(edgeKey, edge);
      }
      switch (s.kind) {
        case 'requests':
          edge.hasRequests = true;
          edge.calls += increase;
          if (s.error) edge.errors += increase;
          break;
        case 'count':
          edge.countCalls += increase;
          if (s.error) edge.countErrors += increase;
          break;
        case 'sum':
          edge.durationSumMs += increase;
          break;
        case 'bucket': {
          let h = histograms.get(s.series);
          if (!h) histograms.set(s.series, (h = { edge, bounds: [] }));
          h.bounds.push([s.le ?? Infinity, increase]);
          break;
        }
      }
    }
    for (const { edge, bounds } of histograms.values()) {
      bounds.sort((a, b) => a[0] - b[0]);
      let below = 0;
      for (const [le, cumulative] of bounds) {
        // Buckets reset together, so a dip can only come from a torn read; it is no negative count.
        edge.buckets.set(le, (edge.buckets.get(le) ?? 0) + Math.max(0, cumulative - below));
        below = Math.max(below, cumulative);
      }
    }
    this.#sweep(state, timestampMs);

    const minuteMs = Math.floor(timestampMs / MINUTE_MS) * MINUTE_MS;
    const out: MeshEdgeDelta[] = [];
    for (const e of edges.values()) {
      const calls = e.hasRequests ? e.calls : e.countCalls;
      const errors = e.hasRequests ? e.errors : e.countErrors;
      const buckets = [...e.buckets.entries()].sort((a, b) => a[0] - b[0]);
      if (calls === 0 && e.durationSumMs === 0 && buckets.every(([, n]) => n === 0)) continue;
      out.push({ minuteMs, mesh: e.mesh, caller: e.caller, callee: e.callee, calls, errors, durationSumMs: e.durationSumMs, buckets });
    }
    return out;
  }

  /** Series remembered for a target (all targets when none is given). */
  seriesCount(target?: string): number {
    if (target !== undefined) return this.#targets.get(target)?.series.size ?? 0;
    let n = 0;
    for (const t of this.#targets.values()) n += t.series.size;
    return n;
  }

  /** Drops everything known about a target. */
  forget(target: string): void {
    this.#targets.delete(target);
  }

  #sweep(state: TargetState, nowMs: number): void {
    const cutoff = nowMs - this.#forgetAfterMs;
    for (const [key, p] of state.series) if (p.seenMs < cutoff) state.series.delete(key);
  }
}
