import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseOtlpTraces, parseOtlpJson, parseOtlpObject, OtlpDecodeError, otlpTypes } from './parse.ts';
import { DEFAULT_SPAN_LIMITS as L } from '../../spans/span-record.ts';
import { fixturePath } from '../../../../test/fixtures.ts';

const fixture = (p: string) => readFileSync(fixturePath(`otlp/${p}`));

test('proto-examples trace.json: upper-case hex ids, string nanos, integer kind', () => {
  const { spans, rejects } = parseOtlpJson(fixture('proto-examples/trace.json').toString(), L);
  assert.deepEqual(rejects, []);
  assert.equal(spans.length, 1);
  const s = spans[0]!;
  assert.equal(s.traceId, '5b8efff798038103d269b633813fc60c');
  assert.equal(s.spanId, 'eee19b7ec3c1b174');
  assert.equal(s.parentSpanId, 'eee19b7ec3c1b173');
  assert.equal(s.kind, 'Server');
  assert.equal(s.serviceName, 'my.service');
  assert.equal(s.scopeName, 'my.library');
  assert.equal(s.scopeVersion, '1.0.0');
  assert.equal(s.startNs, 1544712660000000000n);
  assert.equal(s.endNs - s.startNs, 1_000_000_000n);
  assert.deepEqual(s.attributes, [['my.span.attr', 'some value']]);
  assert.equal(s.statusCode, 'Unset');
});

test('protobuf trace.pb and its JSON twin (base64 ids, enum names) decode to the same spans', () => {
  const pb = parseOtlpTraces(fixture('otlp2parquet/trace.pb'), 'protobuf', L);
  const js = parseOtlpTraces(fixture('otlp2parquet/trace.json'), 'json', L);
  assert.deepEqual(pb.rejects, []);
  assert.equal(pb.spans.length, 2);
  assert.deepEqual(js.spans, pb.spans);
  assert.ok(pb.spans.every((s) => s.serviceName === 'frontend-proxy'));
});

test('traces.pb holds the same 19 spans as traces.jsonl, across 8 services', () => {
  const pb = parseOtlpTraces(fixture('otlp2parquet/traces.pb'), 'protobuf', L);
  const lines = fixture('otlp2parquet/traces.jsonl').toString().split('\n').filter((l) => l.trim() !== '');
  const fromJsonl = lines.flatMap((line) => parseOtlpJson(line, L).spans);
  assert.equal(pb.spans.length, 19);
  assert.equal(fromJsonl.length, 19);
  const key = (s: { traceId: string; spanId: string }) => s.traceId + s.spanId;
  assert.deepEqual(new Set(pb.spans.map(key)), new Set(fromJsonl.map(key)));
  assert.equal(new Set(pb.spans.map((s) => s.serviceName)).size, 8);
});

test('jaeger fixture: no kind means Unspecified; status 2 is Error; typed attributes flatten to text', () => {
  const { spans, rejects } = parseOtlpJson(fixture('jaeger/otel_traces_01.json').toString(), L);
  assert.deepEqual(rejects, []);
  const s = spans[0]!;
  assert.equal(s.kind, 'Unspecified');
  assert.equal(s.statusCode, 'Error');
  assert.equal(s.links.length, 2);
  assert.ok(s.events.length >= 2);
  const attrs = new Map(s.attributes);
  assert.equal(attrs.get('peer.service'), 'service-y');
});

test('opentelemetry-rust fixture: root with empty parent, parent/child in one trace', () => {
  const { spans, rejects } = parseOtlpJson(fixture('opentelemetry-rust/traces.json').toString(), L);
  assert.deepEqual(rejects, []);
  const root = spans.find((s) => s.parentSpanId === '');
  assert.ok(root);
  assert.ok(spans.some((s) => s.parentSpanId === root.spanId));
});

test('collector-contrib YAML golden files read through the same walker', () => {
  const doc = parseYaml(fixture('collector-contrib-servicegraph/messaging-system-trace.yaml').toString());
  const { spans } = parseOtlpObject(doc, L);
  assert.deepEqual(spans.map((s) => [s.serviceName, s.kind, s.parentSpanId]), [
    ['foo-server', 'Client', ''],
    ['bar-requester', 'Server', 'a000000000000000'],
  ]);
});

test('invalid ids and kinds are rejected per span with the reason and where', () => {
  const b64 = parseOtlpJson(fixture('otlp2parquet/invalid/trace_invalid_base64.json').toString(), L);
  assert.equal(b64.spans.length, 0);
  assert.equal(b64.rejects.length, 1);
  assert.equal(b64.rejects[0]!.path, 'resourceSpans[0].scopeSpans[0].spans[0]');
  assert.match(b64.rejects[0]!.reason, /invalid traceId "!!!INVALID_BASE64!!!"/);
  const kind = parseOtlpJson(fixture('otlp2parquet/invalid/trace_invalid_kind.json').toString(), L);
  assert.match(kind.rejects[0]!.reason, /invalid kind "SPAN_KIND_INVALID_TYPE"/);
  const mixed = parseOtlpJson(fixture('otlp2parquet/invalid/trace_mixed_encoding.json').toString(), L);
  assert.match(mixed.rejects[0]!.reason, /invalid traceId "zzz"/);
});

test('undecodable bodies and other signals are decode errors', () => {
  assert.throws(() => parseOtlpJson(fixture('otlp2parquet/invalid/malformed.json').toString(), L), (e: unknown) => e instanceof OtlpDecodeError && /not valid JSON/.test(e.message));
  assert.throws(() => parseOtlpJson(fixture('proto-examples/logs.json').toString(), L), /OTLP logs export/);
  assert.throws(() => parseOtlpJson(fixture('proto-examples/metrics.json').toString(), L), /OTLP metrics export/);
  assert.throws(() => parseOtlpTraces(Buffer.from([0x0a, 0xff, 0xff, 0xff]), 'protobuf', L), OtlpDecodeError);
});

test('a bad span does not take its neighbours with it; end-before-start is rejected', () => {
  const good = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'ok', kind: 2, startTimeUnixNano: '2000', endTimeUnixNano: '3000' };
  const backwards = { ...good, spanId: 'b7ad6b7169203332', startTimeUnixNano: '3000', endTimeUnixNano: '2000' };
  const zeroId = { ...good, spanId: '0000000000000000' };
  const r = parseOtlpObject({ resourceSpans: [{ scopeSpans: [{ spans: [good, backwards, zeroId] }] }] }, L);
  assert.equal(r.spans.length, 1);
  assert.equal(r.spans[0]!.serviceName, 'unknown_service');
  assert.deepEqual(r.rejects.map((x) => x.path), ['resourceSpans[0].scopeSpans[0].spans[1]', 'resourceSpans[0].scopeSpans[0].spans[2]']);
  assert.match(r.rejects[0]!.reason, /before startTimeUnixNano/);
});

test('attribute limits truncate and drop, and count what they cut', () => {
  const attributes = Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: { stringValue: 'x'.repeat(20) } }));
  const span = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', startTimeUnixNano: '1', endTimeUnixNano: '2', attributes };
  const r = parseOtlpObject({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }, { ...L, maxAttributesPerSpan: 3, maxAttributeValueLength: 10 });
  assert.equal(r.spans[0]!.attributes.length, 3);
  assert.equal(r.spans[0]!.attributes[0]![1], 'x'.repeat(10));
  assert.equal(r.droppedAttributes, 2);
  assert.equal(r.truncatedValues, 3);
});

test('protobuf round trip through our schema keeps 64-bit nanos exact', () => {
  const start = 1760738064624180123n;
  const msg = otlpTypes.request.fromObject({
    resourceSpans: [{ scopeSpans: [{ spans: [{
      traceId: Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex'), spanId: Buffer.from('b7ad6b7169203331', 'hex'),
      kind: 5, startTimeUnixNano: start.toString(), endTimeUnixNano: (start + 7n).toString(), status: { code: 2, message: 'boom' },
    }] }] }],
  });
  const r = parseOtlpTraces(otlpTypes.request.encode(msg).finish(), 'protobuf', L);
  assert.equal(r.spans[0]!.startNs, start);
  assert.equal(r.spans[0]!.endNs - r.spans[0]!.startNs, 7n);
  assert.equal(r.spans[0]!.kind, 'Consumer');
  assert.equal(r.spans[0]!.statusCode, 'Error');
  assert.equal(r.spans[0]!.statusMessage, 'boom');
});

test('typed attributes decode the same from protobuf and JSON (protobufjs prototype defaults ignored)', () => {
  const attributes = [
    { key: 'int', value: { intValue: 500 } }, { key: 'str', value: { stringValue: 'x' } }, { key: 'bool', value: { boolValue: false } },
    { key: 'double', value: { doubleValue: 1.5 } }, { key: 'empty', value: { stringValue: '' } },
    { key: 'array', value: { arrayValue: { values: [{ intValue: 1 }, { stringValue: 'a' }] } } },
    { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: true } }] } } },
  ];
  const span = { traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), startTimeUnixNano: '5', endTimeUnixNano: '6', attributes };
  const pb = otlpTypes.request.encode(otlpTypes.request.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] })).finish();
  const json = { resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, traceId: '01'.repeat(16), spanId: '02'.repeat(8) }] }] }] };
  const want = [['int', '500'], ['str', 'x'], ['bool', 'false'], ['double', '1.5'], ['empty', ''], ['array', '["1","a"]'], ['map', '{"k":"true"}']];
  assert.deepEqual(parseOtlpTraces(pb, 'protobuf', L).spans[0]!.attributes, want);
  assert.deepEqual(parseOtlpObject(json, L).spans[0]!.attributes, want);
});
