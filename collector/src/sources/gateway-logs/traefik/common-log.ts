// Traefik's default access-log format (`accessLog.format: common`), which
// extends CLF with the request count, router, service URL and duration:
// <ClientHost> - <ClientUsername> [<StartLocal>] "<RequestMethod> <RequestPath> <RequestProtocol>"
// <DownstreamStatus> <DownstreamContentSize> "<Referer>" "<User-Agent>" <RequestCount>
// "<RouterName>" "<ServiceURL>" <Duration in whole ms>ms
// It has no service name, only the URL the request went to, and no split of
// the duration, so it reads into a call with upstreamMs and gatewayMs null.

/** The fields of one Traefik common-format line. */
export interface TraefikCommonLine {
  clientHost: string;
  username: string;
  time: string;
  method: string;
  path: string;
  status: string;
  size: string;
  router: string;
  serviceUrl: string;
  durationMs: string;
}

const TRAEFIK_COMMON =
  /^(\S+) - (\S+) \[([^\]]+)\] "(\S+) (\S+) [^"]*" (\d+|-) (\d+|-) "[^"]*" "[^"]*" (?:\d+|-) "([^"]*)" "([^"]*)" (\d+)ms$/;

/** The fields of a Traefik common-format line, or null when the line is not one (plain CLF without router and duration included). */
export function parseTraefikCommon(line: string): TraefikCommonLine | null {
  const m = TRAEFIK_COMMON.exec(line);
  if (m === null) return null;
  return {
    clientHost: m[1]!,
    username: m[2]!,
    time: m[3]!,
    method: m[4]!,
    path: m[5]!,
    status: m[6]!,
    size: m[7]!,
    router: m[8]!,
    serviceUrl: m[9]!,
    durationMs: m[10]!,
  };
}
