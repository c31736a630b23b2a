// Attribute sets per semantic-convention generation, kept in one place so the trace builder
// never has to know which names a service's instrumentation uses.
import type { Attributes } from '@opentelemetry/api';
import type { SemconvStyle } from './landscape.ts';

export interface HttpExchange {
  method: string;
  route: string;
  path: string;
  host: string;
  port: number;
  scheme: 'http' | 'https';
}

/** Attributes of an HTTP SERVER span at its start. */
export function httpServerAttributes(style: SemconvStyle, x: HttpExchange): Attributes {
  if (style === 'legacy') {
    return { 'http.method': x.method, 'http.route': x.route, 'http.target': x.path, 'http.scheme': x.scheme, 'http.flavor': '1.1', 'net.host.name': x.host, 'net.host.port': x.port };
  }
  return { 'http.request.method': x.method, 'http.route': x.route, 'url.path': x.path, 'url.scheme': x.scheme, 'network.protocol.version': '1.1', 'server.address': x.host, 'server.port': x.port };
}

/** Attributes of an HTTP CLIENT span at its start. */
export function httpClientAttributes(style: SemconvStyle, x: HttpExchange): Attributes {
  const url = `${x.scheme}://${x.host}${x.port === 443 || x.port === 80 ? '' : `:${x.port}`}${x.path}`;
  if (style === 'legacy') {
    return { 'http.method': x.method, 'http.url': url, 'http.target': x.path, 'net.peer.name': x.host, 'net.peer.port': x.port };
  }
  return { 'http.request.method': x.method, 'url.full': url, 'url.path': x.path, 'url.template': x.route, 'server.address': x.host, 'server.port': x.port };
}

/** The status attribute (and `error.type` for failures) of an HTTP span once the response is known. */
export function httpStatusAttributes(style: SemconvStyle, status: number): Attributes {
  const name = style === 'legacy' ? 'http.status_code' : 'http.response.status_code';
  return status >= 500 ? { [name]: status, 'error.type': String(status) } : { [name]: status };
}

/** The address of a peer (database, broker) in the style of the calling service. */
export function peerAttributes(style: SemconvStyle, host: string, port: number): Attributes {
  return style === 'legacy' ? { 'net.peer.name': host, 'net.peer.port': port } : { 'server.address': host, 'server.port': port };
}

export interface MessagingExchange {
  topic: string;
  partition: number;
  key: string;
  group?: string;
  offset?: number;
}

/** Attributes of a Kafka PRODUCER (`send`) or CONSUMER (`process`) span. */
export function messagingAttributes(style: SemconvStyle, operation: 'send' | 'process', x: MessagingExchange): Attributes {
  const attributes: Attributes = {
    'messaging.system': 'kafka',
    'messaging.destination.name': x.topic,
    'messaging.operation.type': operation,
    'messaging.operation.name': operation,
    'messaging.destination.partition.id': String(x.partition),
    'messaging.kafka.message.key': x.key,
  };
  if (x.group !== undefined) attributes['messaging.consumer.group.name'] = x.group;
  if (x.offset !== undefined) attributes['messaging.kafka.offset'] = x.offset;
  if (style === 'legacy') {
    // Instrumentation in "dup" mode (OTEL_SEMCONV_STABILITY_OPT_IN=messaging/dup) emits both generations.
    attributes['messaging.operation'] = operation === 'send' ? 'publish' : 'process';
    attributes['messaging.destination'] = x.topic;
    if (x.group !== undefined) attributes['messaging.kafka.consumer.group'] = x.group;
  }
  return attributes;
}

const REASONS: Record<number, string> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

/** Reason phrase used as the span status message. */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? `HTTP ${status}`;
}
