export { startCollector, type Collector, type CollectorOptions, type KafkaSources } from './collector.ts';
export { EdgeJob, DEFAULT_EDGE_JOB, type EdgeJobOptions } from './edges/edge-job.ts';
export { DEFAULT_SPAN_LIMITS, type SpanLimits, type SpanRecord } from './spans/span-record.ts';
export { parseOtlpTraces, parseOtlpObject, parseOtlpJson, otlpTypes } from './sources/otlp/parse.ts';
export { encodeSpanRow, OTEL_TRACES_COLUMNS } from './spans/encode-tsv.ts';
export { createDecodePool, type DecodePool } from './pipeline/decode-pool.ts';
export { createKafka, type KafkaConnection } from './receivers/kafka/kafka-client.ts';
export { startOtlpKafkaConsumer, type OtlpKafkaOptions } from './receivers/kafka/otlp-consumer.ts';
