// Wires the seeded random streams, the per-service tracers and the trace builder into one traffic source.
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { createRandom, deriveSeed } from './prng.ts';
import { createServiceTracers, seededIdGenerator } from './service-tracers.ts';
import type { ServiceTracers } from './service-tracers.ts';
import { createTraceBuilder, type ProducedMessage } from './trace-builder.ts';

export interface DemoTraffic {
  /** Emits one gateway request starting at `startMs` (epoch ms); returns the number of spans made. */
  buildTrace(startMs: number): number;
  /** Successive request start times from `fromMs` on: a Poisson process whose rate swells and ebbs around `tracesPerSecond`. */
  arrivals(fromMs: number, tracesPerSecond: number): () => number;
  tracers: ServiceTracers;
}

// A slow swell in load gives the demo's request-rate charts a shape worth looking at.
const WAVE_PERIOD_MS = 15 * 60_000;
const WAVE_AMPLITUDE = 0.3;

/** Creates the demo's traffic source; the same seed and start times give the same spans, ids included. */
export function createDemoTraffic(seed: number, spanProcessor: SpanProcessor, onProduce?: (m: ProducedMessage) => void): DemoTraffic {
  // Separate streams, so that ids, trace shapes and arrival times do not shift one another when one changes.
  const tracers = createServiceTracers(spanProcessor, seededIdGenerator(createRandom(deriveSeed(seed, 1))));
  const builder = createTraceBuilder(createRandom(deriveSeed(seed, 2)), tracers, onProduce);
  const arrivalRandom = createRandom(deriveSeed(seed, 3));
  return {
    buildTrace: (startMs) => builder.buildTrace(startMs),
    arrivals(fromMs, tracesPerSecond) {
      let t = fromMs;
      return () => {
        const rate = tracesPerSecond * (1 + WAVE_AMPLITUDE * Math.sin((2 * Math.PI * t) / WAVE_PERIOD_MS));
        t += arrivalRandom.exponential(1000 / rate);
        return t;
      };
    },
    tracers,
  };
}
