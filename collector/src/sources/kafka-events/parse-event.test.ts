import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { parseEventMessage } from './parse-event.ts';
import { DEFAULT_EVENT_OPTIONS, type EventRow, type ParseEventOptions } from './event-row.ts';
import type { KafkaHeaderValue, KafkaMessage } from './message.ts';
import { fixturePath } from '../../../../test/fixtures.ts';

const CE_JSON = 'application/cloudevents+json';
const AT = 'topic "orders" partition 3 offset 42: ';
const fixture = (p: string): Buffer => readFileSync(fixturePath(`kafka/cloudevents/${p}`));

function message(over: Partial<KafkaMessage> = {}): KafkaMessage {
  return { topic: 'orders', partition: 3, offset: '42', timestamp: '1700000000123', key: null, value: null, headers: {}, ...over };
}

function parse(m: KafkaMessage, opts: Partial<ParseEventOptions> = {}): EventRow {
  const r = parseEventMessage(m, { ...DEFAULT_EVENT_OPTIONS, ...opts });
  if (!r.ok) assert.fail(r.reason);
  return r.row;
}

function reject(m: KafkaMessage): string {
  const r = parseEventMessage(m, DEFAULT_EVENT_OPTIONS);
  if (r.ok) assert.fail(`accepted: ${JSON.stringify(r.row)}`);
  return r.reason;
}

const structured = (file: string): KafkaMessage => message({ value: fixture(file), headers: { 'content-type': CE_JSON } });

// The CloudEvent attributes of a row, to compare one event's structured and binary forms.
const attributes = (r: EventRow) => ({
  contentType: r.contentType, ceId: r.ceId, ceSource: r.ceSource, ceType: r.ceType, ceSubject: r.ceSubject,
  ceSpecVersion: r.ceSpecVersion, ceTimeMs: r.ceTimeMs, ceDataSchema: r.ceDataSchema, extensions: r.extensions, producer: r.producer,
});

const SOURCE = 'http://localhost/source';
const T_2018 = Date.UTC(2018, 3, 26, 12, 48, 9); // 2018-04-26T14:48:09+02:00
const MIN = { contentType: '', ceId: '1', ceSource: SOURCE, ceType: 'mock.test', ceSubject: '', ceSpecVersion: '1.0', ceTimeMs: null, ceDataSchema: '', extensions: [], producer: SOURCE };
const FULL = { ...MIN, contentType: 'application/json', ceSubject: 'sub', ceTimeMs: T_2018, ceDataSchema: 'http://localhost/schema' };
const EXT: Array<[string, string]> = [['aboolean', 'true'], ['anumber', '10'], ['astring', 'aaa']];

// Expected attributes of every sdk-java fixture that is a valid event, written from reading each file.
const VALID: Record<string, ReturnType<typeof attributes>> = {
  'sdk-java-v1/min.json': MIN,
  'sdk-java-v1/min_subject_null.json': MIN,
  'sdk-java-v1/binary_attr.json': { ...MIN, extensions: [['binary', '4P8ARKo=']] },
  'sdk-java-v1/numeric_ext.json': { ...MIN, extensions: [['decimal', '42.42'], ['float', '4.2'], ['integer', '42'], ['long', '4200']] },
  'sdk-java-v1/json_data.json': FULL,
  'sdk-java-v1/base64_json_data.json': FULL,
  'sdk-java-v1/json_data_with_ext.json': { ...FULL, extensions: EXT },
  'sdk-java-v1/base64_json_data_with_ext.json': { ...FULL, extensions: EXT },
  'sdk-java-v1/json_data_with_fractional_time.json': { ...FULL, ceTimeMs: Date.UTC(2018, 3, 26, 14, 48, 9, 123) },
  'sdk-java-v1/text_data.json': { ...FULL, contentType: 'text/plain', ceDataSchema: '' },
  'sdk-java-v1/base64_text_data.json': { ...FULL, contentType: 'text/plain', ceDataSchema: '' },
  'sdk-java-v1/xml_data.json': { ...FULL, contentType: 'application/xml', ceDataSchema: '' },
  'sdk-java-v1/base64_xml_data.json': { ...FULL, contentType: 'application/xml', ceDataSchema: '' },
  'sdk-java-v03/min.json': { ...MIN, ceSpecVersion: '0.3' },
  'sdk-java-v03/json_data.json': { ...FULL, ceSpecVersion: '0.3' },
  'sdk-java-v03/base64_json_data.json': { ...FULL, ceSpecVersion: '0.3' },
};

for (const [file, expected] of Object.entries(VALID)) {
  test(`structured mode: ${file} parses with its attributes`, () => {
    const row = parse(structured(file));
    assert.deepEqual(attributes(row), expected);
    assert.equal(row.size, fixture(file).length);
    assert.equal(row.topic, 'orders');
    assert.equal(row.partition, 3);
    assert.equal(row.offset, '42');
    assert.equal(row.timestampMs, 1700000000123);
    assert.equal(row.payload, '');
  });
}

test('binary mode: each valid sdk-java event sent as ce_* headers gives the same attributes as structured mode', () => {
  for (const file of Object.keys(VALID)) {
    const event = JSON.parse(fixture(file).toString()) as Record<string, unknown>;
    const headers: Record<string, string> = {};
    for (const [name, v] of Object.entries(event)) {
      if (name === 'data' || name === 'data_base64' || v === null) continue;
      if (name === 'datacontenttype') headers['content-type'] = String(v);
      else headers[`ce_${name}`] = String(v);
    }
    const value = event.data_base64 !== undefined ? Buffer.from(String(event.data_base64), 'base64') : Buffer.from(JSON.stringify(event.data ?? ''));
    assert.deepEqual(attributes(parse(message({ headers, value }))), VALID[file], file);
  }
});

test('structured mode rejects the invalid sdk-java events, saying which attribute and why', () => {
  const S = `${AT}structured CloudEvent (${CE_JSON}): `;
  assert.equal(reject(structured('sdk-java-v1/fail_numeric_decimal.json')), `${S}attribute "decimal" is 42.42, not an Integer: CloudEvents has no fractional numbers (send it as a string)`);
  assert.equal(reject(structured('sdk-java-v1/fail_numeric_long.json')), `${S}attribute "long" is 4247483647, outside the Integer range -2147483648..2147483647`);
  assert.equal(reject(structured('sdk-java-v1/json_data_with_ext_invalid.json')), `${S}attribute "a_invalid_name": attribute names are lower-case letters a-z and digits 0-9 only`);
  // Attribute names MUST be lower-case (spec "Attribute Naming Convention"); sdk-java's builder refuses these too.
  assert.equal(reject(structured('sdk-java-v1/json_data_with_ext_upper_case.json')), `${S}attribute "aString": attribute names are lower-case letters a-z and digits 0-9 only`);
});

// The conformance YAML describes each event by its context attributes,
// extensions, transport extensions (other Kafka headers) and data; it is
// turned into the Kafka record each mode would carry.
interface ConformanceEvent {
  Mode?: string;
  ContextAttributes: Record<string, string> & { Extensions?: Record<string, string> };
  TransportExtensions?: Record<string, string>;
  Data?: string;
}

function conformance(file: string): ConformanceEvent[] {
  return parseAllDocuments(readFileSync(fixturePath(`kafka/cloudevents/conformance/${file}`), 'utf8'), { schema: 'failsafe' }).map((d) => d.toJS() as ConformanceEvent);
}

function asBinary(e: ConformanceEvent): KafkaMessage {
  const { Extensions, ...context } = e.ContextAttributes;
  const headers: Record<string, KafkaHeaderValue> = { ...e.TransportExtensions };
  for (const [name, v] of Object.entries({ ...context, ...Extensions })) {
    if (name === 'datacontenttype') headers['content-type'] = v;
    else headers[`ce_${name}`] = Buffer.from(v);
  }
  return message({ headers, value: e.Data === undefined ? null : Buffer.from(e.Data) });
}

function asStructured(e: ConformanceEvent): KafkaMessage {
  const { Extensions, ...context } = e.ContextAttributes;
  const json = /^application\/(?:[^;]*\+)?json\b/.test(context.datacontenttype ?? '');
  const event = { ...context, ...Extensions, ...(e.Data === undefined ? {} : { data: json ? JSON.parse(e.Data) : e.Data }) };
  return message({ headers: { ...e.TransportExtensions, 'content-type': `${CE_JSON}; charset=utf-8` }, value: Buffer.from(JSON.stringify(event)) });
}

test('conformance v1.yaml: the binary and the structured event carry the same attributes and extensions', () => {
  const docs = conformance('v1.yaml');
  assert.deepEqual(docs.map((d) => d.Mode), ['binary', 'structured']);
  const expected = {
    contentType: '', ceId: '4321-4321-4321', ceSource: '/mycontext/subcontext', ceType: 'com.example.someevent', ceSubject: '',
    ceSpecVersion: '1.0', ceTimeMs: Date.UTC(2018, 3, 5, 3, 56, 24), ceDataSchema: '',
    extensions: [['comexampleextension1', 'value'], ['comexampleextension2', '{"othervalue": 5}\n']], producer: '/mycontext/subcontext',
  };
  const binary = parse(asBinary(docs[0]!), { storePayload: true, maxPayloadBytes: 1024 });
  const structuredRow = parse(asStructured(docs[1]!));
  assert.deepEqual(attributes(binary), expected);
  assert.deepEqual(attributes(structuredRow), expected);
  // The user-agent transport extension is a plain header, not an attribute; the binary value is the data itself.
  assert.equal(binary.payload, '{"world":"hello"}\n');
  assert.equal(binary.size, 18);
});

test('conformance v1_minimum.yaml: six minimal events, text and JSON data, charsets and emoji, alike in both modes', () => {
  const docs = conformance('v1_minimum.yaml');
  assert.equal(docs.length, 6);
  const contentTypes = ['text/plain; charset=us-ascii', 'text/plain; charset=utf-8', ...Array(3).fill('application/json; charset=utf-8'), 'application/xml; charset=utf-8'];
  docs.forEach((doc, i) => {
    const expected = {
      contentType: contentTypes[i], ceId: `conformance-000${i + 1}`, ceSource: '//github.com/cloudevents/cloudeventsconformance/yaml/v1.yaml',
      ceType: 'io.cloudevents.minimum', ceSubject: '', ceSpecVersion: '1.0', ceTimeMs: null, ceDataSchema: '', extensions: [],
      producer: '//github.com/cloudevents/cloudeventsconformance/yaml/v1.yaml',
    };
    const binary = parse(asBinary(doc), { storePayload: true, maxPayloadBytes: 1024 });
    assert.deepEqual(attributes(binary), expected, `binary ${expected.ceId}`);
    assert.deepEqual(attributes(parse(asStructured(doc))), expected, `structured ${expected.ceId}`);
    assert.equal(binary.payload, doc.Data);
    assert.equal(binary.payloadEncoding, 'utf8');
    assert.equal(binary.size, Buffer.byteLength(doc.Data!));
  });
  assert.equal(parse(asBinary(docs[1]!), { storePayload: true, maxPayloadBytes: 1024 }).payload, 'Hello, 🌎!\n');
});

test('a plain record (no CloudEvent) is a valid event: key, content type, producer header and traceparent', () => {
  const row = parse(message({
    key: Buffer.from('customer-7'),
    value: Buffer.from('{"total":12}'),
    headers: { 'Content-Type': 'application/json', 'X-Service': Buffer.from('checkout'), traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
  }), { producerHeaders: ['producer', 'x-service'] });
  assert.deepEqual(row, {
    timestampMs: 1700000000123, topic: 'orders', partition: 3, offset: '42', key: 'customer-7', keyEncoding: 'utf8', size: 12,
    contentType: 'application/json', ceId: '', ceSource: '', ceType: '', ceSubject: '', ceSpecVersion: '', ceTimeMs: null, ceDataSchema: '',
    extensions: [], traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', producer: 'checkout',
    payload: '', payloadEncoding: '', payloadTruncated: false,
  });
});

test('keys: none, UTF-8 text, or base64 of bytes that are not UTF-8', () => {
  const none = parse(message());
  assert.deepEqual([none.key, none.keyEncoding, none.size], ['', '', 0]);
  const binary = parse(message({ key: Buffer.from([0xff, 0x00, 0xc3]) }));
  assert.deepEqual([binary.key, binary.keyEncoding], ['/wDD', 'base64']);
});

test('payloads are kept only when enabled, capped in bytes of the value and never cut inside a character', () => {
  const value = Buffer.from('héllo wörld'); // é and ö are two bytes each
  assert.deepEqual([parse(message({ value })).payload, parse(message({ value })).payloadEncoding], ['', '']);
  const whole = parse(message({ value }), { storePayload: true, maxPayloadBytes: 13 });
  assert.deepEqual([whole.payload, whole.payloadEncoding, whole.payloadTruncated, whole.size], ['héllo wörld', 'utf8', false, 13]);
  const five = parse(message({ value }), { storePayload: true, maxPayloadBytes: 5 });
  assert.deepEqual([five.payload, five.payloadTruncated], ['héll', true]);
  const two = parse(message({ value }), { storePayload: true, maxPayloadBytes: 2 });
  assert.deepEqual([two.payload, two.payloadTruncated], ['h', true]);
  const bytes = parse(message({ value: Buffer.from([1, 2, 0xff, 4, 5]) }), { storePayload: true, maxPayloadBytes: 3 });
  assert.deepEqual([bytes.payload, bytes.payloadEncoding, bytes.payloadTruncated], [Buffer.from([1, 2, 0xff]).toString('base64'), 'base64', true]);
});

test('trace context: the traceparent header first, then the CloudEvents distributed-tracing extension', () => {
  const TP_HEADER = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const TP_EXT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const ce = { ce_specversion: '1.0', ce_id: 'a', ce_source: '/s', ce_type: 't' };
  const ids = (headers: Record<string, KafkaHeaderValue>) => { const r = parse(message({ headers })); return [r.traceId, r.spanId]; };
  assert.deepEqual(ids({ ...ce, traceparent: TP_HEADER, ce_traceparent: TP_EXT }), ['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7']);
  assert.deepEqual(ids({ ...ce, ce_traceparent: TP_EXT }), ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331']);
  assert.deepEqual(ids({ ...ce, traceparent: 'garbage', ce_traceparent: TP_EXT }), ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331']);
  // Two traceparent headers are invalid (W3C Trace Context), so the record ties to no trace.
  assert.deepEqual(ids({ traceparent: [TP_HEADER, TP_EXT] }), ['', '']);
  const row = parse(message({ headers: { 'content-type': CE_JSON }, value: Buffer.from(JSON.stringify({ specversion: '1.0', id: 'a', source: '/s', type: 't', traceparent: TP_EXT })) }));
  assert.deepEqual([row.traceId, row.spanId, row.extensions], ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', [['traceparent', TP_EXT]]]);
});

test('producer: ce_source wins over a configured header; neither gives none', () => {
  const headers = { ce_specversion: '1.0', ce_id: 'a', ce_source: 'urn:svc:billing', ce_type: 't', producer: 'other' };
  assert.equal(parse(message({ headers }), { producerHeaders: ['producer'] }).producer, 'urn:svc:billing');
  assert.equal(parse(message({ headers: { producer: 'inventory' } }), { producerHeaders: ['producer'] }).producer, 'inventory');
  assert.equal(parse(message({ headers: { producer: 'inventory' } })).producer, '');
});

test('binary mode: a record with ce_* headers that is not a valid CloudEvent is rejected, naming the header', () => {
  const B = `${AT}binary-mode CloudEvent (ce_* headers): `;
  const ok = { ce_specversion: '1.0', ce_id: 'a', ce_source: '/s', ce_type: 't' };
  assert.equal(reject(message({ headers: { ce_specversion: '1.0', ce_source: '/s', ce_type: 't' } })), `${B}missing required header ce_id`);
  assert.equal(reject(message({ headers: { ce_id: 'a', ce_source: '/s', ce_type: 't' } })), `${B}missing required header ce_specversion`);
  assert.equal(reject(message({ headers: { ...ok, ce_specversion: '2.0' } })), `${B}header ce_specversion is "2.0"; the CloudEvents versions read here are 1.0 and 0.3`);
  assert.equal(reject(message({ headers: { ...ok, ce_type: '' } })), `${B}header ce_type must be a non-empty string, not ""`);
  assert.equal(reject(message({ headers: { ...ok, ce_type: ['t', 'u'] } })), `${B}header ce_type appears 2 times`);
  assert.equal(reject(message({ headers: { ...ok, ce_id: Buffer.from([0xc3, 0x28]) } })), `${B}header ce_id is not UTF-8 text`);
  assert.equal(reject(message({ headers: { ...ok, ce_time: '2018-04-05 03:56:24' } })), `${B}header ce_time "2018-04-05 03:56:24" is not an RFC 3339 date-time`);
  assert.equal(reject(message({ headers: { ...ok, ce_time: '2018-02-30T00:00:00Z' } })), `${B}header ce_time "2018-02-30T00:00:00Z" is not an RFC 3339 date-time (a field is out of range)`);
  assert.equal(reject(message({ headers: { ...ok, ce_traceParent: 'x' } })), `${B}header ce_traceParent: attribute names are lower-case letters a-z and digits 0-9 only`);
});

test('structured mode: values that are not a JSON event object are rejected with what is wrong', () => {
  const S = `${AT}structured CloudEvent (${CE_JSON}): `;
  const sm = (value: string | null, contentType = CE_JSON) => message({ headers: { 'content-type': contentType }, value: value === null ? null : Buffer.from(value) });
  assert.equal(reject(sm('not json')), `${S}the value is not JSON: ${jsonError('not json')}`);
  assert.equal(reject(sm(null)), `${S}the record has no value`);
  assert.equal(reject(sm('[{"specversion":"1.0"}]')), `${S}the value is a JSON array, not an event object`);
  assert.equal(reject(sm('"1.0"')), `${S}the value is the JSON string, not an event object`);
  assert.equal(reject(sm('{"specversion":"9000.1"}')), `${S}attribute "specversion" is "9000.1"; the CloudEvents versions read here are 1.0 and 0.3`);
  assert.equal(reject(sm('{"specversion":1.0,"id":"1","source":"/s","type":"t"}')), `${S}attribute "specversion" must be a string, not 1`);
  assert.equal(reject(sm('{"specversion":"1.0","id":"1","type":"t"}')), `${S}missing required attribute "source"`);
  assert.equal(reject(sm('{"specversion":"1.0","id":"1","source":"/s","type":"t","subject":7}')), `${S}attribute "subject" must be a string, not 7`);
  assert.equal(reject(sm('{"specversion":"1.0","id":"1","source":"/s","type":"t","ext":{"a":1}}')), `${S}attribute "ext" is an object; attribute values are strings, booleans or integers`);
  assert.equal(reject(sm('{"specversion":"1.0","id":"1","source":"/s","type":"t","data":{},"data_base64":"e30="}')), `${S}the event has both "data" and "data_base64"; the JSON format allows one`);
  assert.equal(reject(sm('{"specversion":"1.0","id":"1","source":"/s","type":"t","data_base64":"not base64!"}')), `${S}"data_base64" is not a base64 string`);
  assert.equal(reject(sm('{"specversion":"0.3","id":"1","source":"/s","type":"t","data_base64":"e30="}')), `${S}attribute "data_base64": attribute names are lower-case letters a-z and digits 0-9 only`);
  assert.equal(reject(sm('{}', 'application/cloudevents-batch+json')), `${AT}application/cloudevents-batch+json: the Kafka binding of CloudEvents has no batched mode`);
});

test('record coordinates that cannot be stored are rejected', () => {
  assert.equal(reject(message({ timestamp: '-1' })), `${AT}timestamp "-1" is not milliseconds since the epoch (1970-2299)`);
  assert.equal(reject(message({ offset: '18446744073709551616' })), 'topic "orders" partition 3 offset 18446744073709551616: offset is not an unsigned 64-bit integer');
});

test('another event format (application/cloudevents+avro) is read as binary mode, as the Kafka binding allows', () => {
  const row = parse(message({ headers: { 'content-type': 'application/cloudevents+avro', ce_specversion: '1.0', ce_id: 'a', ce_source: '/s', ce_type: 't' }, value: Buffer.from([0, 1]) }));
  assert.deepEqual([row.ceId, row.contentType], ['a', 'application/cloudevents+avro']);
  assert.equal(parse(message({ headers: { 'content-type': 'application/cloudevents+avro' } })).ceSpecVersion, '');
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a JSON error');
}
