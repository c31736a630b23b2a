import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Serves Plexus's own metrics in Prometheus text format. */
export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Registers the global meter provider. Must run before any Plexus module that
 * creates instruments is imported: the metrics API has no proxy provider, so
 * instruments made earlier would stay no-ops.
 */
export function startSelfTelemetry(): { handler: MetricsHandler; shutdown: () => Promise<void> } {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter] });
  metrics.setGlobalMeterProvider(provider);
  return {
    handler: (req, res) => exporter.getMetricsRequestHandler(req, res),
    shutdown: () => provider.shutdown(),
  };
}
