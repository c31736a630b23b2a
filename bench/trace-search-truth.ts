// What the trace-search specs must answer on the generated day, worked out
// before Plexus starts: from the generator's own formulas where a filter maps
// onto them (failing traces, one request path), else by brute force over every
// stored span (uniqExact of trace ids, no summaries, no search code).
import { sql, param, type Store } from '@plexus/store';
import { BACKENDS, FAILURES_PER_MILLE } from './landscape.ts';
import type { GeneratedSpans } from './generate-spans.ts';

/** The operation and duration of the "service + operation + minDurationMs" spec. */
export const SLOW_PAYMENTS = { service: 'payments', operation: 'GET /payments/:id', minDurationMs: 100 };
/** The request path of the attribute spec: sync traces through checkout with request id 42. */
export const CHECKOUT_42 = { key: 'url.path', value: '/api/checkout/42' };

/** Expected totalCount per spec. */
export interface TraceSearchTruth {
  all: number;
  payments: number;
  gateway: number;
  slowPayments: number;
  errors: number;
  checkout42: number;
}

/** Counts what each trace-search spec must find; the trace ids of `extra` traces (not generated) add to `all`. */
export async function traceSearchTruth(store: Store, g: GeneratedSpans, extra: number): Promise<TraceSearchTruth> {
  const sync = g.shapes.find((s) => s.name === 'sync')!;
  // generate-spans.ts: h = intHash64(t), backend A = BACKENDS[h % n], request id = (h div 2^32) % 10000;
  // a trace fails when (intHash64(t xor 1540483477) div 2^20) % 1000 < FAILURES_PER_MILLE, and every
  // failing trace has a span with status Error (both templates mark one with onFailure 'error').
  const [formula] = await store.query<{ errors: string; checkout42: string }>(sql`
    SELECT countIf(intDiv(intHash64(bitXor(number, 1540483477)), 1048576) % 1000 < ${param('UInt32', FAILURES_PER_MILLE)}) AS errors,
      countIf(number >= ${param('UInt64', sync.firstTrace)} AND number < ${param('UInt64', sync.firstTrace + sync.traces)}
        AND intHash64(number) % ${param('UInt32', BACKENDS.length)} = ${param('UInt32', BACKENDS.indexOf('checkout'))}
        AND intDiv(intHash64(number), 4294967296) % 10000 = 42) AS checkout42
    FROM numbers(${param('UInt64', g.traces)})`);
  const [brute] = await store.query<{ payments: string; gateway: string; slowPayments: string }>(sql`
    SELECT uniqExactIf(TraceId, ServiceName = 'payments') AS payments, uniqExactIf(TraceId, ServiceName = 'api-gateway') AS gateway,
      uniqExactIf(TraceId, ServiceName = ${SLOW_PAYMENTS.service} AND SpanName = ${SLOW_PAYMENTS.operation} AND Duration >= ${SLOW_PAYMENTS.minDurationMs * 1e6}) AS slowPayments
    FROM otel_traces`);
  return {
    all: g.traces + extra,
    payments: Number(brute!.payments),
    gateway: Number(brute!.gateway),
    slowPayments: Number(brute!.slowPayments),
    errors: Number(formula!.errors),
    checkout42: Number(formula!.checkout42),
  };
}
