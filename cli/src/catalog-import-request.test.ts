import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '@plexus/store';
import { runImportRequest } from './catalog-import-request.ts';
import { kongSource } from './catalog-command.ts';

// Every answer below comes before any write: a store that throws proves it.
const store = new Proxy({}, { get: () => { throw new Error('the store must not be touched'); } }) as Store;
const local = { local: true, json: true };

test('the --kong flags become an import source, or a usage message', () => {
  assert.deepEqual(kongSource(false, undefined, undefined, []), {});
  assert.deepEqual(kongSource(true, undefined, undefined, []), { kind: 'kong' });
  assert.deepEqual(kongSource(false, 'http://127.0.0.1:8001', 'shop', ['Kong-Admin-Token: s3cret', 'X-Trace:1']), {
    kind: 'kong', admin: { adminUrl: 'http://127.0.0.1:8001', workspace: 'shop', headers: { 'Kong-Admin-Token': 's3cret', 'X-Trace': '1' } },
  });
  assert.equal(kongSource(true, 'http://127.0.0.1:8001', undefined, []), '--kong imports decK files and --kong-admin an Admin API: use one of them');
  assert.equal(kongSource(false, undefined, 'shop', []), '--kong-workspace and --kong-header go with --kong-admin <url>');
  assert.equal(kongSource(false, 'http://127.0.0.1:8001', undefined, ['no colon']), '--kong-header "no colon" must look like "Name: value"');
});

test('malformed import requests are refused with a reason', async () => {
  assert.deepEqual(await runImportRequest(store, { kind: 'envoy', paths: ['/a.yaml'] }, local), { status: 400, body: { message: 'kind must be "backstage" or "kong"' } });
  assert.deepEqual(await runImportRequest(store, { kind: 'kong', paths: ['relative.yaml'] }, local), { status: 400, body: { message: 'expected {"paths": [absolute paths]}' } });
  assert.equal((await runImportRequest(store, { kind: 'kong', admin: { adminUrl: 'http://127.0.0.1:8001', headers: { n: 1 } } }, local)).status, 400);
  // A cross-site form post arrives as text/plain: it must not make the server fetch a URL.
  assert.deepEqual(await runImportRequest(store, { kind: 'kong', admin: { adminUrl: 'http://10.0.0.1:8001' } }, { local: true, json: false }), { status: 415, body: { message: 'a Kong Admin import must be sent as application/json' } });
});

test('a remote caller may only reach a Kong Admin API on loopback', async () => {
  const r = await runImportRequest(store, { kind: 'kong', admin: { adminUrl: 'http://10.0.0.1:8001' } }, { local: false, json: true });
  assert.equal(r.status, 200);
  assert.deepEqual((r.body as { errors: Array<{ message: string }> }).errors.map((e) => e.message), ['10.0.0.1 is not an allowed host for the Kong Admin API (allowed: 127.0.0.1, localhost, ::1, [::1])']);
});
