import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { parseZipkinSpans, ZipkinDecodeError } from './parse.ts';
import { listOfSpansType } from './proto.ts';
import { DEFAULT_SPAN_LIMITS as L, type ParseResult, type SpanRecord } from '../../spans/span-record.ts';
import { fixturePath } from '../../../../test/fixtures.ts';

const fixture = (p: string) => readFileSync(fixturePath(`zipkin/${p}`));
const parse = (p: string) => parseZipkinSpans(fixture(p), 'json', L);
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

/** Counts per value of one field, for comparing whole files at a glance. */
function countBy(spans: SpanRecord[], key: (s: SpanRecord) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of spans) out[key(s)] = (out[key(s)] ?? 0) + 1;
  return out;
}
const byId = (r: ParseResult, id: string) => r.spans.find((s) => s.spanId === id) ?? assert.fail(`no span ${id}`);
const attr = (s: SpanRecord, key: string) => new Map(s.attributes).get(key);

/** A span as the mapping builds it, with the fields every Zipkin span shares defaulted. */
function span(fields: Partial<SpanRecord> & Pick<SpanRecord, 'traceId' | 'spanId' | 'name' | 'kind' | 'serviceName' | 'startNs' | 'endNs' | 'attributes'>): SpanRecord {
  return {
    parentSpanId: '', traceState: '', resourceAttributes: [['service.name', fields.serviceName]], scopeName: 'zipkin', scopeVersion: '',
    statusCode: 'Unset', statusMessage: '', events: [], links: [], ...fields,
  };
}

test('every Zipkin fixture has a test below', () => {
  const files = readdirSync(fixturePath('zipkin/'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).sort();
  assert.deepEqual(files, [
    'openzipkin/ascend.json', 'openzipkin/envoy.json', 'openzipkin/messaging-kafka.json', 'openzipkin/messaging.json', 'openzipkin/messaging2.json',
    'openzipkin/simple-db-p6.json', 'openzipkin/skew.json', 'openzipkin/smartthings-mobile-web-install.json', 'openzipkin/smartthings-oauth-authorization.json',
    'openzipkin/yelp.json', 'openzipkin/zipkin2-chinese.json', 'openzipkin/zipkin2-client.json', 'otel-collector-contrib/sample3.json', 'otel-collector-contrib/sample4.json',
  ]);
});

test('envoy.json: an Envoy SERVER span without a service name; the 64-bit trace id is padded; http.url gives url.full and url.path', () => {
  const r = parse('openzipkin/envoy.json');
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.spans, [span({
    traceId: '0000000000000000978883983d506fa5', spanId: '978883983d506fa5', name: 'localhost:10000', kind: 'Server', serviceName: 'unknown_service',
    startNs: 1570523661059232000n, endNs: 1570523661186347000n,
    attributes: [
      ['component', 'proxy'], ['downstream_cluster', '-'], ['guid:x-request-id', 'd709b78f-583e-988e-b581-25b72c63852d'], ['http.method', 'GET'],
      ['http.protocol', 'HTTP/1.1'], ['http.status_code', '200'], ['http.url', 'http://www.google.com/'], ['request_size', '0'], ['response_flags', '-'],
      ['response_size', '67342'], ['upstream_cluster', 'service_google'],
      ['user_agent', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/77.0.3865.90 Safari/537.36'],
      ['url.path', '/'], ['url.full', 'http://www.google.com/'], ['network.local.address', '169.254.65.45'], ['zipkin.shared', 'true'],
    ],
  })]);
  assert.equal(r.spans[0]!.endNs - r.spans[0]!.startNs, 127_115_000n, '127115 µs');
});

// envoy.json names no service, so the Istio naming is shown on its span with the
// local and remote endpoints Envoy writes inside a mesh (`<app>.<namespace>`).
const istio = (local: string, remote: string) => {
  const s = (JSON.parse(fixture('openzipkin/envoy.json').toString()) as Array<Record<string, any>>)[0]!;
  return json([{ ...s, kind: 'CLIENT', localEndpoint: { ...s.localEndpoint, serviceName: local }, remoteEndpoint: { serviceName: remote, port: 9080 } }]);
};

test('Envoy/Istio names: productpage.default is service productpage in namespace default; the remote service is named by the same rule', () => {
  const [s] = parseZipkinSpans(istio('productpage.default', 'reviews.default.svc.cluster.local:9080'), 'json', L).spans;
  assert.equal(s!.serviceName, 'productpage');
  assert.equal(s!.kind, 'Client');
  assert.deepEqual(s!.resourceAttributes, [['service.name', 'productpage'], ['service.namespace', 'default'], ['zipkin.service_name', 'productpage.default']]);
  assert.equal(attr(s!, 'peer.service'), 'reviews');
  assert.equal(attr(s!, 'network.peer.port'), '9080');

  const kept = parseZipkinSpans(istio('productpage.default', 'reviews.default'), 'json', L, { format: 'name.namespace', aliases: {} }).spans[0]!;
  assert.equal(kept.serviceName, 'productpage.default');
  assert.deepEqual(kept.resourceAttributes, [['service.name', 'productpage.default'], ['service.namespace', 'default']], 'the raw name is not repeated when it is the name');
  assert.equal(attr(kept, 'peer.service'), 'reviews.default');

  const aliased = parseZipkinSpans(istio('productpage-v1.default', 'reviews.default'), 'json', L, { format: 'name', aliases: { 'productpage-v1': 'productpage' } }).spans[0]!;
  assert.equal(aliased.serviceName, 'productpage');
});

test('zipkin2-client.json: a CLIENT span with a remote service, two annotations as events, and its endpoints as attributes', () => {
  const r = parse('openzipkin/zipkin2-client.json');
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.spans, [span({
    traceId: '4d1e00c0db9010db86154a4ba6e91385', spanId: '4d1e00c0db9010db', parentSpanId: '86154a4ba6e91385', name: 'get', kind: 'Client', serviceName: 'frontend',
    startNs: 1472470996199000000n, endNs: 1472470996406000000n,
    attributes: [
      ['http.path', '/api'], ['clnt/finagle.version', '6.45.0'], ['url.path', '/api'],
      ['peer.service', 'backend'], ['network.peer.address', '192.168.99.101'], ['network.peer.port', '9000'], ['network.local.address', '2001:db8::c001'],
    ],
    events: [{ timeNs: 1472470996238000000n, name: 'foo', attributes: [] }, { timeNs: 1472470996403000000n, name: 'bar', attributes: [] }],
  })]);
});

test('zipkin2-chinese.json: a lone span object; the error tag makes status Error with its text; non-ASCII names kept', () => {
  const r = parse('openzipkin/zipkin2-chinese.json');
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.spans, [span({
    traceId: '4d1e00c0db9010db86154a4ba6e91385', spanId: '4d1e00c0db9010db', parentSpanId: '86154a4ba6e91385', name: '个人信息查询', kind: 'Client', serviceName: '订单维护服务',
    startNs: 1472470996199000000n, endNs: 1472470996406000000n,
    attributes: [
      ['http.path', '/person/profile/query'], ['http.status_code', '403'], ['error', '此用户没有操作权限'], ['url.path', '/person/profile/query'],
      ['peer.service', '个人信息服务'], ['network.peer.address', '192.168.99.101'], ['network.peer.port', '9000'], ['network.local.address', '2001:db8::c001'],
    ],
    statusCode: 'Error', statusMessage: '此用户没有操作权限',
  })]);
});

test('sample3.json (OpenTelemetry receiver test data): otel.status_code/description become the status; no local service is unknown_service', () => {
  const r = parse('otel-collector-contrib/sample3.json');
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.spans, [span({
    traceId: '4d1e00c0db9010db86154a4ba6e91385', spanId: '4d1e00c0db9010db', parentSpanId: '86154a4ba6e91385', name: 'get', kind: 'Client', serviceName: 'unknown_service',
    startNs: 1472470996199000000n, endNs: 1472470996406000000n,
    attributes: [
      ['http.path', '/api'], ['clnt/finagle.version', '6.45.0'], ['url.path', '/api'],
      ['peer.service', 'backend'], ['network.peer.address', '192.168.99.101'], ['network.peer.port', '9000'], ['network.local.address', '7::0.128.128.127'],
    ],
    statusCode: 'Error', statusMessage: 'Something failed',
    events: [{ timeNs: 1472470996238000000n, name: 'foo', attributes: [] }, { timeNs: 1472470996403000000n, name: 'bar', attributes: [] }],
  })]);
});

test('sample4.json: an error tag with a message; a remote endpoint without a service gives no peer.service', () => {
  const r = parse('otel-collector-contrib/sample4.json');
  assert.deepEqual(r.rejects, []);
  const s = r.spans[0]!;
  assert.equal(r.spans.length, 1);
  assert.equal(s.statusCode, 'Error');
  assert.equal(s.statusMessage, 'Non-basic error message');
  assert.equal(attr(s, 'peer.service'), undefined);
  assert.deepEqual(s.attributes.slice(-3), [['network.peer.address', '192.168.99.101'], ['network.peer.port', '9000'], ['network.local.address', '7::0.128.128.127']]);
  assert.equal(s.events.length, 2);
});

test('skew.json: client and shared server halves of one RPC keep the one span id; a kind-less span is Internal', () => {
  const r = parse('openzipkin/skew.json');
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.spans.map((s) => [s.spanId, s.kind, s.serviceName, s.parentSpanId]), [
    ['43210ae0c10d1234', 'Internal', 'serviceb', '74280ae0c10d8062'],
    ['74280ae0c10d8062', 'Server', 'serviceb', 'bf396325699c84bf'],
    ['bf396325699c84bf', 'Server', 'servicea', ''],
    ['74280ae0c10d8062', 'Client', 'servicea', 'bf396325699c84bf'],
  ]);
  assert.deepEqual(r.spans[1], span({
    traceId: '00000000000000001e223ff1f80f1c69', spanId: '74280ae0c10d8062', parentSpanId: 'bf396325699c84bf', name: 'post', kind: 'Server', serviceName: 'serviceb',
    startNs: 1470150004008761000n, endNs: 1470150004102338000n,
    attributes: [['network.local.address', '192.0.0.0'], ['zipkin.shared', 'true']],
  }));
});

test('ascend.json: 8 spans in three services; the local port is kept', () => {
  const r = parse('openzipkin/ascend.json');
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(countBy(r.spans, (s) => s.kind), { Client: 3, Server: 3, Internal: 2 });
  assert.deepEqual(countBy(r.spans, (s) => s.serviceName), { 'mobile-gateway': 3, 'content-service': 3, 'auth-service': 2 });
  assert.deepEqual(new Set(r.spans.map((s) => s.traceId)), new Set(['0000000000000000ef86c83c0a05a6d6']));
  const auth = r.spans.find((s) => s.serviceName === 'auth-service' && s.kind === 'Server')!;
  assert.deepEqual(auth, span({
    traceId: '0000000000000000ef86c83c0a05a6d6', spanId: '52b1ab4956917c39', parentSpanId: 'ef86c83c0a05a6d6', name: 'http:/parent/auth-service/v1/authentications/',
    kind: 'Server', serviceName: 'auth-service', startNs: 1531282088553000000n, endNs: 1531282088557157000n,
    attributes: [
      ['http.host', 'auth-service-alp'], ['http.method', 'GET'], ['http.path', '/auth-service/v1/authentications/'],
      ['http.url', 'http://auth-service-alp/auth-service/v1/authentications/'], ['mvc.controller.class', 'AuthenticationController'],
      ['mvc.controller.method', 'authenticationsWithAuthorizationHeader'], ['spring.instance_id', 'bb52cfc01466:auth-service'],
      ['url.path', '/auth-service/v1/authentications/'], ['url.full', 'http://auth-service-alp/auth-service/v1/authentications/'],
      ['network.local.address', '172.17.0.9'], ['network.local.port', '8080'], ['zipkin.shared', 'true'],
    ],
  }));
});

test('messaging.json: RabbitMQ producer and consumer with the broker as peer.service; a 14 µs consumer span', () => {
  const r = parse('openzipkin/messaging.json');
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.spans.map((s) => [s.kind, s.serviceName, attr(s, 'peer.service') ?? '']), [
    ['Consumer', 'backend', 'rabbitmq'], ['Internal', 'backend', ''], ['Producer', 'frontend', 'rabbitmq'], ['Server', 'frontend', ''],
  ]);
  assert.deepEqual(r.spans[0], span({
    traceId: '5aab74dbb904746bb33447baae403ed6', spanId: 'e457b5a2e4d86bd1', parentSpanId: '05e3ac9a4f6e3b90', name: 'next-message', kind: 'Consumer', serviceName: 'backend',
    startNs: 1521186011929043000n, endNs: 1521186011929057000n,
    attributes: [['rabbit.exchange', ''], ['rabbit.queue', 'backend'], ['rabbit.routing_key', 'backend'], ['peer.service', 'rabbitmq'], ['network.local.address', '192.168.0.10']],
  }));
  assert.equal(attr(r.spans[3]!, 'network.peer.address'), '::1');
  assert.equal(attr(r.spans[3]!, 'network.peer.port'), '54602');
});

test('messaging2.json: 11 spans across four services, all accepted', () => {
  const r = parse('openzipkin/messaging2.json');
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(countBy(r.spans, (s) => s.kind), { Client: 4, Internal: 3, Server: 2, Producer: 1, Consumer: 1 });
  assert.deepEqual(countBy(r.spans, (s) => s.serviceName), { 'transfer-service': 5, 'mobile-gateway': 2, 'auth-service': 2, 'notification-service': 2 });
  const consumer = r.spans.find((s) => s.kind === 'Consumer')!;
  assert.equal(consumer.spanId, '3df9ceef91bbc777');
  assert.equal(consumer.endNs - consumer.startNs, 40_000n);
  assert.equal(byId(r, '693fb64c3cf75cf3').endNs - byId(r, '693fb64c3cf75cf3').startNs, 2_555_791_000n);
});

test('messaging-kafka.json: kafka.topic also gives messaging.destination.name; error tags (even empty) mark three spans Error', () => {
  const r = parse('openzipkin/messaging-kafka.json');
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(countBy(r.spans, (s) => s.kind), { Consumer: 7, Internal: 12, Producer: 9 });
  assert.deepEqual(countBy(r.spans, (s) => s.serviceName), { servicea: 22, serviceb: 6 });
  assert.deepEqual(countBy(r.spans, (s) => attr(s, 'messaging.destination.name') ?? '-'), { messages: 10, 'central.messages': 3, 'command-messages': 3, '-': 12 });
  assert.deepEqual(byId(r, '2e22a0564764943a'), span({
    traceId: '00000000000000000562809467078eab', spanId: '2e22a0564764943a', parentSpanId: '09fdf808ef0d60c0', name: 'send', kind: 'Producer', serviceName: 'servicea',
    startNs: 1541405397450652000n, endNs: 1541405397452123000n,
    attributes: [
      ['kafka.key', 'e1b2f8b5-dd1e-11e8-93d1-0050568b53f5'], ['kafka.topic', 'messages'],
      ['messaging.system', 'kafka'], ['messaging.destination.name', 'messages'], ['peer.service', 'kafka'],
    ],
  }));
  assert.deepEqual(r.spans.filter((s) => s.statusCode === 'Error').map((s) => [s.spanId, s.statusMessage]), [
    ['2f77d5b0b8e0de35', 'some error'], ['4a64a63e4b58e665', 'some error'], ['568b33e6af8a225a', ''],
  ]);
});

test('simple-db-p6.json: four database CLIENT spans named after the remote app_db', () => {
  const r = parse('openzipkin/simple-db-p6.json');
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(countBy(r.spans, (s) => `${s.kind} ${attr(s, 'peer.service') ?? ''}`), { 'Client app_db': 4, 'Server ': 1 });
  assert.deepEqual(r.spans[0], span({
    traceId: '000000000000000019f84f102048e047', spanId: '5d532ef6fed52445', parentSpanId: '19f84f102048e047', name: 'insert', kind: 'Client', serviceName: 'bootifulmeters',
    startNs: 1541485537488973000n, endNs: 1541485537491006000n,
    attributes: [['sql.query', 'insert into revinfo (rev, revtstmp) values (null, 1541485537483)'], ['peer.service', 'app_db'], ['network.local.address', '172.23.250.16']],
  }));
});

test('yelp.json: 16 spans; a host-like remote name is cut by the naming rule; the annotated span has its event', () => {
  const r = parse('openzipkin/yelp.json');
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(countBy(r.spans, (s) => s.kind), { Client: 11, Server: 4, Internal: 1 });
  assert.deepEqual(countBy(r.spans, (s) => s.serviceName), { mobile_api: 5, spectre: 1, 'yelp-main': 7, 'yelp_main/api_proxy': 1, unknown: 1, routing: 1 });
  assert.deepEqual([...new Set(r.spans.map((s) => attr(s, 'peer.service')).filter(Boolean))].sort(), ['blt', 'memcache', 'mobile_api', 'mysql', 'spectre', 'yelp-main']);
  const proxy = byId(r, '668ed78ad94b35a1');
  assert.equal(proxy.serviceName, 'yelp_main/api_proxy');
  assert.equal(proxy.kind, 'Server');
  assert.equal(proxy.endNs - proxy.startNs, 88_935_000n);
  assert.deepEqual(proxy.events, [{ timeNs: 1571896375355436000n, name: 'py_zipkin.logging_end', attributes: [] }]);
  assert.equal(proxy.attributes.length, 23, '21 tags, the local port and zipkin.shared');
  assert.equal(attr(proxy, 'network.local.port'), '31523');
});

test('smartthings-oauth-authorization.json: 175 spans; error tags hold the HTTP status; annotations are events', () => {
  const r = parse('openzipkin/smartthings-oauth-authorization.json');
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(countBy(r.spans, (s) => s.kind), { Client: 95, Server: 77, Internal: 3 });
  assert.deepEqual(countBy(r.spans, (s) => s.serviceName), { auth: 73, datamgmt: 65, pusher: 11, paperboy: 1, dove: 1, bouncer: 2, account: 5, stlogin: 17 });
  assert.equal(r.spans.reduce((n, s) => n + s.events.length, 0), 9);
  const failed = r.spans.filter((s) => s.statusCode === 'Error');
  assert.deepEqual(failed.map((s) => [s.spanId, s.kind, s.serviceName, s.statusMessage]), [
    ['c47bff7f7964b321', 'Server', 'auth', '401'], ['c47bff7f7964b321', 'Client', 'stlogin', '401'],
  ]);
  assert.deepEqual(byId(r, '5f35e80a5a50fdca'), span({
    traceId: '00000000000000008ce82b2e9ed820ba', spanId: '5f35e80a5a50fdca', parentSpanId: 'd645461738ed0e17', name: 'post /events', kind: 'Client', serviceName: 'pusher',
    startNs: 1543334725564984000n, endNs: 1543334725567497000n,
    attributes: [
      ['http.url', 'http://archiver.st.internal/events'], ['url.path', '/events'], ['url.full', 'http://archiver.st.internal/events'],
      ['network.local.address', '10.0.0.187'], ['network.local.port', '8197'],
    ],
    events: ['Body Part Received', 'Headers Received', 'Status Received'].map((name) => ({ timeNs: 1543334725567000000n, name, attributes: [] })),
  }));
});

test('smartthings-mobile-web-install.json: the 84 spans without a timestamp are rejected, the other 957 kept; stLogin is named stlogin', () => {
  const r = parse('openzipkin/smartthings-mobile-web-install.json');
  const raw = JSON.parse(fixture('openzipkin/smartthings-mobile-web-install.json').toString()) as Array<{ timestamp?: number }>;
  const untimed = raw.flatMap((s, i) => (s.timestamp === undefined ? [`spans[${i}]`] : []));
  assert.equal(untimed.length, 84);
  assert.deepEqual(r.rejects.map((x) => x.path), untimed);
  assert.ok(r.rejects.every((x) => x.reason.startsWith('no timestamp: ')), r.rejects[0]?.reason);
  assert.equal(r.spans.length, 957);
  assert.deepEqual(countBy(r.spans, (s) => s.kind), { Client: 628, Server: 326, Internal: 3 });
  assert.equal(r.spans.reduce((n, s) => n + s.events.length, 0), 92);
  const login = byId(r, 'c72e2e52c3cdcb92');
  assert.equal(login.serviceName, 'stlogin');
  assert.deepEqual(login.resourceAttributes, [['service.name', 'stlogin'], ['zipkin.service_name', 'stLogin']]);
  assert.equal(login.endNs - login.startNs, 117_216_000n);
  const notFound = r.spans.filter((s) => s.statusCode === 'Error');
  assert.deepEqual(notFound.map((s) => [s.serviceName, s.kind, s.statusMessage, attr(s, 'http.status_code')]), [
    ['alice', 'Server', '404', '404'], ['execution', 'Client', '404', '404'],
  ]);
});

// ---- proto3: the same spans, binary

function ipBytes(ip: string): Uint8Array {
  if (ip.includes('.')) return Uint8Array.from(ip.split('.').map(Number));
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return Uint8Array.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 255]));
}

/** Encodes JSON spans as zipkin2 ListOfSpans with protobufjs, as a proto3 reporter would. */
function toProto(spans: Array<Record<string, any>>): Uint8Array {
  const kinds: Record<string, number> = { CLIENT: 1, SERVER: 2, PRODUCER: 3, CONSUMER: 4 };
  const ep = (e: any) => e && { serviceName: e.serviceName, ipv4: e.ipv4 && ipBytes(e.ipv4), ipv6: e.ipv6 && ipBytes(e.ipv6), port: e.port };
  const msg = listOfSpansType.fromObject({
    spans: spans.map((s) => ({
      traceId: Buffer.from(s.traceId, 'hex'), parentId: s.parentId && Buffer.from(s.parentId, 'hex'), id: Buffer.from(s.id, 'hex'),
      kind: kinds[s.kind] ?? 0, name: s.name, timestamp: s.timestamp, duration: s.duration, localEndpoint: ep(s.localEndpoint), remoteEndpoint: ep(s.remoteEndpoint),
      annotations: s.annotations, tags: s.tags, shared: s.shared, debug: s.debug,
    })),
  });
  return listOfSpansType.encode(msg).finish();
}

test('proto3 ListOfSpans: ascend.json and zipkin2-client.json decode to exactly the spans their JSON gives', () => {
  for (const file of ['openzipkin/ascend.json', 'openzipkin/zipkin2-client.json']) {
    const doc = JSON.parse(fixture(file).toString());
    const list = Array.isArray(doc) ? doc : [doc];
    const fromProto = parseZipkinSpans(toProto(list), 'protobuf', L);
    assert.deepEqual(fromProto.rejects, []);
    assert.deepEqual(fromProto.spans, parse(file).spans, file);
  }
});

test('proto3: a body that is not a ListOfSpans is unreadable as a whole', () => {
  assert.throws(() => parseZipkinSpans(Uint8Array.from([0x0a, 0xff, 0xff, 0xff]), 'protobuf', L), ZipkinDecodeError);
});

// ---- what is rejected, and why

const good = { traceId: '0af7651916cd43dd8448eb211c80319c', id: 'b7ad6b7169203331', name: 'get', timestamp: 1_700_000_000_000_000, duration: 1500, localEndpoint: { serviceName: 'web' } };

test('bad spans are rejected one by one with the field and the reason; the good ones in the same body are kept', () => {
  const r = parseZipkinSpans(json([
    good,
    { ...good, traceId: 'xyz' },
    { ...good, traceId: '0af7651916cd43dd8448eb211c8031' },
    { ...good, id: '0AF7651916CD43DD' },
    { ...good, id: 'b7ad6b71' },
    { ...good, parentId: 'nope' },
    { ...good, timestamp: undefined },
    { ...good, timestamp: 1.5 },
    { ...good, duration: -1 },
    { ...good, kind: 'INTERNAL' },
    { ...good, kind: 'toString' },
    { ...good, tags: { 'http.status_code': { code: 200 } } },
    { ...good, annotations: [{ value: 'cs' }] },
    { ...good, localEndpoint: { serviceName: 'web', port: 70000 } },
    { ...good, traceId: '0000000000000000', id: 'b7ad6b7169203332' },
    'span',
  ]), 'json', L);
  assert.deepEqual(r.spans.map((s) => s.spanId), ['b7ad6b7169203331', '0af7651916cd43dd']);
  assert.deepEqual(r.rejects, [
    { path: 'spans[1]', reason: 'traceId "xyz" must be 16 or 32 hex characters' },
    { path: 'spans[2]', reason: 'traceId "0af7651916cd43dd8448eb211c8031" must be 16 or 32 hex characters' },
    { path: 'spans[4]', reason: 'id "b7ad6b71" must be 16 hex characters' },
    { path: 'spans[5]', reason: 'parentId "nope" must be 16 hex characters or absent' },
    { path: 'spans[6]', reason: 'no timestamp: Zipkin allows one for late or incomplete data, but a stored span needs its start time (report the span once it has started)' },
    { path: 'spans[7]', reason: 'timestamp 1.5 must be a positive integer (epoch microseconds)' },
    { path: 'spans[8]', reason: 'duration -1 must be a non-negative integer (microseconds)' },
    { path: 'spans[9]', reason: 'kind "INTERNAL" must be CLIENT, SERVER, PRODUCER, CONSUMER or absent' },
    { path: 'spans[10]', reason: 'kind "toString" must be CLIENT, SERVER, PRODUCER, CONSUMER or absent' },
    { path: 'spans[11]', reason: 'tags.http.status_code {"code":200} must be a string' },
    { path: 'spans[12]', reason: 'annotations[0].timestamp undefined must be a positive integer (epoch microseconds)' },
    { path: 'spans[13]', reason: 'localEndpoint.port 70000 must be a port number (1-65535)' },
    { path: 'spans[14]', reason: 'invalid traceId "00000000000000000000000000000000": need 16 non-zero bytes' },
    { path: 'spans[15]', reason: 'a span must be a JSON object' },
  ]);
  assert.equal(r.spans[1]!.spanId, '0af7651916cd43dd', 'upper-case hex is lower-cased');
});

test('a span that names itself or all zeros as parent is a root; shared/debug appear only when true; numbers in tags are text', () => {
  const r = parseZipkinSpans(json([
    { ...good, parentId: good.id, shared: false, debug: true, tags: { retries: 2, cached: false } },
    { ...good, id: 'b7ad6b7169203332', parentId: '0000000000000000' },
  ]), 'json', L);
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.spans.map((s) => s.parentSpanId), ['', '']);
  assert.deepEqual(r.spans[0]!.attributes, [['retries', '2'], ['cached', 'false'], ['zipkin.debug', 'true']]);
  assert.equal(r.spans[0]!.kind, 'Internal');
  assert.equal(r.spans[0]!.endNs - r.spans[0]!.startNs, 1_500_000n);
});

test('otel.* tags become the scope, trace state and status; error "true" is Error without a message; http 500 alone stays Unset', () => {
  const r = parseZipkinSpans(json([
    { ...good, tags: { 'otel.scope.name': 'io.opentelemetry.okhttp', 'otel.scope.version': '1.2.0', 'w3c.tracestate': 'rojo=00f067aa0ba902b7', 'otel.status_code': 'OK', x: 'y' } },
    { ...good, tags: { error: 'true' } },
    { ...good, tags: { 'http.status_code': '503' } },
    { ...good, tags: { 'otel.status_code': 'BROKEN', 'otel.status_description': 'n/a' } },
  ]), 'json', L);
  const [scoped, failed, http503, unknown] = r.spans;
  assert.deepEqual([scoped!.scopeName, scoped!.scopeVersion, scoped!.traceState, scoped!.statusCode, scoped!.attributes], ['io.opentelemetry.okhttp', '1.2.0', 'rojo=00f067aa0ba902b7', 'Ok', [['x', 'y']]]);
  assert.deepEqual([failed!.statusCode, failed!.statusMessage], ['Error', '']);
  assert.deepEqual([http503!.statusCode, http503!.scopeName], ['Unset', 'zipkin']);
  assert.deepEqual([unknown!.statusCode, unknown!.attributes], ['Unset', [['otel.status_code', 'BROKEN'], ['otel.status_description', 'n/a']]]);
});

test('limits: spans over the per-request limit are rejected; long tag values are truncated and counted', () => {
  const limits = { maxAttributesPerSpan: 2, maxAttributeValueLength: 4, maxSpansPerRequest: 1 };
  const r = parseZipkinSpans(json([{ ...good, tags: { a: 'abcdefgh', b: 'b', c: 'c' } }, good]), 'json', limits);
  assert.deepEqual(r.spans[0]!.attributes, [['a', 'abcd'], ['b', 'b']]);
  assert.deepEqual(r.rejects, [{ path: 'spans[1]', reason: 'over the limit of 1 spans per request' }]);
  assert.equal(r.truncatedValues, 1);
  assert.equal(r.droppedAttributes, 1);
});

test('an unreadable body is one ZipkinDecodeError, not per-span rejects', () => {
  assert.throws(() => parseZipkinSpans(new TextEncoder().encode('[{"traceId": '), 'json', L), (e: Error) => e instanceof ZipkinDecodeError && /not valid JSON/.test(e.message));
  assert.throws(() => parseZipkinSpans(new TextEncoder().encode('  '), 'json', L), /body is empty/);
  assert.throws(() => parseZipkinSpans(new TextEncoder().encode('42'), 'json', L), /must be a JSON array/);
  assert.deepEqual(parseZipkinSpans(new TextEncoder().encode('[]'), 'json', L).spans, []);
});
