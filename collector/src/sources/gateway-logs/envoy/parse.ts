import type { ApiCallRecord, GatewayFormat } from '../api-call.ts';
import type { GatewayParseOptions, RecordOutcome, RecordParser } from '../format-parser.ts';
import { serviceNamer } from '../../naming.ts';
import { NumberReader, firstForwarded, firstText, hostOf, isoTimeMs, preview, text, withoutQuery } from '../fields.ts';
import { traceIdOf } from '../trace-id.ts';
import { parseDefaultTextFormat } from './text-format.ts';
import type { EnvoyAccessLog } from './wire.ts';

/** Why an Istio ambient ztunnel line is rejected: it logs L4 connections (mesh metrics carry those edges), never an HTTP request. */
export const ZTUNNEL_REASON = 'ztunnel connection log, no HTTP request';
const NOT_ENVOY_TEXT = "neither JSON nor Envoy's or Istio's default text access-log format";

// ztunnel's own layout: `<time>\t<level>\taccess\t<message>\tkey=value ...`.
const ZTUNNEL_TEXT = /^\S+\t\w+\taccess\t/;

function isZtunnelJson(o: Record<string, unknown>): boolean {
  return o.scope === 'access' || 'src.addr' in o || 'dst.service' in o;
}

/**
 * Envoy and Istio access-log parser (JSON with Istio's or Envoy Gateway's
 * default keys, or either default text format). The gateway node is the
 * default name: neither default format names the workload that logged.
 */
export function envoyParser(format: GatewayFormat, opts: GatewayParseOptions): RecordParser {
  const name = serviceNamer(opts.naming);
  const gatewayName = opts.defaultGatewayName || format;
  const nums = new NumberReader();

  // The upstream is the Istio cluster's host (`outbound|9080||details.default.svc.cluster.local`),
  // else the authority; '' when the log says no upstream host was picked.
  function upstreamOf(log: EnvoyAccessLog, authority: string): string {
    const host = log.upstream_host;
    if (host === null || host === '-' || host === '') return '';
    const cluster = text(log.upstream_cluster);
    const bar = cluster.lastIndexOf('|');
    if (bar >= 0 && bar < cluster.length - 1) return name({ host: cluster.slice(bar + 1) });
    return authority ? name({ host: authority }) : '';
  }

  function fromLog(log: EnvoyAccessLog): RecordOutcome {
    const method = text(log.method);
    if (!method) return 'no request method (method)';
    const start = text(log.start_time);
    if (!start) return 'no start time (start_time)';
    const timestampMs = isoTimeMs(start);
    if (Number.isNaN(timestampMs)) return `start_time is not a date-time (${preview(start)})`;
    nums.reset();
    const status = nums.read('response_code', log.response_code) ?? 0;
    const bytesIn = nums.read('bytes_received', log.bytes_received) ?? 0;
    const bytesOut = nums.read('bytes_sent', log.bytes_sent) ?? 0;
    const durationMs = nums.read('duration', log.duration) ?? 0;
    const upstreamMs = nums.read('upstream_service_time', log.upstream_service_time ?? log['x-envoy-upstream-service-time']);
    if (nums.bad) return nums.bad;

    const forwarded = firstText(log.x_forwarded_for, log['x-forwarded-for']);
    const clientAddress = forwarded ? firstForwarded(forwarded) : hostOf(text(log.downstream_remote_address));
    const authority = firstText(log.authority, log[':authority']);
    const call: ApiCallRecord = {
      timestampMs,
      gateway: format,
      gatewayName,
      consumer: clientAddress,
      consumerKind: clientAddress ? 'client_address' : '',
      clientAddress,
      route: text(log.route_name),
      upstreamService: upstreamOf(log, authority),
      method,
      path: withoutQuery(firstText(log.path, log['x-envoy-origin-path'])),
      pathTemplate: '',
      status,
      durationMs,
      upstreamMs,
      gatewayMs: null,
      bytesIn,
      bytesOut,
      requestId: firstText(log.request_id, log['x-request-id']),
      traceId: traceIdOf({
        traceparent: log.traceparent,
        b3: log.b3,
        xB3TraceId: log['x-b3-traceid'] ?? log.x_b3_traceid,
        xAmznTraceId: log['x-amzn-trace-id'],
      }),
    };
    return call;
  }

  return {
    object(record): RecordOutcome {
      if (!text(record.method) && isZtunnelJson(record)) return ZTUNNEL_REASON;
      return fromLog(record as EnvoyAccessLog);
    },
    text(line): RecordOutcome {
      const log = parseDefaultTextFormat(line);
      if (log) return fromLog(log);
      return ZTUNNEL_TEXT.test(line) ? ZTUNNEL_REASON : NOT_ENVOY_TEXT;
    },
  };
}
