import type { SpanRecord } from './span-record.ts';

const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);
const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

/** Returns why a span cannot be stored, or null when it is valid. */
export function validateSpan(span: SpanRecord): string | null {
  if (!HEX32.test(span.traceId) || span.traceId === ZERO_TRACE) return `invalid traceId ${JSON.stringify(span.traceId)}: need 16 non-zero bytes`;
  if (!HEX16.test(span.spanId) || span.spanId === ZERO_SPAN) return `invalid spanId ${JSON.stringify(span.spanId)}: need 8 non-zero bytes`;
  if (span.parentSpanId !== '' && !HEX16.test(span.parentSpanId)) return `invalid parentSpanId ${JSON.stringify(span.parentSpanId)}: need 8 bytes or empty`;
  if (span.startNs <= 0n) return 'missing startTimeUnixNano';
  if (span.endNs < span.startNs) return `endTimeUnixNano (${span.endNs}) is before startTimeUnixNano (${span.startNs})`;
  return null;
}
