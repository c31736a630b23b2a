import { consumerOf, type ApiCallRecord, type GatewayFormat } from '../api-call.ts';
import type { GatewayParseOptions, RecordOutcome, RecordParser } from '../format-parser.ts';
import { serviceNamer } from '../../naming.ts';
import { NumberReader, clfTimeMs, firstForwarded, firstText, hostOf, isoTimeMs, preview, text, withoutQuery } from '../fields.ts';
import { traceIdOf } from '../trace-id.ts';
import { parseTraefikCommon } from './common-log.ts';
import type { TraefikAccessLog } from './wire.ts';

/** Why a line that is neither Traefik JSON nor Traefik's common format is rejected. */
export const TRAEFIK_NOT_ACCESS_LOG = "neither JSON nor Traefik's common access-log format";

const NS_PER_MS = 1_000_000;

// `root@file -> leaf@file`: the leaf router is the one that picked the service.
function lastRouter(chain: string): string {
  const arrow = chain.lastIndexOf(' -> ');
  return arrow < 0 ? chain : chain.slice(arrow + 4);
}

/** Traefik access-log parser: JSON records, and lines of the default common format. */
export function traefikParser(_format: GatewayFormat, opts: GatewayParseOptions): RecordParser {
  const name = serviceNamer(opts.naming);
  const defaultGateway = opts.defaultGatewayName || 'traefik';
  const nums = new NumberReader();

  // `whoami@docker` -> naming rule on `whoami`.
  function serviceOf(serviceName: string, address: string): string {
    if (serviceName) {
      const at = serviceName.lastIndexOf('@');
      return name({ name: at > 0 ? serviceName.slice(0, at) : serviceName });
    }
    return address ? name({ host: hostOf(address) }) : '';
  }

  return {
    object(record): RecordOutcome {
      const log = record as TraefikAccessLog;
      const method = text(log.RequestMethod);
      if (!method) return 'no request method (RequestMethod)';
      const start = firstText(log.StartUTC, log.StartLocal, log.time);
      if (!start) return 'no start time (StartUTC)';
      const timestampMs = isoTimeMs(start);
      if (Number.isNaN(timestampMs)) return `StartUTC is not a date-time (${preview(start)})`;
      nums.reset();
      const status = nums.read('DownstreamStatus', log.DownstreamStatus) ?? 0;
      const duration = nums.read('Duration', log.Duration);
      const origin = nums.read('OriginDuration', log.OriginDuration);
      const overhead = nums.read('Overhead', log.Overhead);
      const bytesIn = nums.read('RequestContentSize', log.RequestContentSize) ?? 0;
      const bytesOut = nums.read('DownstreamContentSize', log.DownstreamContentSize) ?? 0;
      if (nums.bad) return nums.bad;

      // ClientHost holds X-Forwarded-For's value when Traefik trusts it, which may be a list.
      const clientAddress = firstForwarded(text(log.ClientHost)) || hostOf(text(log.ClientAddr));
      const [consumer, consumerKind] = consumerOf(clientAddress, [text(log.ClientUsername), 'credential']);
      const upstreamService = serviceOf(text(log.ServiceName), text(log.ServiceAddr));
      const call: ApiCallRecord = {
        timestampMs,
        gateway: 'traefik',
        gatewayName: firstText(log.entryPointName, log.EntryPointName) || defaultGateway,
        consumer,
        consumerKind,
        clientAddress,
        route: lastRouter(text(log.RouterName)),
        upstreamService,
        method,
        path: withoutQuery(text(log.RequestPath)),
        pathTemplate: '',
        status,
        durationMs: (duration ?? 0) / NS_PER_MS,
        // Without a service Traefik answered itself (no router, redirect): no upstream time.
        upstreamMs: upstreamService && origin !== null ? origin / NS_PER_MS : null,
        gatewayMs: overhead === null ? null : overhead / NS_PER_MS,
        bytesIn,
        bytesOut,
        requestId: text(log['request_X-Request-Id']),
        traceId: traceIdOf({
          traceparent: log.request_Traceparent,
          b3: log.request_B3,
          xB3TraceId: log['request_X-B3-Traceid'],
          xAmznTraceId: log['request_X-Amzn-Trace-Id'],
        }),
      };
      return call;
    },

    text(line): RecordOutcome {
      const clf = parseTraefikCommon(line);
      if (clf === null) return TRAEFIK_NOT_ACCESS_LOG;
      const timestampMs = clfTimeMs(clf.time);
      if (Number.isNaN(timestampMs)) return `time is not a CLF time (${preview(clf.time)})`;
      const clientAddress = firstForwarded(clf.clientHost);
      const [consumer, consumerKind] = consumerOf(clientAddress, [text(clf.username), 'credential']);
      const call: ApiCallRecord = {
        timestampMs,
        gateway: 'traefik',
        gatewayName: defaultGateway,
        consumer,
        consumerKind,
        clientAddress,
        route: lastRouter(text(clf.router)),
        upstreamService: serviceOf('', text(clf.serviceUrl)),
        method: clf.method,
        path: withoutQuery(clf.path),
        pathTemplate: '',
        status: clf.status === '-' ? 0 : Number(clf.status),
        durationMs: Number(clf.durationMs),
        upstreamMs: null,
        gatewayMs: null,
        bytesIn: 0,
        bytesOut: clf.size === '-' ? 0 : Number(clf.size),
        requestId: '',
        traceId: '',
      };
      return call;
    },
  };
}
