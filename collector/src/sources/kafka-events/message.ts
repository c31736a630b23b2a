// The fields of a Kafka record that event parsing reads, shaped like what
// kafkajs hands an eachBatch handler (batch.topic, batch.partition, and each
// message), so the parse code and its tests do not depend on kafkajs.

/** A header value as kafkajs decodes it: repeated headers arrive as an array. */
export type KafkaHeaderValue = Buffer | string | Array<Buffer | string> | undefined;

/** One Kafka record with its topic and partition. */
export interface KafkaMessage {
  topic: string;
  partition: number;
  /** Decimal string (int64). */
  offset: string;
  /** Milliseconds since the epoch, as a decimal string. */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, KafkaHeaderValue>;
}
