// The landscape of test/trace-search.test.ts: ~60 planned traces over three
// services with known durations, statuses and attributes, plus the odd ones (a
// trace whose root never arrives, one whose spans come in two posts, one long
// before the window). What a search must answer is computed here from the plan
// by plain filtering, independently of Plexus's SQL.

export type Kind = 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER' | 'INTERNAL';
export type Status = 'UNSET' | 'OK' | 'ERROR';

export interface PlanSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  service: string;
  name: string;
  kind: Kind;
  startMs: number;
  durationMs: number;
  status: Status;
  attributes: Record<string, string>;
  resource: Record<string, string>;
  /** Which POST carries it (0 or 1). */
  post: number;
}

export interface PlanTrace {
  id: string;
  spans: PlanSpan[];
}

/** A search's span filters, as traces(...) takes them. */
export interface Filter {
  service?: string;
  operation?: string;
  spanKind?: Kind;
  minDurationMs?: number;
  maxDurationMs?: number;
  status?: Status;
  attributes?: Array<{ key: string; value: string }>;
}

const KIND_NUMBER: Record<Kind, number> = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };
// Durations in whole microseconds, so the plan and the stored nanoseconds agree exactly.
const us = (ms: number) => Math.round(ms * 1000) / 1000;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const nsOf = (ms: number) => BigInt(Math.round(ms * 1000)) * 1000n;

/** Builds the plan: traces start 20 s apart from `base` (ms). */
export function planLandscape(base: number): PlanTrace[] {
  const traces: PlanTrace[] = [];
  for (let i = 0; i < 60; i++) {
    const id = `5ea7c4${hex(i, 26)}`;
    const start = base + i * 20_000 + i;
    // 5..359 ms, all different: 37 is coprime with 60.
    const d = 5 + ((i * 37) % 60) * 6;
    // Payments durations spread over three decades (1 ms .. ~1.2 s), for the heatmap.
    const p = us(1 + ((i * 53) % 60) ** 2 / 3);
    let n = 0;
    const span = (parent: PlanSpan | null, s: Omit<PlanSpan, 'traceId' | 'spanId' | 'parentSpanId' | 'attributes' | 'resource' | 'post' | 'status'> & Partial<PlanSpan>): PlanSpan => ({
      traceId: id, spanId: `${hex(i, 12)}${hex(++n, 4)}`, parentSpanId: parent?.spanId ?? '', status: 'UNSET', attributes: {}, resource: {}, post: 0, ...s,
    });
    const spans: PlanSpan[] = [];
    if (i % 3 === 0) {
      // frontend -> orders -> payments, with the tier on the orders span and the region on payments' resource.
      const root = span(null, { service: 'frontend', name: 'GET /checkout', kind: 'SERVER', startMs: start, durationMs: d, status: i % 7 === 3 ? 'ERROR' : 'UNSET' });
      const call = span(root, { service: 'frontend', name: 'POST /orders', kind: 'CLIENT', startMs: start + us(0.1 * d), durationMs: us(0.8 * d) });
      const orders = span(call, { service: 'orders', name: 'POST /orders', kind: 'SERVER', startMs: start + us(0.15 * d), durationMs: us(0.7 * d), attributes: { 'customer.tier': i % 2 === 0 ? 'gold' : 'silver' } });
      const charge = span(orders, { service: 'orders', name: 'charge', kind: 'CLIENT', startMs: start + us(0.2 * d), durationMs: us(0.5 * d) });
      const pay = span(charge, {
        service: 'payments', name: 'POST /charge', kind: 'SERVER', startMs: start + us(0.25 * d), durationMs: p,
        status: i % 5 === 0 ? 'ERROR' : i % 5 === 1 ? 'OK' : 'UNSET', resource: { region: i % 4 === 0 ? 'eu' : 'us' },
      });
      // Trace 0's orders client and payments spans come in a second post.
      if (i === 0) charge.post = pay.post = 1;
      spans.push(root, call, orders, charge, pay);
    } else if (i % 3 === 1) {
      const root = span(null, { service: 'frontend', name: 'GET /home', kind: 'SERVER', startMs: start, durationMs: d });
      spans.push(root, span(root, { service: 'frontend', name: 'render', kind: 'INTERNAL', startMs: start + us(0.1 * d), durationMs: us(0.5 * d), status: 'OK' }));
    } else {
      // A consumer-rooted trace that calls the database and payments.
      const root = span(null, { service: 'orders', name: 'orders process', kind: 'CONSUMER', startMs: start, durationMs: d, status: i % 4 === 2 ? 'ERROR' : 'UNSET', attributes: { 'messaging.destination.name': 'orders' } });
      const select = span(root, { service: 'orders', name: 'SELECT orders', kind: 'CLIENT', startMs: start + us(0.1 * d), durationMs: us(0.3 * d), attributes: { 'db.system': 'postgresql', 'customer.tier': 'gold' } });
      const refund = span(root, { service: 'orders', name: 'refund', kind: 'CLIENT', startMs: start + us(0.5 * d), durationMs: us(0.4 * d) });
      spans.push(root, select, refund, span(refund, { service: 'payments', name: 'POST /refund', kind: 'SERVER', startMs: start + us(0.55 * d), durationMs: p, resource: { region: 'us' } }));
    }
    traces.push({ id, spans });
  }
  // Its root (a frontend span) was never received: orders' span names the trace.
  const orphan = 'deadbeef000000000000000000000001';
  traces.push({ id: orphan, spans: [
    { traceId: orphan, spanId: 'aa00000000000002', parentSpanId: 'aa00000000000001', service: 'orders', name: 'POST /orders', kind: 'SERVER', startMs: base + 7_000, durationMs: 40, status: 'UNSET', attributes: { 'customer.tier': 'gold' }, resource: {}, post: 0 },
    { traceId: orphan, spanId: 'aa00000000000003', parentSpanId: 'aa00000000000002', service: 'payments', name: 'POST /charge', kind: 'SERVER', startMs: base + 7_010, durationMs: 10, status: 'ERROR', attributes: {}, resource: { region: 'eu' }, post: 0 },
  ] });
  // Three hours before the window: never found by a search of it.
  const old = '01d0000000000000000000000000000f';
  traces.push({ id: old, spans: [
    { traceId: old, spanId: 'bb00000000000001', parentSpanId: '', service: 'payments', name: 'POST /charge', kind: 'SERVER', startMs: base - 3 * 3_600_000, durationMs: 12, status: 'ERROR', attributes: {}, resource: { region: 'eu' }, post: 0 },
  ] });
  return traces;
}

/** OTLP/JSON export requests for one post: resource spans grouped by service and resource attributes. */
export function otlpBody(spans: readonly PlanSpan[]): unknown {
  const groups = new Map<string, PlanSpan[]>();
  for (const s of spans) {
    const key = JSON.stringify([s.service, s.resource]);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const kv = (m: Record<string, string>) => Object.entries(m).map(([key, value]) => ({ key, value: { stringValue: value } }));
  return {
    resourceSpans: [...groups.values()].map((list) => ({
      resource: { attributes: kv({ 'service.name': list[0]!.service, ...list[0]!.resource }) },
      scopeSpans: [{
        scope: { name: 'trace-search-test' },
        spans: list.map((s) => ({
          traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name, kind: KIND_NUMBER[s.kind],
          startTimeUnixNano: nsOf(s.startMs).toString(), endTimeUnixNano: nsOf(s.startMs + s.durationMs).toString(),
          attributes: kv(s.attributes),
          status: s.status === 'ERROR' ? { code: 2, message: 'failed' } : s.status === 'OK' ? { code: 1 } : {},
        })),
      }],
    })),
  };
}

/** Whether one span passes every filter given. */
function spanMatches(s: PlanSpan, f: Filter): boolean {
  return (f.service === undefined || s.service === f.service)
    && (f.operation === undefined || s.name === f.operation)
    && (f.spanKind === undefined || s.kind === f.spanKind)
    && (f.minDurationMs === undefined || s.durationMs >= f.minDurationMs)
    && (f.maxDurationMs === undefined || s.durationMs < f.maxDurationMs)
    && (f.status === undefined || s.status === f.status)
    && (f.attributes ?? []).every((a) => s.attributes[a.key] === a.value || s.resource[a.key] === a.value || (a.key === 'service.name' && s.service === a.value));
}

/** What a trace summary must say, from its spans. */
export function summaryOf(t: PlanTrace): { traceId: string; rootService: string; rootOperation: string; rootMissing: boolean; startTime: string; durationMs: number; spanCount: number; errorCount: number; services: string[] } {
  const byStart = [...t.spans].sort((a, b) => a.startMs - b.startMs);
  const root = t.spans.find((s) => s.parentSpanId === '') ?? byStart[0]!;
  const startNs = nsOf(byStart[0]!.startMs);
  const endNs = t.spans.reduce((m, s) => {
    const e = nsOf(s.startMs) + nsOf(s.durationMs);
    return e > m ? e : m;
  }, 0n);
  return {
    traceId: t.id, rootService: root.service, rootOperation: root.name, rootMissing: !t.spans.some((s) => s.parentSpanId === ''),
    startTime: new Date(byStart[0]!.startMs).toISOString(), durationMs: Number(endNs - startNs) / 1e6,
    spanCount: t.spans.length, errorCount: t.spans.filter((s) => s.status === 'ERROR').length, services: [...new Set(t.spans.map((s) => s.service))].sort(),
  };
}

/** Trace ids a search of [fromMs, toMs) must return, in the order asked for. */
export function expectedIds(traces: readonly PlanTrace[], fromMs: number, toMs: number, f: Filter, order: 'NEWEST' | 'DURATION' = 'NEWEST'): string[] {
  const hits = traces.filter((t) => t.spans.some((s) => s.startMs >= fromMs && s.startMs < toMs && spanMatches(s, f))).map(summaryOf);
  const key = (s: ReturnType<typeof summaryOf>) => (order === 'NEWEST' ? Date.parse(s.startTime) : s.durationMs);
  return hits.sort((a, b) => key(b) - key(a)).map((s) => s.traceId);
}
