// Zipkin v2 spans as POST /api/v2/spans carries them (zipkin2-api.yaml). Every
// field is typed loosely on purpose: this is user data, and parse.ts says which
// field of which span is wrong instead of trusting the shape.

/** A network node: the host that recorded a span, or the other side of it. */
export interface ZipkinEndpoint {
  /** Lower-case label in the service graph; Envoy/Istio write `<app>.<namespace>`. */
  serviceName?: unknown;
  ipv4?: unknown;
  ipv6?: unknown;
  port?: unknown;
}

/** An event that explains latency, at a time in epoch microseconds. */
export interface ZipkinAnnotation {
  timestamp?: unknown;
  value?: unknown;
}

/** One Zipkin v2 span (JSON field names; the proto3 form is read into this shape too). */
export interface ZipkinSpan {
  /** 16 or 32 lower-hex characters. */
  traceId?: unknown;
  /** 16 lower-hex characters; absent on a root span. */
  parentId?: unknown;
  /** 16 lower-hex characters. */
  id?: unknown;
  /** CLIENT | SERVER | PRODUCER | CONSUMER; absent for a local span. */
  kind?: unknown;
  name?: unknown;
  /** Start, epoch microseconds; absent for late or incomplete data. */
  timestamp?: unknown;
  /** Microseconds; absent when unknown. */
  duration?: unknown;
  localEndpoint?: ZipkinEndpoint | null;
  remoteEndpoint?: ZipkinEndpoint | null;
  annotations?: ZipkinAnnotation[] | null;
  /** String values per the API; numbers and booleans are read as their text. */
  tags?: Record<string, unknown> | null;
  debug?: unknown;
  shared?: unknown;
}

/** Zipkin's span kinds and the OpenTelemetry kinds they become. */
export const ZIPKIN_KINDS = { CLIENT: 'Client', SERVER: 'Server', PRODUCER: 'Producer', CONSUMER: 'Consumer' } as const;
