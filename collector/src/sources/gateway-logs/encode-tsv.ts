import { templatePath, tsvString } from '@plexus/store';
import type { ApiCallRecord } from './api-call.ts';

/** api_calls columns in the order encodeApiCallRow writes them. */
export const API_CALLS_COLUMNS = [
  'Timestamp', 'Gateway', 'GatewayName', 'Consumer', 'ConsumerKind', 'ClientAddress', 'GatewayRoute', 'UpstreamService',
  'Method', 'Path', 'PathTemplate', 'Route', 'Status', 'DurationMs', 'UpstreamMs', 'GatewayMs', 'BytesIn', 'BytesOut', 'RequestId', 'TraceId',
] as const;

/** Milliseconds since the epoch as a DateTime64(3) text value: seconds.millis. */
function msToDateTime64(ms: number): string {
  const whole = Math.floor(ms);
  const s = Math.floor(whole / 1000);
  return `${s}.${String(whole - s * 1000).padStart(3, '0')}`;
}

const nullable = (v: number | null): string => (v === null || !Number.isFinite(v) ? '\\N' : String(v));
const count = (v: number): string => (Number.isFinite(v) && v > 0 ? String(Math.round(v)) : '0');

// The operation a call served: the gateway's own template, else its path templated (api_calls.Route).
function callRoute(r: ApiCallRecord): string {
  return r.pathTemplate || templatePath(r.path);
}

/** One TSV line (with newline) for api_calls; Route is templated here, in the decode worker, rather than by the insert. */
export function encodeApiCallRow(r: ApiCallRecord): string {
  return (
    msToDateTime64(r.timestampMs) + '\t' +
    r.gateway + '\t' +
    tsvString(r.gatewayName) + '\t' +
    tsvString(r.consumer) + '\t' +
    r.consumerKind + '\t' +
    tsvString(r.clientAddress) + '\t' +
    tsvString(r.route) + '\t' +
    tsvString(r.upstreamService) + '\t' +
    tsvString(r.method) + '\t' +
    tsvString(r.path) + '\t' +
    tsvString(r.pathTemplate) + '\t' +
    tsvString(callRoute(r)) + '\t' +
    count(r.status) + '\t' +
    (Number.isFinite(r.durationMs) && r.durationMs > 0 ? String(r.durationMs) : '0') + '\t' +
    nullable(r.upstreamMs) + '\t' +
    nullable(r.gatewayMs) + '\t' +
    count(r.bytesIn) + '\t' +
    count(r.bytesOut) + '\t' +
    tsvString(r.requestId) + '\t' +
    r.traceId + '\n'
  );
}
