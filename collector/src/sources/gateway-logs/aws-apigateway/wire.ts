// API Gateway writes whatever JSON the stage's access-log format template
// says, so the keys are the user's. A mapping names, for each ApiCallRecord
// field (and the two identity fields it is derived from), the keys that may
// hold it; the first key present with a set value wins. A dotted key
// (`integration.latency`) is looked up as written first, then as a path into
// nested objects.

/** One key, or several tried in order. */
export type AwsKeys = string | readonly string[];

/** Which template keys hold each field; a field given here replaces the default's keys for that field. */
export interface AwsFieldMapping {
  /** `$context.requestTimeEpoch` (ms; a value below 1e11 is read as seconds) or `$context.requestTime` (CLF time, or ISO-8601). */
  timestampMs?: AwsKeys;
  /** `$context.httpMethod`; else the method of the route key. */
  method?: AwsKeys;
  /** `$context.routeKey` (HTTP APIs): `GET /pets/{id}` gives route, pathTemplate and, when missing, method. */
  route?: AwsKeys;
  /** `$context.resourcePath` (REST APIs): `/pets/{petId}`. */
  pathTemplate?: AwsKeys;
  /** `$context.path`; when absent the path template stands in for the raw path. */
  path?: AwsKeys;
  /** `$context.status` */
  status?: AwsKeys;
  /** `$context.identity.sourceIp` */
  clientAddress?: AwsKeys;
  /** The authorizer's principal (`$context.authorizer.principalId`) or the IAM caller/user: consumerKind `principal`. */
  principal?: AwsKeys;
  /** `$context.identity.apiKeyId`: consumerKind `credential` when there is no principal. */
  credential?: AwsKeys;
  /** Request size; API Gateway has no `$context` variable for it, so none by default. */
  bytesIn?: AwsKeys;
  /** `$context.responseLength` */
  bytesOut?: AwsKeys;
  /** `$context.responseLatency` (ms) */
  durationMs?: AwsKeys;
  /** `$context.integrationLatency` (REST) or `$context.integration.latency` (HTTP APIs), ms. */
  upstreamMs?: AwsKeys;
  /** `$context.requestId`, else `$context.extendedRequestId`. */
  requestId?: AwsKeys;
  /** `$context.xrayTraceId` */
  traceId?: AwsKeys;
  /** `$context.apiId`: the gateway node; the default gateway name when absent. */
  gatewayName?: AwsKeys;
  /** No `$context` variable names the integration; a template may hold a literal service name per stage. None by default. */
  upstreamService?: AwsKeys;
}

/** The keys of the JSON examples in the AWS documentation (and the usual names for the variables they leave out). */
export const DEFAULT_AWS_FIELDS: { readonly [K in keyof AwsFieldMapping]-?: readonly string[] } = {
  timestampMs: ['requestTimeEpoch', 'requestTime'],
  method: ['httpMethod'],
  route: ['routeKey'],
  pathTemplate: ['resourcePath'],
  path: ['path'],
  status: ['status'],
  clientAddress: ['ip', 'sourceIp'],
  principal: ['principalId', 'authorizer.principalId', 'caller', 'user'],
  credential: ['apiKeyId'],
  bytesIn: [],
  bytesOut: ['responseLength'],
  durationMs: ['responseLatency'],
  upstreamMs: ['integrationLatency', 'integration.latency'],
  requestId: ['requestId', 'extendedRequestId'],
  traceId: ['xrayTraceId'],
  gatewayName: ['apiId'],
  upstreamService: [],
};
