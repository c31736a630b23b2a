// Kong's http-log / file-log / tcp-log record (kong.log.serialize), as far as
// Plexus reads it. Every field may be missing or of another type in a given
// Kong version, so parse.ts reads each through the fields.ts readers.

/** Header values are strings, or arrays of strings when a header repeats. */
export type KongHeaders = Record<string, string | string[] | undefined>;

/** One http-log record (one request through Kong). */
export interface KongHttpLog {
  request?: { id?: string; method?: string; uri?: string; url?: string; size?: number; headers?: KongHeaders } | null;
  response?: { status?: number; size?: number; headers?: KongHeaders } | null;
  /** ms: `request` total, `proxy` waiting for the upstream (-1 when none), `kong` in Kong's own phases and plugins. */
  latencies?: { request?: number; proxy?: number; kong?: number; receive?: number } | null;
  /** Present only when an authentication plugin identified a consumer. */
  consumer?: { id?: string; username?: string; custom_id?: string } | null;
  /** The credential an authentication plugin accepted. */
  authenticated_entity?: { id?: string; consumer_id?: string } | null;
  service?: { name?: string; host?: string; id?: string } | null;
  route?: { name?: string; id?: string; paths?: string[] } | null;
  client_ip?: string;
  /** ms since the epoch. */
  started_at?: number;
  upstream_uri?: string;
  /** Kong 3.x: who produced the response, `upstream` when the service did. */
  source?: string;
  /** Balancer attempts; absent or empty when no upstream was tried. */
  tries?: unknown[];
}
