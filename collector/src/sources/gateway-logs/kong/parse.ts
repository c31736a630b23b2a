import { consumerOf, type ApiCallRecord, type GatewayFormat } from '../api-call.ts';
import type { GatewayParseOptions, RecordParser, RecordOutcome } from '../format-parser.ts';
import { serviceNamer } from '../../naming.ts';
import { NumberReader, firstText, text, withoutQuery } from '../fields.ts';
import { traceIdOf } from '../trace-id.ts';
import type { KongHeaders, KongHttpLog } from './wire.ts';

function header(h: KongHeaders | undefined, name: string): string {
  const v = h?.[name];
  return text(Array.isArray(v) ? v[0] : v);
}

// Did the request reach the service? Kong 3.x says so in `source`; older
// versions only show balancer tries or a proxy latency.
function reachedUpstream(log: KongHttpLog, proxyMs: number | null): boolean {
  if (typeof log.source === 'string') return log.source === 'upstream' || log.source === 'service';
  return (Array.isArray(log.tries) && log.tries.length > 0) || (proxyMs !== null && proxyMs >= 0);
}

function pathOf(uri: string, url: string): string {
  if (uri) return withoutQuery(uri);
  if (!url) return '';
  const scheme = url.indexOf('://');
  const slash = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
  return slash < 0 ? '/' : withoutQuery(url.slice(slash));
}

/** Kong http-log parser: one record per request; the Kong node is not in the record, so gatewayName is the default. */
export function kongParser(_format: GatewayFormat, opts: GatewayParseOptions): RecordParser {
  const name = serviceNamer(opts.naming);
  const gatewayName = opts.defaultGatewayName || 'kong';
  const nums = new NumberReader();
  return {
    object(record): RecordOutcome {
      const log = record as KongHttpLog;
      const req = log.request ?? undefined;
      const res = log.response ?? undefined;
      const method = text(req?.method);
      if (!method) return 'no request method (request.method)';
      nums.reset();
      const startedAt = nums.read('started_at', log.started_at);
      const status = nums.read('response.status', res?.status) ?? 0;
      const totalMs = nums.read('latencies.request', log.latencies?.request);
      const proxyMs = nums.read('latencies.proxy', log.latencies?.proxy);
      const kongMs = nums.read('latencies.kong', log.latencies?.kong);
      const bytesIn = nums.read('request.size', req?.size) ?? 0;
      const bytesOut = nums.read('response.size', res?.size) ?? 0;
      if (nums.bad) return nums.bad;
      if (startedAt === null) return 'no start time (started_at)';

      const clientAddress = text(log.client_ip);
      const c = log.consumer ?? undefined;
      const [consumer, consumerKind] = consumerOf(clientAddress, [firstText(c?.username, c?.custom_id, c?.id), 'consumer'], [text(log.authenticated_entity?.id), 'credential']);

      const rh = req?.headers;
      const call: ApiCallRecord = {
        timestampMs: startedAt,
        gateway: 'kong',
        gatewayName,
        consumer,
        consumerKind,
        clientAddress,
        route: firstText(log.route?.name, log.route?.id),
        upstreamService: reachedUpstream(log, proxyMs) ? name({ name: text(log.service?.name), host: text(log.service?.host) }) : '',
        method,
        path: pathOf(text(req?.uri), text(req?.url)),
        pathTemplate: '',
        status,
        durationMs: totalMs ?? 0,
        // Kong logs -1 when it never waited on an upstream.
        upstreamMs: proxyMs !== null && proxyMs >= 0 ? proxyMs : null,
        gatewayMs: kongMs !== null && kongMs >= 0 ? kongMs : null,
        bytesIn,
        bytesOut,
        requestId: firstText(req?.id, header(rh, 'x-request-id'), header(rh, 'x-kong-request-id'), header(res?.headers, 'x-kong-request-id')),
        traceId: traceIdOf({
          traceparent: header(rh, 'traceparent'),
          b3: header(rh, 'b3'),
          xB3TraceId: header(rh, 'x-b3-traceid'),
          xAmznTraceId: header(rh, 'x-amzn-trace-id'),
        }),
      };
      return call;
    },
  };
}
