// W3C Trace Context `traceparent`: version-traceid-parentid-flags, lower-case
// hex. Version ff is invalid; version 00 has exactly four fields, later
// versions may append more after a dash. All-zero ids are invalid.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** Trace and parent span id of a W3C traceparent value, or null when it is not a valid one. */
export function parseTraceparent(value: string): { traceId: string; spanId: string } | null {
  const m = TRACEPARENT.exec(value.trim());
  if (m === null) return null;
  const [, version, traceId, spanId, , rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return null;
  return { traceId: traceId!, spanId: spanId! };
}
