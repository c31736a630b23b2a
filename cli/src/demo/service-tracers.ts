// One tracer provider per demo service, as if each were its own process with its own SDK.
import type { Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import type { IdGenerator, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ENVIRONMENT, NAMESPACE, SERVICES } from './landscape.ts';
import type { Random } from './prng.ts';

export interface ServiceTracers {
  tracer(service: string): Tracer;
  providers: TracerProvider[];
  /** Flushes every provider's processors. */
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Trace and span ids drawn from a seeded stream, so a seeded run repeats its ids too. */
export function seededIdGenerator(random: Random): IdGenerator {
  return {
    generateTraceId: () => random.hex(32),
    generateSpanId: () => random.hex(16),
  };
}

/** Creates a provider per service in the landscape, all feeding `spanProcessor`; nothing is registered globally. */
export function createServiceTracers(spanProcessor: SpanProcessor, idGenerator: IdGenerator): ServiceTracers {
  const tracers = new Map<string, Tracer>();
  const providers: TracerProvider[] = [];
  for (const service of SERVICES) {
    const resource = resourceFromAttributes({
      'service.name': service.name,
      'service.namespace': NAMESPACE,
      'service.version': service.version,
      'deployment.environment.name': ENVIRONMENT,
    });
    // The sampler is explicit so OTEL_TRACES_SAMPLER in the caller's environment cannot thin the demo out.
    const provider = new TracerProvider({ resource, idGenerator, sampler: new AlwaysOnSampler(), spanProcessors: [spanProcessor] });
    providers.push(provider);
    tracers.set(service.name, provider.getTracer('plexus-demo', '0.1.0'));
  }
  return {
    tracer(service) {
      const tracer = tracers.get(service);
      if (tracer === undefined) throw new Error(`demo landscape has no service named ${service}`);
      return tracer;
    },
    providers,
    async forceFlush() {
      // Sequential: the providers share one processor, and its flush is not meant to run concurrently.
      for (const provider of providers) await provider.forceFlush();
    },
    async shutdown() {
      for (const provider of providers) await provider.shutdown();
    },
  };
}
