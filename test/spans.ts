// A tiny way to write OTLP/JSON traces by hand for tests: the expected answer
// is then written next to it, independent of Plexus's code.
import { randomBytes } from 'node:crypto';

export interface TestSpan {
  service: string;
  name: string;
  kind: 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER' | 'INTERNAL';
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  startMs: number;
  durationMs: number;
  error?: boolean;
  attributes?: Record<string, string | number>;
  links?: Array<{ traceId: string; spanId: string }>;
}

const KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

export const newTraceId = () => randomBytes(16).toString('hex');
export const newSpanId = () => randomBytes(8).toString('hex');

/** Groups spans by service into one OTLP/JSON ExportTraceServiceRequest. */
export function otlpJson(spans: TestSpan[]): unknown {
  const byService = new Map<string, TestSpan[]>();
  for (const s of spans) byService.set(s.service, [...(byService.get(s.service) ?? []), s]);
  return {
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{
        scope: { name: 'plexus-test' },
        spans: list.map((s) => ({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ?? '',
          name: s.name,
          kind: KIND[s.kind],
          startTimeUnixNano: (BigInt(Math.round(s.startMs * 1000)) * 1000n).toString(),
          endTimeUnixNano: (BigInt(Math.round((s.startMs + s.durationMs) * 1000)) * 1000n).toString(),
          attributes: Object.entries(s.attributes ?? {}).map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } })),
          links: (s.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
          status: s.error ? { code: 2, message: 'failed' } : {},
        })),
      }],
    })),
  };
}

/** A window around `t` wide enough for the minute buckets. */
export function windowAround(t: number, minutes = 10): { from: string; to: string } {
  return { from: new Date(t - minutes * 60_000).toISOString(), to: new Date(t + minutes * 60_000).toISOString() };
}
