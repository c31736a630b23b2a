import type { Migration } from './migration.ts';
import { otelTraces } from './001_otel_traces.ts';
import { traceIdLookup } from './002_trace_id_lookup.ts';
import { aggregates } from './003_aggregates.ts';
import { hourlyRollups } from './004_hourly_rollups.ts';
import { spanFacts } from './005_span_facts.ts';
import { edgeShards } from './006_edge_shards.ts';
import { catalog } from './007_catalog.ts';
import { edgeOperations } from './008_edge_operations.ts';
import { kafkaEvents } from './009_events.ts';
import { kafkaTopology } from './010_kafka_topology.ts';
import { kafkaExactlyOnce } from './011_kafka_exactly_once.ts';
import { gatewayMesh } from './012_gateway_mesh.ts';
import { traceSummaries } from './013_trace_summaries.ts';
import { apiCallsCodecs } from './014_api_calls_codecs.ts';
import { apiCallsRouteDefault } from './015_api_calls_route_default.ts';
import { apiCallsNoTraceIndex } from './016_api_calls_no_trace_index.ts';
import { apiCallsMergeWidth } from './017_api_calls_merge_width.ts';

/** Every migration, in the order it must be applied. Append only. */
export const migrations: readonly Migration[] = [otelTraces, traceIdLookup, aggregates, hourlyRollups, spanFacts, edgeShards, catalog, edgeOperations, kafkaEvents, kafkaTopology, kafkaExactlyOnce, gatewayMesh, traceSummaries, apiCallsCodecs, apiCallsRouteDefault, apiCallsNoTraceIndex, apiCallsMergeWidth];
export type { Migration, MigrationContext } from './migration.ts';
