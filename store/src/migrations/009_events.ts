import { sql, param } from '../sql.ts';
import type { Migration } from './migration.ts';

// One row per Kafka record on an event topic (kafka_events) and one per record
// that could not be read (kafka_dead_letters). Offsets are committed only after
// rows are written, so a restart replays records already stored: both tables
// are ReplacingMergeTree keyed by (Topic, Partition, Offset), and a replay
// collapses into one row when parts merge. Until then both copies are visible,
// so readers that count must deduplicate: FROM kafka_events FINAL, or
// GROUP BY Topic, Partition, Offset with argMax(..., IngestedAt).
//
// kafka_events is partitioned by the record's Kafka timestamp, which a replay
// carries unchanged, so its copies share a partition and FINAL sees them
// together. Dead letters are few and have only a receive time, which a replay
// changes; they are not partitioned, so a replay a month later still collapses.
//
// Key and Payload hold UTF-8 text, or base64 when the bytes are not UTF-8 (a
// String column takes any bytes, but the TSV path carries text): KeyEncoding
// and PayloadEncoding say which, '' when the record had none.
// CeTime is Nullable: an event without a time is not an event at 1970-01-01.
export const kafkaEvents: Migration = {
  id: 9,
  name: 'kafka_events, kafka_dead_letters',
  statements: ({ retentionDays }) => [
    sql`CREATE TABLE IF NOT EXISTS kafka_events (
      Timestamp DateTime64(3) CODEC(Delta, ZSTD(1)),
      Topic LowCardinality(String),
      Partition UInt32,
      Offset UInt64 CODEC(Delta, ZSTD(1)),
      Key String CODEC(ZSTD(1)),
      KeyEncoding LowCardinality(String),
      Size UInt32 CODEC(ZSTD(1)),
      ContentType LowCardinality(String),
      CeId String CODEC(ZSTD(1)),
      CeSource LowCardinality(String),
      CeType LowCardinality(String),
      CeSubject String CODEC(ZSTD(1)),
      CeSpecVersion LowCardinality(String),
      CeTime Nullable(DateTime64(3)) CODEC(ZSTD(1)),
      CeDataSchema LowCardinality(String),
      Extensions Map(LowCardinality(String), String) CODEC(ZSTD(1)),
      TraceId String CODEC(ZSTD(1)),
      SpanId String CODEC(ZSTD(1)),
      Producer LowCardinality(String),
      Payload String CODEC(ZSTD(1)),
      PayloadEncoding LowCardinality(String),
      PayloadTruncated UInt8,
      IngestedAt DateTime64(3) DEFAULT now64(3) CODEC(Delta, ZSTD(1)),
      INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
      INDEX idx_timestamp Timestamp TYPE minmax GRANULARITY 1
    ) ENGINE = ReplacingMergeTree(IngestedAt)
    PARTITION BY toDate(Timestamp)
    ORDER BY (Topic, Partition, Offset)
    TTL toDateTime(Timestamp) + toIntervalDay(${param('UInt32', retentionDays)})
    SETTINGS ttl_only_drop_parts = 1`,
    sql`CREATE TABLE IF NOT EXISTS kafka_dead_letters (
      ReceivedAt DateTime64(3) CODEC(Delta, ZSTD(1)),
      Topic LowCardinality(String),
      Partition UInt32,
      Offset UInt64,
      Key String CODEC(ZSTD(1)),
      KeyEncoding LowCardinality(String),
      Size UInt32,
      Reason String CODEC(ZSTD(1)),
      Payload String CODEC(ZSTD(1)),
      PayloadEncoding LowCardinality(String),
      PayloadTruncated UInt8
    ) ENGINE = ReplacingMergeTree(ReceivedAt)
    ORDER BY (Topic, Partition, Offset)
    TTL toDateTime(ReceivedAt) + toIntervalDay(${param('UInt32', retentionDays)})`,
  ],
};
