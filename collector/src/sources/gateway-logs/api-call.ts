/** Gateways whose access logs Plexus reads; each is one folder and one `POST /ingest/{format}`. */
export const GATEWAY_FORMATS = ['kong', 'envoy', 'istio', 'aws-apigateway', 'traefik'] as const;
export type GatewayFormat = (typeof GATEWAY_FORMATS)[number];

/** How the consumer of a call was identified, strongest first. */
export type ConsumerKind = 'consumer' | 'credential' | 'principal' | 'client_address' | '';

/** The first identity that is set (give them strongest first), else the client address, else none. */
export function consumerOf(clientAddress: string, ...identities: Array<readonly [string, ConsumerKind]>): [string, ConsumerKind] {
  for (const [id, kind] of identities) if (id) return [id, kind];
  return clientAddress ? [clientAddress, 'client_address'] : ['', ''];
}

/** One request through a gateway, normalised from any access-log format: one api_calls row. */
export interface ApiCallRecord {
  /** When the request started (or was logged, when the format has only that), ms since the epoch. */
  timestampMs: number;
  /** The log format it came from. */
  gateway: GatewayFormat;
  /** The gateway instance as a node of the map: Kong node hostname, Envoy/Istio workload, AWS API id, Traefik entry point; never empty. */
  gatewayName: string;
  /** Who called: Kong consumer username (or id), credential, AWS authorizer principal, else the client address. */
  consumer: string;
  consumerKind: ConsumerKind;
  clientAddress: string;
  /** The gateway's route: Kong route name or id, AWS route key, Traefik router name, Envoy route name; '' when unknown. */
  route: string;
  /** The service the gateway forwarded to, already mapped by the naming rule; '' when the request never reached one. */
  upstreamService: string;
  method: string;
  /** Raw request path without the query string. */
  path: string;
  /** A path template the gateway itself knows (AWS `GET /pets/{id}` route key); '' means Plexus templates `path`. */
  pathTemplate: string;
  /** HTTP status sent to the client; 0 when the log has none. */
  status: number;
  /** Total time at the gateway, ms. */
  durationMs: number;
  /** Time spent waiting for the upstream, ms; null when the format does not say. */
  upstreamMs: number | null;
  /** Time spent in the gateway itself (plugins, auth), ms; null when the format does not say. */
  gatewayMs: number | null;
  bytesIn: number;
  bytesOut: number;
  requestId: string;
  /** 32 lower-case hex digits from traceparent / x-b3-traceid / x-amzn-trace-id when present, else ''. */
  traceId: string;
}

/** A record that could not be read: where (1-based line, or array index for a JSON array body) and why. */
export interface LineReject {
  line: number;
  reason: string;
}

/** What one body or file produced: calls to keep and records rejected. */
export interface GatewayParseResult {
  calls: ApiCallRecord[];
  rejects: LineReject[];
}
