import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { buildGatewayBodies } from './gateway-lines.ts';
import { parseGatewayLog } from '../collector/src/sources/gateway-logs/parse-gateway-log.ts';

const NOW = Date.UTC(2026, 10, 23, 12);

for (const format of ['kong', 'envoy'] as const) {
  test(`${format} bench lines are all accepted by the ${format} parser, varied, and within the minute before now`, () => {
    const [body] = buildGatewayBodies(format, 1, 2000, false, NOW);
    const r = parseGatewayLog(format, body!.bytes.toString('utf8'));
    assert.equal(r.rejects.length, 0, JSON.stringify(r.rejects[0]));
    assert.equal(r.calls.length, 2000);
    const services = new Set(r.calls.map((c) => c.upstreamService).filter(Boolean));
    assert.ok(services.size >= 8, `services: ${[...services].join(', ')}`);
    assert.ok(r.calls.some((c) => c.status >= 500) && r.calls.some((c) => c.status >= 400 && c.status < 500));
    assert.ok(r.calls.every((c) => c.timestampMs >= NOW - 60_000 && c.timestampMs < NOW));
    const bytes = body!.rawBytes / 2000;
    if (format === 'kong') {
      assert.ok(bytes > 1000 && bytes < 2000, `${bytes} bytes/line`);
      assert.ok(new Set(r.calls.filter((c) => c.consumerKind === 'consumer').map((c) => c.consumer)).size >= 30);
    } else assert.ok(bytes > 150 && bytes < 300, `${bytes} bytes/line`);
  });
}

test('gzip bodies inflate to the same lines', () => {
  const [plain] = buildGatewayBodies('envoy', 1, 100, false, NOW);
  const [zipped] = buildGatewayBodies('envoy', 1, 100, true, NOW);
  assert.equal(zipped!.rawBytes, plain!.rawBytes);
  assert.ok(zipped!.bytes.length < plain!.bytes.length);
  assert.equal(gunzipSync(zipped!.bytes).length, plain!.rawBytes);
});
