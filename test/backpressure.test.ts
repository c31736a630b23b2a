// Under overload Plexus pushes back instead of growing: 429 + Retry-After,
// and the request that was accepted is still written. Also CORS for browsers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startTestPlexus, type TestPlexus } from './harness.ts';
import { fixturePath } from './fixtures.ts';

let px: TestPlexus;
before(async () => {
  // A queue of one row whose batch waits 1.5 s: the second request finds it full.
  px = await startTestPlexus({ PLEXUS_RETENTION_DAYS: '3650' }, {
    pipeline: { maxQueueRows: 1, minBatchRows: 1_000_000, maxBatchDelayMs: 1500 },
    corsOrigins: ['https://app.example.com'],
  });
});
after(async () => {
  await px?.close();
});

const body = readFileSync(fixturePath('otlp/proto-examples/trace.json'));
const post = () => fetch(`${px.otlpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

test('a full queue answers 429 with Retry-After; the queued request still completes with 200', async () => {
  const first = post();
  await new Promise((r) => setTimeout(r, 300));
  const second = await post();
  assert.equal(second.status, 429);
  assert.equal(second.headers.get('retry-after'), '2');
  assert.match((await second.json()).message, /at capacity/);
  const ok = await first;
  assert.equal(ok.status, 200);
  const { trace } = await px.gql(`{ trace(id: "5b8efff798038103d269b633813fc60c") { spanCount } }`);
  assert.equal(trace.spanCount, 1);
});

test('CORS preflight is answered for allowed origins only', async () => {
  const pre = (origin: string) => fetch(`${px.otlpUrl}/v1/traces`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
  const ok = await pre('https://app.example.com');
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example.com');
  assert.match(ok.headers.get('access-control-allow-methods') ?? '', /POST/);
  const denied = await pre('https://evil.example.com');
  assert.equal(denied.headers.get('access-control-allow-origin'), null);
});
