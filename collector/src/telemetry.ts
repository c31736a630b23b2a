import { metrics, trace } from '@opentelemetry/api';

/** Histogram buckets for durations in seconds, 1 ms to 10 s. */
export const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The tracer for collector work (receive, decode, write). */
export const tracer = trace.getTracer('plexus.collector');

// Plexus observes itself through the OpenTelemetry API; whoever starts the
// process decides where it goes (the Prometheus /metrics endpoint by default).
function createInstruments() {
  const meter = metrics.getMeter('plexus.collector');
  return {
    spansReceived: meter.createCounter('plexus.spans.received', { description: 'Spans in requests that decoded' }),
    spansAccepted: meter.createCounter('plexus.spans.accepted', { description: 'Spans written to otel_traces' }),
    spansRejected: meter.createCounter('plexus.spans.rejected', { description: 'Spans rejected as invalid, by reason' }),
    requests: meter.createCounter('plexus.ingest.requests', { description: 'Ingest requests by receiver and HTTP status' }),
    limitHits: meter.createCounter('plexus.ingest.limit_hits', { description: 'Attribute values truncated or attributes dropped by limits' }),
    batchLatency: meter.createHistogram('plexus.write.batch.duration', { description: 'Time to write one batch', unit: 's', advice: { explicitBucketBoundaries: SECONDS } }),
    batchRows: meter.createHistogram('plexus.write.batch.rows', { description: 'Rows per written batch', advice: { explicitBucketBoundaries: [100, 1000, 5000, 10_000, 25_000, 50_000, 100_000, 250_000] } }),
    inserts: meter.createCounter('plexus.write.inserts', { description: 'Insert statements by table and outcome' }),
    queueDepth: meter.createObservableGauge('plexus.write.queue.rows', { description: 'Rows waiting to be written' }),
    edgePassDuration: meter.createHistogram('plexus.edges.pass.duration', { description: 'Time of one edge recompute pass', unit: 's', advice: { explicitBucketBoundaries: SECONDS } }),
    minutesRecomputed: meter.createCounter('plexus.edges.minutes.recomputed', { description: 'Minutes whose edges and RED were recomputed' }),
    eventsAccepted: meter.createCounter('plexus.kafka.events.accepted', { description: 'Kafka records written to kafka_events, by topic' }),
    eventsRejected: meter.createCounter('plexus.kafka.events.rejected', { description: 'Kafka records sent to kafka_dead_letters, by topic' }),
    gatewayAccepted: meter.createCounter('plexus.gateway.records.accepted', { description: 'Gateway access-log records written to api_calls, by format' }),
    gatewayRejected: meter.createCounter('plexus.gateway.records.rejected', { description: 'Gateway access-log records rejected, by format' }),
    meshTargetUp: meter.createGauge('plexus.mesh.target.up', { description: '1 when the last scrape of a mesh metrics target succeeded, else 0, by target' }),
    meshScrapeFailures: meter.createCounter('plexus.mesh.scrape.failures', { description: 'Failed scrapes of mesh metrics targets, by target' }),
  };
}

let instruments: ReturnType<typeof createInstruments> | undefined;

/**
 * Collector instruments, named as they appear (snake_cased) on /metrics. Made on
 * first use, so whoever registers the meter provider need not import it first.
 */
export function collectorMetrics(): ReturnType<typeof createInstruments> {
  instruments ??= createInstruments();
  return instruments;
}
