import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../../../../test/fixtures.ts';
import { codeBlocks } from '../doc-samples.ts';
import { parseGatewayLog } from '../parse-gateway-log.ts';
import type { ApiCallRecord } from '../api-call.ts';
import { AWS_TEXT_REASON, AWS_XML_REASON } from './parse.ts';
import { DEFAULT_AWS_FIELDS } from './wire.ts';

const blocks = (file: string): string[] => codeBlocks(readFileSync(fixturePath(`gateway-logs/aws-apigateway/${file}`), 'utf8'));
const HTTP_DOC = blocks('awsdocs-http-api-logging.md');
const REST_DOC = blocks('awsdocs-set-up-logging.md');

// The docs give access-log format templates, not logged lines: a line is the
// template with each `$context` variable filled in, as API Gateway does.
const CONTEXT: Record<string, string> = {
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  extendedRequestId: 'BQGojGLxoAMFR_w=',
  'identity.sourceIp': '198.51.100.7',
  'identity.caller': '-',
  'identity.user': '-',
  requestTime: '21/Nov/2025:14:03:07 +0000',
  httpMethod: 'GET',
  routeKey: 'GET /pets/{id}',
  resourcePath: '/pets/{petId}',
  status: '200',
  protocol: 'HTTP/1.1',
  responseLength: '58',
};
// The docs break long templates with ` \` for reading; a real format is one line.
function logLine(template: string, context = CONTEXT): string {
  return template.replace(/ *\\\n\s*/g, ' ').replace(/\$context\.([A-Za-z.]+)/g, (_, name: string) => {
    const v = context[name];
    if (v === undefined) throw new Error(`no test value for $context.${name}`);
    return v;
  });
}
const T_REQUEST = Date.UTC(2025, 10, 21, 14, 3, 7);

test('the fixture pages hold the blocks this test classifies', () => {
  assert.equal(HTTP_DOC.length, 7);
  assert.equal(REST_DOC.length, 6);
  assert.match(HTTP_DOC[0]!, /"Version": "2012-10-17"/); // IAM policy
  assert.match(HTTP_DOC[1]!, /^aws logs create-log-group/); // CLI command, not a log
  assert.match(HTTP_DOC[2]!, /^aws apigatewayv2 update-stage/); // CLI command, not a log
  assert.match(REST_DOC[4]!, /"Version": "2012-10-17"/); // IAM policy
  assert.match(REST_DOC[5]!, /AWS::ApiGateway::Stage/); // CloudFormation, not a log
});

test('the defaults name the keys of the docs\' JSON examples', () => {
  const jsonKeys = (block: string) => Object.keys(JSON.parse(logLine(block)));
  const mapped = new Set(Object.values(DEFAULT_AWS_FIELDS).flat());
  // protocol has no ApiCallRecord field; every other key of both examples is mapped.
  assert.deepEqual(jsonKeys(HTTP_DOC[4]!).filter((k) => !mapped.has(k)), ['protocol']);
  assert.deepEqual(jsonKeys(REST_DOC[1]!).filter((k) => !mapped.has(k)), ['protocol']);
});

/** The call both pages' JSON examples log with CONTEXT: they differ only in the route's template. */
function docExampleCall(template: string): ApiCallRecord {
  return {
    timestampMs: T_REQUEST,
    gateway: 'aws-apigateway',
    gatewayName: 'aws-apigateway',
    consumer: '198.51.100.7',
    consumerKind: 'client_address',
    clientAddress: '198.51.100.7',
    route: `GET ${template}`,
    upstreamService: '',
    method: 'GET',
    // Neither example logs $context.path: the template stands in for the path.
    path: template,
    pathTemplate: template,
    status: 200,
    durationMs: 0,
    upstreamMs: null,
    gatewayMs: null,
    bytesIn: 0,
    bytesOut: 58,
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    traceId: '',
  };
}

test('HTTP API JSON example: route key gives route, template and (here redundant) method', () => {
  const r = parseGatewayLog('aws-apigateway', logLine(HTTP_DOC[4]!));
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.calls, [docExampleCall('/pets/{id}')]);
});

test('REST API JSON example: resource path as template, unset caller/user ("-") leave the client address as consumer', () => {
  const r = parseGatewayLog('aws-apigateway', logLine(REST_DOC[1]!));
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.calls, [docExampleCall('/pets/{petId}')]);
  const signed = parseGatewayLog('aws-apigateway', logLine(REST_DOC[1]!, { ...CONTEXT, 'identity.caller': 'AROAEXAMPLEID:alice' })).calls[0]!;
  assert.deepEqual([signed.consumer, signed.consumerKind], ['AROAEXAMPLEID:alice', 'principal']);
});

test('CLF, CSV and XML examples of both pages are rejected: only JSON names its fields', () => {
  const reasons = (block: string) => parseGatewayLog('aws-apigateway', logLine(block)).rejects;
  const text = [{ line: 1, reason: `line 1: ${AWS_TEXT_REASON}` }];
  assert.deepEqual(reasons(HTTP_DOC[3]!), text); // CLF
  assert.deepEqual(reasons(HTTP_DOC[6]!), text); // CSV
  assert.deepEqual(reasons(HTTP_DOC[5]!), [{ line: 1, reason: `line 1: ${AWS_XML_REASON}` }]);
  assert.deepEqual(reasons(REST_DOC[0]!), text); // CLF
  assert.deepEqual(reasons(REST_DOC[3]!), text); // CSV
  // The REST XML example has one line break without `\`: two lines, both XML.
  assert.deepEqual(reasons(REST_DOC[2]!), [{ line: 1, reason: `line 1: ${AWS_XML_REASON}` }, { line: 2, reason: `line 2: ${AWS_XML_REASON}` }]);
  // The CLI example's inline format is CLF as well.
  const inline = /"Format": "(.*)"}'/.exec(HTTP_DOC[2]!)![1]!.replaceAll('\\"', '"');
  assert.deepEqual(reasons(inline), text);
});

test('a template posted unfilled and an IAM policy posted by mistake are rejected with what is missing', () => {
  assert.deepEqual(parseGatewayLog('aws-apigateway', HTTP_DOC[4]!).rejects, [{ line: 1, reason: 'line 1: requestTime is not a time ("$context.requestTime")' }]);
  for (const policy of [HTTP_DOC[0]!, REST_DOC[4]!]) {
    assert.deepEqual(parseGatewayLog('aws-apigateway', policy).rejects, [{ line: 1, reason: 'line 1: no request method (httpMethod, or the method of routeKey)' }]);
  }
});

test('a user mapping over the defaults: renamed keys, nested dotted keys, epoch ms, X-Ray trace, API id, principal', () => {
  const line = JSON.stringify({
    rid: 'f1e2d3c4-0000-4000-8000-000000000001', ts: 1763733787123, verb: 'POST', route: 'POST /orders', path: '/orders?dry=1', status: 201,
    latency: '35', integration: { latency: '30' }, authorizer: { principalId: 'user-42' }, apiId: 'a1b2c3d4e5', xrayTraceId: '1-5759e988-bd862e3fe1be46a994272793',
    responseLength: '-', ip: '203.0.113.9',
  });
  const r = parseGatewayLog('aws-apigateway', line, { aws: { requestId: 'rid', timestampMs: 'ts', method: ['verb'], durationMs: 'latency', route: 'route' } });
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.calls[0], {
    timestampMs: 1763733787123,
    gateway: 'aws-apigateway',
    gatewayName: 'a1b2c3d4e5',
    consumer: 'user-42',
    consumerKind: 'principal',
    clientAddress: '203.0.113.9',
    route: 'POST /orders',
    upstreamService: '',
    method: 'POST',
    path: '/orders',
    pathTemplate: '/orders',
    status: 201,
    durationMs: 35,
    upstreamMs: 30,
    gatewayMs: null,
    bytesIn: 0,
    bytesOut: 0,
    requestId: 'f1e2d3c4-0000-4000-8000-000000000001',
    traceId: '5759e988bd862e3fe1be46a994272793',
  } satisfies ApiCallRecord);
});

test('AWS details: epoch seconds, flat dotted keys, method from the route key, ANY is no method, bad numbers named', () => {
  const base = { requestId: 'r', requestTimeEpoch: 1763733787, routeKey: 'DELETE /pets/{id}', status: '204', 'integration.latency': '7', apiKeyId: 'key-1' };
  const ok = parseGatewayLog('aws-apigateway', JSON.stringify(base)).calls[0]!;
  assert.deepEqual([ok.timestampMs, ok.method, ok.upstreamMs, ok.consumer, ok.consumerKind], [1763733787000, 'DELETE', 7, 'key-1', 'credential']);
  const body = [
    JSON.stringify({ ...base, routeKey: 'ANY /pets' }),
    JSON.stringify({ ...base, status: 'two hundred' }),
    JSON.stringify({ ...base, requestTimeEpoch: '-' }),
    JSON.stringify(base),
  ].join('\n');
  const r = parseGatewayLog('aws-apigateway', body);
  assert.equal(r.calls.length, 1);
  assert.deepEqual(r.rejects, [
    { line: 1, reason: 'line 1: no request method (httpMethod, or the method of routeKey)' },
    { line: 2, reason: 'line 2: status is not a number ("two hundred")' },
    { line: 3, reason: 'line 3: no request time (requestTimeEpoch or requestTime)' },
  ]);
});
