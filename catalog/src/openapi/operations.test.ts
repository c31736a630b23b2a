import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApiOperations } from './operations.ts';
import { matchOperation } from '../match/path-template.ts';
import { fixturePath } from '../../../test/fixtures.ts';

const DIR = fixturePath('catalog/openapi/');

// Operation counts counted independently (a plain walk of `paths` in Python).
const COUNTS: Record<string, number> = {
  'oai-examples/v2.0/petstore.json': 3, 'oai-examples/v2.0/uber.json': 5,
  'oai-examples/v3.0/api-with-examples.yaml': 2, 'oai-examples/v3.0/callback-example.yaml': 1, 'oai-examples/v3.0/link-example.yaml': 6,
  'oai-examples/v3.0/petstore-expanded.json': 4, 'oai-examples/v3.0/petstore-expanded.yaml': 4, 'oai-examples/v3.0/petstore.json': 3,
  'oai-examples/v3.0/petstore.yaml': 3, 'oai-examples/v3.0/uspto.json': 3, 'oai-examples/v3.0/uspto.yaml': 3,
  'oai-examples/v3.1/non-oauth-scopes.yaml': 1, 'oai-examples/v3.1/webhook-example.yaml': 0,
  'redocly-museum/openapi.yaml': 8, 'swagger-petstore-v3/openapi.yaml': 19,
};

test('every OpenAPI fixture (2.0, 3.0, 3.1) yields its operations', async () => {
  for (const [file, count] of Object.entries(COUNTS)) {
    const r = await openApiOperations(join(DIR, file));
    assert.ok(r.ok, `${file}: ${r.ok ? '' : r.error}`);
    assert.equal(r.operations.length, count, file);
  }
});

test('operations carry method, template, base path, id, tags and declared status codes', async () => {
  const v2 = await openApiOperations(join(DIR, 'oai-examples/v2.0/petstore.json'));
  assert.ok(v2.ok);
  assert.equal(v2.version, '2.0');
  const show = v2.operations.find((o) => o.operationId === 'showPetById')!;
  assert.deepEqual({ method: show.method, path: show.path, fullPath: show.fullPath, tags: show.tags, deprecated: show.deprecated, codes: show.statusCodes },
    { method: 'GET', path: '/pets/{petId}', fullPath: '/v1/pets/{petId}', tags: ['pets'], deprecated: false, codes: ['200', 'default'] });
  const uspto = await openApiOperations(join(DIR, 'oai-examples/v3.0/uspto.yaml'));
  assert.ok(uspto.ok);
  assert.ok(uspto.operations.some((o) => o.fullPath === '/ds-api/{dataset}/{version}/fields'), 'templated server URL keeps its path');
});

test('traffic paths match the large petstore v3 spec, most specific template first', async () => {
  const r = await openApiOperations(join(DIR, 'swagger-petstore-v3/openapi.yaml'));
  assert.ok(r.ok);
  assert.equal(matchOperation(r.operations, 'GET', '/api/v3/pet/42')?.operationId, 'getPetById');
  assert.equal(matchOperation(r.operations, 'GET', '/api/v3/pet/findByStatus')?.operationId, 'findPetsByStatus');
  assert.equal(matchOperation(r.operations, 'DELETE', '/api/v3/store/order/7')?.operationId, 'deleteOrder');
  assert.equal(matchOperation(r.operations, 'GET', '/api/v3/pet/:petId')?.operationId, 'getPetById');
  assert.equal(matchOperation(r.operations, 'GET', '/api/v3/unknown/1'), undefined);
});

test('remote $refs are refused unless allowed; a broken file is an error result, not an exception', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-openapi-'));
  const remote = join(dir, 'remote.yaml');
  writeFileSync(remote, 'openapi: 3.0.0\ninfo: { title: t, version: "1" }\npaths:\n  /a:\n    get:\n      responses:\n        "200": { $ref: "https://example.com/responses.yaml#/ok" }\n');
  const r = await openApiOperations(remote);
  assert.deepEqual(r, { ok: false, error: 'Unable to resolve $ref pointer "https://example.com/responses.yaml"' });
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, 'openapi: 3.0.0\npaths: [\n');
  const b = await openApiOperations(broken);
  assert.equal(b.ok, false);
  assert.ok(!b.ok && b.error.length > 0);
});
