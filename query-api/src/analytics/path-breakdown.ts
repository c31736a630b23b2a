import { subtreePath, type SpanTree } from './critical-path.ts';
import { deepestChain, type DepthSpan } from './call-depth.ts';

/** A sampled span: what the critical path and the depth walk need, plus its operation. */
export interface SampledSpan extends DepthSpan {
  name: string;
}

/** One sampled entry span and the trace it sits in. */
export interface EntrySample {
  tree: SpanTree<SampledSpan>;
  entry: number;
}

export interface Contributor {
  service: string;
  operation: string;
  share: number;
  meanSelfMs: number;
  p95SelfMs: number;
  spans: number;
}

export interface CallDepthSummary {
  max: number;
  p50: number;
  deepestChain: string[];
}

export interface Breakdown {
  sampledSpans: number;
  meanDurationMs: number | null;
  p95DurationMs: number | null;
  contributors: Contributor[];
  callDepth: CallDepthSummary;
}

const NS_PER_MS = 1e6;

/** The q-quantile of ascending values, interpolated between the closest ranks (as numpy's default); 0 when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const ascending = (values: number[]) => values.sort((a, b) => a - b);

/**
 * Where the time of the sampled entry spans goes: each one's subtree critical
 * path, its segments credited to the (service, operation) of their span.
 * Shares are of the summed entry durations, so they add up to 1.
 */
export function pathBreakdown(samples: readonly EntrySample[]): Breakdown {
  const perKey = new Map<string, { service: string; operation: string; selfNs: number[] }>();
  let totalNs = 0;
  const durations: number[] = [];
  samples.forEach(({ tree, entry }, n) => {
    const e = tree.spans[entry]!;
    durations.push(Math.max(0, e.end - e.start) / NS_PER_MS);
    for (const seg of subtreePath(tree, entry)) {
      const s = tree.spans[seg.span]!;
      const key = `${s.service}\u0000${s.name}`;
      let c = perKey.get(key);
      if (!c) {
        c = { service: s.service, operation: s.name, selfNs: new Array<number>(samples.length).fill(0) };
        perKey.set(key, c);
      }
      c.selfNs[n]! += seg.end - seg.start;
      totalNs += seg.end - seg.start;
    }
  });
  const contributors = [...perKey.values()].map((c) => {
    const sum = c.selfNs.reduce((a, b) => a + b, 0);
    return {
      service: c.service,
      operation: c.operation,
      share: totalNs > 0 ? sum / totalNs : 0,
      meanSelfMs: sum / samples.length / NS_PER_MS,
      p95SelfMs: quantile(ascending(c.selfNs.map((ns) => ns / NS_PER_MS)), 0.95),
      spans: c.selfNs.filter((ns) => ns > 0).length,
    };
  }).sort((a, b) => b.share - a.share || a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation));
  ascending(durations);
  return {
    sampledSpans: samples.length,
    meanDurationMs: durations.length > 0 ? durations.reduce((a, b) => a + b, 0) / durations.length : null,
    p95DurationMs: durations.length > 0 ? quantile(durations, 0.95) : null,
    contributors,
    callDepth: depthSummary(samples),
  };
}

/** Call depth over the sample: the deepest chain, and the median depth. */
export function depthSummary(samples: readonly EntrySample[]): CallDepthSummary {
  let deepest: string[] = [];
  let max = 0;
  const depths: number[] = [];
  for (const { tree, entry } of samples) {
    const chain = deepestChain(tree, entry);
    depths.push(chain.depth);
    if (deepest.length === 0 || chain.depth > max) {
      max = chain.depth;
      deepest = chain.services;
    }
  }
  return { max, p50: quantile(ascending(depths), 0.5), deepestChain: deepest };
}
