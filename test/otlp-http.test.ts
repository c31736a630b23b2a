// OTLP/HTTP answers as the specification requires, over real HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { otlpTypes, parseOtlpTraces, DEFAULT_SPAN_LIMITS } from '@plexus/collector';
import { startTestPlexus, postOtlpJson, type TestPlexus } from './harness.ts';
import { fixturePath } from './fixtures.ts';

let px: TestPlexus;
before(async () => {
  px = await startTestPlexus({ PLEXUS_RETENTION_DAYS: '3650' });
});
after(async () => {
  await px?.close();
});

const fixture = (p: string) => readFileSync(fixturePath(`otlp/${p}`));

async function post(body: Uint8Array | string, headers: Record<string, string>) {
  // Node accepts any Uint8Array as a body; the DOM typings are narrower.
  const init = body as unknown as BodyInit;
  const res = await fetch(`${px.otlpUrl}/v1/traces`, { method: "POST", headers, body: init });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}
const decodeResponse = (b: Uint8Array) => otlpTypes.response.toObject(otlpTypes.response.decode(b), { longs: Number }) as { partialSuccess?: { rejectedSpans?: number; errorMessage?: string } };
const decodeStatus = (b: Uint8Array) => otlpTypes.rpcStatus.toObject(otlpTypes.rpcStatus.decode(b)) as { code: number; message: string };

const TRACE = `query($id: ID!) { trace(id: $id) { id spanCount services spans { spanId parentSpanId missingParent name service kind durationMs status attributes { key value } } } }`;

test('protobuf fixture: 200 with an empty ExportTraceServiceResponse, and every span comes back from trace()', async () => {
  const body = fixture('otlp2parquet/traces.pb');
  const r = await post(body, { 'content-type': 'application/x-protobuf' });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/x-protobuf');
  assert.deepEqual(decodeResponse(r.bytes), {});
  // truth: what the fixture holds, decoded independently of the server
  const expected = parseOtlpTraces(body, 'protobuf', DEFAULT_SPAN_LIMITS).spans;
  const traceIds = [...new Set(expected.map((s) => s.traceId))];
  let seen = 0;
  for (const id of traceIds) {
    const want = expected.filter((s) => s.traceId === id);
    const { trace } = await px.gql(TRACE, { id });
    assert.equal(trace.spanCount, want.length, `trace ${id}`);
    for (const w of want) {
      const got = trace.spans.find((s: { spanId: string }) => s.spanId === w.spanId);
      assert.ok(got, `span ${w.spanId}`);
      assert.equal(got.name, w.name);
      assert.equal(got.service, w.serviceName);
      assert.equal(got.parentSpanId, w.parentSpanId);
      assert.equal(got.durationMs, Number(w.endNs - w.startNs) / 1e6);
      assert.equal(got.kind, w.kind.toUpperCase());
      assert.deepEqual(got.attributes, w.attributes.map(([key, value]) => ({ key, value })).sort((a, b) => a.key.localeCompare(b.key)));
      seen++;
    }
  }
  assert.equal(seen, 19);
});

test('gzip JSON is accepted; an unknown trace id is null', async () => {
  const r = await post(gzipSync(fixture('proto-examples/trace.json')), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
  assert.equal(r.status, 200);
  const { trace } = await px.gql(TRACE, { id: '5B8EFFF798038103D269B633813FC60C' });
  assert.equal(trace.spans[0].name, "I'm a server span");
  assert.equal(trace.spans[0].missingParent, true, 'its parent eee19b7ec3c1b173 was never sent');
  assert.equal((await px.gql(TRACE, { id: 'ffffffffffffffffffffffffffffffff' })).trace, null);
});

test('partial success (JSON): bad spans are named and counted, the rest are kept', async () => {
  const good = JSON.parse(fixture('otlp2parquet/trace.json').toString());
  const badKind = JSON.parse(fixture('otlp2parquet/invalid/trace_invalid_kind.json').toString());
  const r = await postOtlpJson(px.otlpUrl, { resourceSpans: [...good.resourceSpans, ...badKind.resourceSpans] });
  assert.equal(r.status, 200);
  assert.equal(r.body.partialSuccess.rejectedSpans, '1');
  assert.match(r.body.partialSuccess.errorMessage, /resourceSpans\[1\]\.scopeSpans\[0\]\.spans\[0\]: invalid kind "SPAN_KIND_INVALID_TYPE"/);
  const kept = parseOtlpTraces(fixture('otlp2parquet/trace.json'), 'json', DEFAULT_SPAN_LIMITS).spans;
  const { trace } = await px.gql(TRACE, { id: kept[0]!.traceId });
  assert.equal(trace.spanCount, 2);
});

test('partial success (protobuf): a span ending before it starts is rejected, its sibling kept', async () => {
  const span = (id: string, start: bigint, end: bigint) => ({ traceId: Buffer.from('11'.repeat(16), 'hex'), spanId: Buffer.from(id, 'hex'), name: 'op', kind: 2, startTimeUnixNano: start.toString(), endTimeUnixNano: end.toString() });
  const now = BigInt(Date.now()) * 1_000_000n;
  const msg = otlpTypes.request.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [span('a1a1a1a1a1a1a1a1', now, now + 5n), span('b2b2b2b2b2b2b2b2', now, now - 5n)] }] }] });
  const r = await post(otlpTypes.request.encode(msg).finish(), { 'content-type': 'application/x-protobuf' });
  assert.equal(r.status, 200);
  const res = decodeResponse(r.bytes);
  assert.equal(res.partialSuccess?.rejectedSpans, 1);
  assert.match(res.partialSuccess?.errorMessage ?? '', /spans\[1\]: endTimeUnixNano .* is before startTimeUnixNano/);
  assert.equal((await px.gql(TRACE, { id: '11'.repeat(16) })).trace.spanCount, 1);
});

test('400 for an undecodable body, with a Status in the request\'s encoding', async () => {
  const json = await post(fixture('otlp2parquet/invalid/malformed.json'), { 'content-type': 'application/json' });
  assert.equal(json.status, 400);
  assert.match(JSON.parse(Buffer.from(json.bytes).toString()).message, /not valid JSON/);
  const pb = await post(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]), { 'content-type': 'application/x-protobuf' });
  assert.equal(pb.status, 400);
  assert.match(decodeStatus(pb.bytes).message, /not a protobuf ExportTraceServiceRequest/);
  const logs = await post(fixture('proto-examples/logs.json'), { 'content-type': 'application/json' });
  assert.equal(logs.status, 400);
  assert.match(Buffer.from(logs.bytes).toString(), /OTLP logs export/);
});

test('415 for other content types and encodings', async () => {
  assert.equal((await post('hello', { 'content-type': 'text/plain' })).status, 415);
  assert.equal((await post('{}', { 'content-type': 'application/json', 'content-encoding': 'br' })).status, 415);
});

test('413 over the size limit, enforced while inflating (a gzip bomb stops early)', async () => {
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
  assert.ok(bomb.length < 1024 * 1024, 'the bomb is small on the wire');
  const r = await post(bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
  assert.equal(r.status, 413);
  assert.match(Buffer.from(r.bytes).toString(), /decompressed body exceeds the limit of 16777216 bytes/);
  const big = await post(Buffer.alloc(17 * 1024 * 1024, 0x20), { 'content-type': 'application/json' });
  assert.equal(big.status, 413);
  // the server is still fine afterwards
  assert.equal((await post(fixture('proto-examples/trace.json'), { 'content-type': 'application/json' })).status, 200);
});

test('wrong method and unknown paths are answered, not hung', async () => {
  const get = await fetch(`${px.otlpUrl}/v1/traces`);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
  assert.equal((await fetch(`${px.otlpUrl}/v1/nothing`, { method: 'POST' })).status, 404);
});

test('/healthz is 200 once started; /metrics counts received, accepted and rejected spans', async () => {
  const h = await fetch(`${px.url}/healthz`);
  assert.equal(h.status, 200);
  assert.equal((await h.json()).status, 'ok');
  const text = await (await fetch(`${px.url}/metrics`)).text();
  const value = (name: string) => Number(text.match(new RegExp(`^${name}\\{[^}]*receiver="otlp_http"[^}]*\\} (\\d+)`, 'm'))?.[1]);
  // 19 + 1 + (2 + 1) + (1 + 1) + 1 spans reached the decoder across the tests above
  assert.equal(value('plexus_spans_received_total'), 26);
  assert.equal(value('plexus_spans_accepted_total'), 24);
  assert.equal(value('plexus_spans_rejected_total'), 2);
  assert.match(text, /^plexus_write_queue_rows\{/m);
  assert.match(text, /^plexus_write_batch_duration_bucket\{/m);
});
