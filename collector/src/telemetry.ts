import { metrics, trace } from '@opentelemetry/api';

// Plexus observes itself through the OpenTelemetry API; whoever starts the
// process decides where it goes (the Prometheus /metrics endpoint by default).
const meter = metrics.getMeter('plexus.collector');

/** The tracer for collector work (receive, decode, write). */
export const tracer = trace.getTracer('plexus.collector');

/** Collector instruments, named as they appear (snake_cased) on /metrics. */
export const collectorMetrics = {
  spansReceived: meter.createCounter('plexus.spans.received', { description: 'Spans in requests that decoded' }),
  spansAccepted: meter.createCounter('plexus.spans.accepted', { description: 'Spans written to otel_traces' }),
  spansRejected: meter.createCounter('plexus.spans.rejected', { description: 'Spans rejected as invalid, by reason' }),
  requests: meter.createCounter('plexus.ingest.requests', { description: 'Ingest requests by receiver and HTTP status' }),
  limitHits: meter.createCounter('plexus.ingest.limit_hits', { description: 'Attribute values truncated or attributes dropped by limits' }),
  batchLatency: meter.createHistogram('plexus.write.batch.duration', { description: 'Time to write one batch', unit: 's' }),
  batchRows: meter.createHistogram('plexus.write.batch.rows', { description: 'Rows per written batch' }),
  inserts: meter.createCounter('plexus.write.inserts', { description: 'Insert statements by table and outcome' }),
  queueDepth: meter.createObservableGauge('plexus.write.queue.rows', { description: 'Rows waiting to be written' }),
};
