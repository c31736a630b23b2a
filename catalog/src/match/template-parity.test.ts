// The collector templates raw paths in SQL at insert; the catalog in TypeScript.
// Both must agree, or observed routes would never match catalog templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, sql, templatePathSql } from '@plexus/store';
import { templatePath } from './path-template.ts';

const PATHS = [
  '/', '', '/orders', '/orders/', '/orders/42', '/orders/42/items/7', '/v2/users/0042',
  '/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6', '/orders/3FA85F64-5717-4562-B3FC-2C963F66AFA6/lines',
  '/blobs/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', '/blobs/abcdef0123456789', '/blobs/abcdef012345678',
  '/events/01ARZ3NDEKTSV4RRFFQ69G5FAV', '/events/01arz3ndektsv4rrffq69g5fav', '/t/eyJhbGciOiJIUzI1NiJ9abc123', '/t/abcdefghijklmnopqrstuvwxyz',
  '/orders/{id}', '/pets/:petId', '/search?q=42', '/a//b', '/v1', '/files/report-2024.pdf', '/x/12345678901234567890',
  // Around templatePath's one-pass case (every segment under 16 characters).
  '/123456789012345', '/1234567890123456', '/orders/42/', '/abcdefghijklmno', '/0', '42', '42/7', '/v1/7a',
];

test('SQL path templating gives exactly what templatePath gives', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-parity-'));
  const store = await openStore({ dataDir: dir });
  try {
    const rows = await store.query<{ t: string }>(sql`SELECT ${templatePathSql(sql`splitByChar('?', p)[1]`)} AS t FROM (SELECT arrayJoin(${PATHS}) AS p, rowNumberInAllBlocks() AS i) ORDER BY i`);
    assert.deepEqual(rows.map((r) => r.t), PATHS.map(templatePath));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
