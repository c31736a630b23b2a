// Envoy's default text access-log format, and Istio's (Envoy's with response
// details, termination details and the transport failure after the flags, and
// cluster, addresses, SNI and route name at the end):
//
// Envoy: [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS%
//        %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%"
//        "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"
// Istio: [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS%
//        %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%"
//        %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%"
//        "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER%
//        %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%
//
// One anchored expression reads both: Istio's extra fields are optional groups.
import type { EnvoyAccessLog } from './wire.ts';

const DEFAULT_TEXT_FORMAT = new RegExp(
  [
    /^\[([^\]]+)\] "(\S+) (\S+) ([^"]+)" (\d+|-) (\S+)/.source,
    /(?: (\S+) (\S+) "([^"]*)")?/.source, // Istio: details, termination details, transport failure
    / (\d+|-) (\d+|-) (\d+|-) (\S+) "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)"/.source,
    /(?: (\S+) (\S+) (\S+) (\S+) (\S+)(?: (\S+))?)?$/.source, // Istio: cluster, addresses, SNI, route
  ].join(''),
);

/** The fields of a line in Envoy's or Istio's default text format, under Istio's JSON key names; null when the line is neither. */
export function parseDefaultTextFormat(line: string): EnvoyAccessLog | null {
  const m = DEFAULT_TEXT_FORMAT.exec(line);
  if (m === null) return null;
  return {
    start_time: m[1],
    method: m[2],
    path: m[3],
    protocol: m[4],
    response_code: m[5],
    response_flags: m[6],
    response_code_details: m[7],
    bytes_received: m[10],
    bytes_sent: m[11],
    duration: m[12],
    upstream_service_time: m[13],
    x_forwarded_for: m[14],
    request_id: m[16],
    authority: m[17],
    upstream_host: m[18],
    upstream_cluster: m[19],
    downstream_remote_address: m[22],
    route_name: m[24],
  };
}
