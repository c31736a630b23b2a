// `plexus catalog import` as a user runs it: a real subprocess, with and without a running server.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from '@plexus/store';
import { currentRows } from '@plexus/catalog';
import { startTestPlexus } from './harness.ts';
import { fixturePath } from './fixtures.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const EXAMPLES = fixturePath('catalog/backstage/catalog-model-examples-2021/');
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function cli(env: Record<string, string>, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['cli/plexus.ts', 'catalog', 'import', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

const SUMMARY = 'entities: 7 api, 13 component, 2 domain, 8 group, 7 location, 1 resource, 3 system, 16 user; relations: 138; operations: 21; errors: 3';

test('without a server the CLI opens the store itself, prints located problems and a summary, and exits 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-cli-'));
  dirs.push(dir);
  const { code, out } = await cli({ PLEXUS_DATA_DIR: dir, PLEXUS_URL: 'http://127.0.0.1:9' }, [`${EXAMPLES}all-*.yaml`, `${EXAMPLES}acme-corp.yaml`]);
  assert.equal(code, 1, out);
  assert.ok(out.includes(SUMMARY), out);
  assert.match(out, /apis\/spotify-api\.yaml:\d+ \(document 1\) spec\.definition\.\$text: remote target https:\/\/github\.com\/\S+ is not allowed/);
  assert.doesNotMatch(out, /imported through the running Plexus/);
});

test('with a server running the CLI sends the import there', async () => {
  const px = await startTestPlexus();
  try {
    const { code, out } = await cli({ PLEXUS_URL: px.url }, [`${EXAMPLES}all-*.yaml`, `${EXAMPLES}acme-corp.yaml`]);
    assert.equal(code, 1, out);
    assert.match(out, /imported through the running Plexus at http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(out.includes(SUMMARY), out);
    const [row] = await px.store.query<{ n: string }>(sql`SELECT count() AS n FROM (${currentRows('entities')})`);
    assert.equal(Number(row?.n), 57);
  } finally {
    await px.close();
  }
});
