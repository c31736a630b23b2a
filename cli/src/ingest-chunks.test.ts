import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cutPoint, fileChunks, ChunkError } from './ingest-chunks.ts';

test('cutPoint never cuts after a CRI partial (P) line', () => {
  const body = Buffer.from('2025-01-30T12:10:13Z stdout F {"a":1}\n2025-01-30T12:10:14Z stdout P {"b":\n2025-01-30T12:10:14Z stdout F 2}\n2025-01-30T12:10:15Z stdout P {"c":\n');
  const cut = cutPoint(body);
  assert.equal(body.subarray(0, cut).toString().split('\n').length - 1, 3);
  assert.equal(cutPoint(Buffer.from('2025-01-30T12:10:14Z stdout P {"b":\n')), -1);
});

test('fileChunks cuts on line boundaries and numbers each body from its first file line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-chunks-'));
  try {
    const file = join(dir, 'a.log');
    writeFileSync(file, Array.from({ length: 100 }, (_, i) => `line-${i + 1}`).join('\n'));
    const chunks = [];
    for await (const c of fileChunks(file, { chunkBytes: 64, maxBodyBytes: 1024 })) chunks.push(c);
    assert.ok(chunks.length > 5);
    for (const c of chunks) assert.equal(c.body.toString().split('\n')[0], `line-${c.firstLine}`);
    assert.equal(chunks.reduce((n, c) => n + c.lines, 0), 100);

    const arr = join(dir, 'b.json');
    writeFileSync(arr, ` [${'{"x":1},'.repeat(200)}{}]`);
    await assert.rejects(async () => {
      for await (const _ of fileChunks(arr, { chunkBytes: 64, maxBodyBytes: 1024 })) void _;
    }, (e: unknown) => e instanceof ChunkError && /one JSON array, sent whole/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
