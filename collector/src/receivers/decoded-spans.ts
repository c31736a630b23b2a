import type { DecodeOutput } from '../pipeline/decode-worker.ts';
import { collectorMetrics } from '../telemetry.ts';

/** A body the decode pool could read. */
export type DecodedSpans = Extract<DecodeOutput, { ok: true }>;

/** Counts a decoded body on /metrics: spans received and rejected by receiver, and limits hit. */
export function countDecoded(d: DecodedSpans, receiver: string): void {
  const m = collectorMetrics();
  m.spansReceived.add(d.accepted + d.rejected, { receiver });
  if (d.rejected > 0) m.spansRejected.add(d.rejected, { receiver });
  if (d.truncatedValues > 0) m.limitHits.add(d.truncatedValues, { limit: 'attribute_value_length' });
  if (d.droppedAttributes > 0) m.limitHits.add(d.droppedAttributes, { limit: 'attributes_per_span' });
}

/** The rejected spans of a body as one message: `path: why; …; and N more` (only the first few are kept). */
export function rejectSummary(d: DecodedSpans): string {
  const more = d.rejected - d.rejects.length;
  return d.rejects.map((r) => `${r.path}: ${r.reason}`).join('; ') + (more > 0 ? `; and ${more} more` : '');
}
