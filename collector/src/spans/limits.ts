import type { Attributes, SpanLimits } from './span-record.ts';

/** Counts of limit hits while building one request's spans. */
export interface LimitCounters {
  truncatedValues: number;
  droppedAttributes: number;
}

/** Applies the per-span attribute limits in place and counts what they cut. */
export function enforceAttributeLimits(attrs: Attributes, limits: SpanLimits, counters: LimitCounters): Attributes {
  if (attrs.length > limits.maxAttributesPerSpan) {
    counters.droppedAttributes += attrs.length - limits.maxAttributesPerSpan;
    attrs.length = limits.maxAttributesPerSpan;
  }
  for (const entry of attrs) {
    if (entry[1].length > limits.maxAttributeValueLength) {
      entry[1] = entry[1].slice(0, limits.maxAttributeValueLength);
      counters.truncatedValues++;
    }
  }
  return attrs;
}
