// One trace id out of whichever propagation header a gateway logged, in the
// 32 lower-case hex digits OpenTelemetry stores, so a gateway call joins the
// trace its upstream recorded.
import { parseTraceparent } from '../kafka-events/traceparent.ts';

const HEX = /^[0-9a-f]+$/;
const ZERO = /^0+$/;

function validHex(id: string, ...lengths: number[]): boolean {
  return lengths.includes(id.length) && HEX.test(id) && !ZERO.test(id);
}

// B3 allows 64-bit trace ids; OpenTelemetry's B3 propagator left-pads them
// with zeros to 128 bits, so the same call gets the same id on both sides.
function b3Id(id: string): string {
  const lower = id.trim().toLowerCase();
  if (!validHex(lower, 16, 32)) return '';
  return lower.length === 16 ? `0000000000000000${lower}` : lower;
}

/** Trace id of a W3C `traceparent`, or ''. */
export function fromTraceparent(value: string): string {
  return parseTraceparent(value.toLowerCase())?.traceId ?? '';
}

/** Trace id of a B3 single header (`{traceid}-{spanid}[-{sampled}[-{parent}]]`), or '' (also for a bare sampling flag). */
export function fromB3Single(value: string): string {
  const dash = value.indexOf('-');
  return dash < 0 ? '' : b3Id(value.slice(0, dash));
}

/** Trace id of an `X-B3-TraceId` header (16 or 32 hex), or ''. */
export function fromB3TraceId(value: string): string {
  return b3Id(value);
}

/**
 * Trace id of an AWS X-Ray id: the `Root=` of an `X-Amzn-Trace-Id` header or a
 * bare `$context.xrayTraceId` (`1-5759e988-bd862e3fe1be46a994272793`). The
 * 8 hex of epoch seconds and the 24 hex that follow make the 32: that is how
 * OpenTelemetry's X-Ray propagator and id generator map the two, so spans of
 * services traced through X-Ray carry the same id.
 */
export function fromXRay(value: string): string {
  let root = value.trim();
  const at = root.indexOf('Root=');
  if (at >= 0) {
    const end = root.indexOf(';', at);
    root = root.slice(at + 5, end < 0 ? undefined : end);
  }
  const parts = root.toLowerCase().split('-');
  if (parts.length !== 3 || parts[0] !== '1') return '';
  const id = `${parts[1]}${parts[2]}`;
  return parts[1]!.length === 8 && validHex(id, 32) ? id : '';
}

/** Where a record keeps its propagation headers; any may be missing. */
export interface TraceHeaders {
  traceparent?: unknown;
  b3?: unknown;
  xB3TraceId?: unknown;
  xAmznTraceId?: unknown;
}

/** The first valid trace id among the headers (traceparent, b3, X-B3-TraceId, X-Amzn-Trace-Id), else ''. */
export function traceIdOf(h: TraceHeaders): string {
  return (
    (typeof h.traceparent === 'string' && fromTraceparent(h.traceparent)) ||
    (typeof h.b3 === 'string' && fromB3Single(h.b3)) ||
    (typeof h.xB3TraceId === 'string' && fromB3TraceId(h.xB3TraceId)) ||
    (typeof h.xAmznTraceId === 'string' && fromXRay(h.xAmznTraceId)) ||
    ''
  );
}
