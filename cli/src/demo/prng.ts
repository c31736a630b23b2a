// A small seeded random source so a demo run can be replayed exactly from its seed.

/** A deterministic random source with the distributions the demo traffic needs. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One item, chosen with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T;
  /** Log-normal sample given its median and 95th percentile. */
  logNormal(median: number, p95: number): number;
  /** Exponential sample with the given mean (gaps of a Poisson process). */
  exponential(mean: number): number;
  /** Lower-case hex string of `length` characters. */
  hex(length: number): string;
}

/** mulberry32: 32-bit state, good enough statistical quality for synthetic traffic. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// z-score of the 95th percentile of the standard normal distribution.
const Z95 = 1.6448536269514722;

/** A Random built on mulberry32 seeded with `seed`. */
export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  const normal = (): number => {
    // Box-Muller; 1 - next() keeps the logarithm away from zero.
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const random: Random = {
    next,
    between: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    weighted(items, weight) {
      const total = items.reduce((sum, item) => sum + weight(item), 0);
      let r = next() * total;
      for (const item of items) {
        r -= weight(item);
        if (r < 0) return item;
      }
      const last = items[items.length - 1];
      if (last === undefined) throw new Error('weighted() needs at least one item');
      return last;
    },
    logNormal(median, p95) {
      const sigma = Math.log(p95 / median) / Z95;
      return median * Math.exp(sigma * normal());
    },
    exponential: (mean) => -mean * Math.log(1 - next()),
    hex(length) {
      let out = '';
      while (out.length < length) out += Math.floor(next() * 0x100000000).toString(16).padStart(8, '0');
      return out.slice(0, length);
    },
  };
  return random;
}

/** Derives an independent seed for a sub-stream, so adding draws to one stream leaves the others unchanged. */
export function deriveSeed(seed: number, stream: number): number {
  return mulberry32((seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0)() * 4294967296 >>> 0;
}
