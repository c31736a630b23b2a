// Traefik's JSON access log (`accessLog.format: json`), as far as Plexus
// reads it. Durations are nanoseconds; request headers appear as
// `request_<Canonical-Name>` when the header fields are kept.

/** One Traefik access-log record. */
export interface TraefikAccessLog {
  StartUTC?: string;
  StartLocal?: string;
  time?: string;
  ClientHost?: string;
  ClientAddr?: string;
  ClientUsername?: string;
  RequestMethod?: string;
  /** Path with the query string. */
  RequestPath?: string;
  RequestContentSize?: number;
  DownstreamStatus?: number;
  DownstreamContentSize?: number;
  OriginStatus?: number;
  /** ns, whole request. */
  Duration?: number;
  /** ns, waiting for the service. */
  OriginDuration?: number;
  /** ns, Traefik itself: Duration - OriginDuration. */
  Overhead?: number;
  /** One router, or a chain of them (`root@file -> leaf@file`); the last picked the service. */
  RouterName?: string;
  /** `<name>@<provider>`, e.g. `whoami@docker`. */
  ServiceName?: string;
  ServiceAddr?: string;
  /** Traefik v2 and later: `entryPointName`; the capitalised spelling is accepted too. */
  entryPointName?: string;
  EntryPointName?: string;
  'request_X-Request-Id'?: string;
  request_Traceparent?: string;
  request_B3?: string;
  'request_X-B3-Traceid'?: string;
  'request_X-Amzn-Trace-Id'?: string;
}
