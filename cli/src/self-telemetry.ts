import { context, metrics, trace } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { TracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Serves Plexus's own metrics in Prometheus text format. */
export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Registers the global meter provider. Must run before any Plexus module that
 * creates instruments is imported: the metrics API has no proxy provider, so
 * instruments made earlier would stay no-ops.
 */
export function startSelfTelemetry(env: NodeJS.ProcessEnv = process.env): { handler: MetricsHandler; shutdown: () => Promise<void> } {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter] });
  metrics.setGlobalMeterProvider(provider);
  const tracing = startSelfTracing(env);
  return {
    handler: (req, res) => exporter.getMetricsRequestHandler(req, res),
    shutdown: async () => {
      await provider.shutdown();
      await tracing?.shutdown();
    },
  };
}

/**
 * Plexus's own spans (receive, decode, write, edge passes, GraphQL) go to the
 * OTLP endpoint the standard variable names, when one is set; otherwise the
 * tracer stays a no-op and costs nothing.
 */
function startSelfTracing(env: NodeJS.ProcessEnv): TracerProvider | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!endpoint) return undefined;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? 'plexus' }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: endpoint }) })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return provider;
}
