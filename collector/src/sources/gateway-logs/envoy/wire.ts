// Envoy's and Istio's JSON access log, as far as Plexus reads it. The keys
// are whatever the operator's json_format names them; these are the names of
// Istio's default JSON format (`meshConfig.accessLogEncoding: JSON`) and of
// Envoy Gateway's default, which uses header-style keys (`:authority`,
// `x-request-id`). Numbers arrive as numbers or strings, unset values as null
// or '-'.

/** One access-log record of an HTTP request through Envoy. */
export interface EnvoyAccessLog {
  start_time?: string;
  method?: string;
  /** Istio: `path`; Envoy Gateway: `x-envoy-origin-path`; both `%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%`, query included. */
  path?: string;
  'x-envoy-origin-path'?: string;
  protocol?: string;
  response_code?: number | string;
  response_flags?: string;
  response_code_details?: string;
  bytes_received?: number | string;
  bytes_sent?: number | string;
  /** ms */
  duration?: number | string;
  /** ms, `%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%` */
  upstream_service_time?: number | string | null;
  'x-envoy-upstream-service-time'?: number | string | null;
  x_forwarded_for?: string | null;
  'x-forwarded-for'?: string | null;
  request_id?: string;
  'x-request-id'?: string;
  authority?: string;
  ':authority'?: string;
  /** The upstream endpoint; null or '-' when the request never reached one. */
  upstream_host?: string | null;
  /** Istio: `outbound|9080||details.default.svc.cluster.local`; Envoy Gateway: `httproute/<ns>/<name>/rule/<n>`. */
  upstream_cluster?: string | null;
  downstream_remote_address?: string;
  route_name?: string | null;
  traceparent?: string;
  b3?: string;
  'x-b3-traceid'?: string;
  x_b3_traceid?: string;
  'x-amzn-trace-id'?: string;
}
