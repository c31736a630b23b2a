import { sql, param } from '../sql.ts';
import type { Migration } from './migration.ts';

// Kafka as the admin API sees it, polled on an interval (collector/src/receivers/kafka/topology.ts):
// per poll, each partition's end offset and each consumer group's committed
// offset and lag on it, and the group's members. Time series, so lag can be
// drawn and "a group that stopped" shows as lag that only grows.
export const kafkaTopology: Migration = {
  id: 10,
  name: 'kafka_partition_offsets, kafka_group_members',
  statements: ({ retentionDays }) => [
    // GroupId '' marks a partition's own row (its end offset), so topics without consumers still have throughput.
    sql`CREATE TABLE IF NOT EXISTS kafka_partition_offsets (
      Time DateTime CODEC(Delta, ZSTD(1)),
      Topic LowCardinality(String),
      Partition UInt32,
      GroupId LowCardinality(String),
      EndOffset UInt64,
      CommittedOffset Int64,
      Lag UInt64
    ) ENGINE = MergeTree
    PARTITION BY toDate(Time)
    ORDER BY (Topic, GroupId, Partition, Time)
    TTL Time + toIntervalDay(${param('UInt32', retentionDays)})`,
    sql`CREATE TABLE IF NOT EXISTS kafka_group_members (
      Time DateTime CODEC(Delta, ZSTD(1)),
      GroupId LowCardinality(String),
      State LowCardinality(String),
      MemberId String,
      ClientId LowCardinality(String),
      ClientHost LowCardinality(String),
      Topics Array(LowCardinality(String))
    ) ENGINE = MergeTree
    PARTITION BY toDate(Time)
    ORDER BY (GroupId, Time)
    TTL Time + toIntervalDay(${param('UInt32', retentionDays)})`,
  ],
};
