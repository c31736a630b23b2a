import { sql, join, type Sql } from './sql.ts';

/**
 * Logical attributes and the names different semantic-convention versions give
 * them, newest first. Spans are stored as sent; readers resolve aliases here.
 */
export const ATTRIBUTE_ALIASES = {
  httpStatusCode: ['http.response.status_code', 'http.status_code'],
  httpMethod: ['http.request.method', 'http.method'],
  httpRoute: ['http.route'],
  urlPath: ['url.path', 'http.target'],
  serverAddress: ['server.address', 'net.peer.name'],
  peerService: ['peer.service'],
  dbSystem: ['db.system', 'db.system.name'],
  messagingDestination: ['messaging.destination.name', 'messaging.destination'],
  messagingOperation: ['messaging.operation.type', 'messaging.operation'],
} as const satisfies Record<string, readonly string[]>;

export type LogicalAttribute = keyof typeof ATTRIBUTE_ALIASES;

/** SQL for the first non-empty alias of a span attribute ('' when none). */
export function spanAttr(name: LogicalAttribute, column: Sql = sql`SpanAttributes`): Sql {
  const picks = ATTRIBUTE_ALIASES[name].map((key) => sql`nullIf(${column}[${key}], '')`);
  return sql`coalesce(${join(picks)}, '')`;
}

/** Span kinds as written by Plexus and by older exporter versions. */
export const KIND_SPELLINGS = {
  SERVER: ['Server', 'SPAN_KIND_SERVER'],
  CLIENT: ['Client', 'SPAN_KIND_CLIENT'],
  PRODUCER: ['Producer', 'SPAN_KIND_PRODUCER'],
  CONSUMER: ['Consumer', 'SPAN_KIND_CONSUMER'],
} as const;

/** SQL mapping SpanKind to SERVER | CLIENT | PRODUCER | CONSUMER | OTHER. */
export function normalizedKind(): Sql {
  const arms = Object.entries(KIND_SPELLINGS).map(([kind, spellings]) => sql`SpanKind IN ${[...spellings]}, ${kind}`);
  return sql`multiIf(${join(arms)}, 'OTHER')`;
}

/** StatusCode spellings that mean status ERROR (as Trace.errorCount and the `status` filter read them). */
export const ERROR_STATUS_CODES: readonly string[] = ['Error', 'STATUS_CODE_ERROR'];

/** SQL true when a span is an error: status ERROR, or status unset and HTTP status >= 500. */
export function isError(): Sql {
  return sql`(StatusCode IN ${[...ERROR_STATUS_CODES]} OR (StatusCode IN ${['Unset', 'STATUS_CODE_UNSET', '']} AND toUInt16OrZero(${spanAttr('httpStatusCode')}) >= 500))`;
}

/** messaging.operation values that mean a consumer reads the message. */
export const CONSUMER_OPERATIONS = ['receive', 'process', 'deliver'];
