import type { KafkaMessage } from './message.ts';
import type { DeadLetterRow } from './event-row.ts';
import { bytesText, cappedBytesText } from './bytes.ts';

/** A kafka_dead_letters row for a record that was rejected: its coordinates, key, reason and the first maxPayloadBytes of its value. */
export function deadLetterRow(msg: KafkaMessage, reason: string, receivedAtMs: number, maxPayloadBytes: number): DeadLetterRow {
  const key = bytesText(msg.key);
  const payload = cappedBytesText(msg.value, maxPayloadBytes);
  return {
    receivedAtMs,
    topic: msg.topic,
    // Out-of-range coordinates are part of the reason; the columns hold 0 so the row can still be written.
    partition: Number.isInteger(msg.partition) && msg.partition >= 0 && msg.partition <= 0xffff_ffff ? msg.partition : 0,
    offset: /^\d{1,19}$/.test(msg.offset) ? msg.offset : '0',
    key: key.text,
    keyEncoding: key.encoding,
    size: msg.value?.length ?? 0,
    reason,
    payload: payload.text,
    payloadEncoding: payload.encoding,
    payloadTruncated: payload.truncated,
  };
}
