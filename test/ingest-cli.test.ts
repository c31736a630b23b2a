// `plexus ingest` as a user runs it: a real subprocess against a running
// Plexus (main port), and with no server answering (the store opened directly).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { openStore, sql, type Store } from '@plexus/store';
import { startTestPlexus } from './harness.ts';
import { fixturePath } from './fixtures.ts';
import { refusedPort } from './refused-port.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ENVOY = fixturePath('gateway-logs/envoy/crowdsec-envoy-gateway-cri.log');
const ZTUNNEL = fixturePath('gateway-logs/istio/kiali-ztunnel.log');
// The fixtures' records are months old: a short retention would let TTL merges drop them mid-test.
const KEEP_DAYS = '3650';
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fresh directory with an empty plexus.yaml, so no developer config leaks in. */
function isolated(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-ingest-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'plexus.yaml'), '{}\n');
  return { dir, env: { PLEXUS_CONFIG: join(dir, 'plexus.yaml'), PLEXUS_DATA_DIR: join(dir, 'data'), PLEXUS_RETENTION_DAYS: KEEP_DAYS } };
}

async function cli(env: Record<string, string>, args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['cli/plexus.ts', 'ingest', ...args], { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

/** api_calls rows; one envoy fixture record is from 2016, beyond any retention, so TTL may drop it at any time: count from 2017 on. */
async function apiCalls(store: Store): Promise<number> {
  const [row] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM api_calls WHERE Timestamp >= toDateTime64('2017-01-01 00:00:00', 3, 'UTC')`);
  return Number(row?.n);
}

test('an unknown format is a usage error that lists the valid ones', async () => {
  const { env } = isolated();
  const r = await cli(env, ['--format', 'nginx', ENVOY]);
  assert.equal(r.code, 2, r.out + r.err);
  assert.match(r.err, /unknown format "nginx": use one of kong, envoy, istio, aws-apigateway, traefik/);
});

test('through the running Plexus: envoy calls land in api_calls, ztunnel lines are rejected at file:line, exit 1', async () => {
  const px = await startTestPlexus({ PLEXUS_RETENTION_DAYS: KEEP_DAYS });
  try {
    const { env } = isolated();
    const r = await cli({ ...env, PLEXUS_URL: px.url }, ['--format', 'envoy', ENVOY, ZTUNNEL]);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, new RegExp(`sent to the running Plexus at ${px.url.replace(/\./g, '\\.')}`));
    assert.match(r.out, /files: 2; records accepted: 10; rejected: 28;/);
    // The server reports the first 10 rejects of a body, by the file's own lines.
    for (let line = 1; line <= 10; line++) assert.ok(r.out.includes(`  ${ZTUNNEL}:${line}: ztunnel connection log, no HTTP request\n`), r.out);
    assert.doesNotMatch(r.out, /crowdsec-envoy-gateway-cri\.log:\d+/);
    assert.equal(await apiCalls(px.store), 9);

    // A file bigger than one body: cut in chunks, and the bad line is reported by its line in the file.
    const dir = dirs[dirs.length - 1]!;
    const record = readFileSync(ENVOY, 'utf8').split('\n')[0]!.replace(/^\S+ stdout F /, '');
    const lines = Array.from({ length: 8000 }, () => record);
    lines[6999] = '{"method": "GET", broken';
    const big = join(dir, 'big.ndjson');
    writeFileSync(big, `${lines.join('\n')}\n`);
    assert.ok(lines.join('\n').length > 6 * 1024 * 1024, 'the bad line must sit beyond the first 4 MiB body');
    const m = await cli({ ...env, PLEXUS_URL: px.url }, ['--format', 'envoy', big]);
    assert.equal(m.code, 1, m.out + m.err);
    assert.match(m.out, /files: 1; records accepted: 7,999; rejected: 1;/);
    assert.ok(m.out.includes(`  ${big}:7000: not JSON (`), m.out);
    assert.equal(await apiCalls(px.store), 9 + 7999);
  } finally {
    await px.close();
  }
});

test('with no server answering, the CLI writes the store itself (gzip files read as they stream)', async () => {
  const { dir, env } = isolated();
  const gz = join(dir, 'envoy.log.gz');
  writeFileSync(gz, gzipSync(readFileSync(ENVOY)));
  const url = `http://127.0.0.1:${await refusedPort()}`;
  const r = await cli({ ...env, PLEXUS_URL: url }, ['--format', 'envoy', gz]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.err, new RegExp(`no Plexus answers at ${url.replace(/\./g, '\\.')}: writing to the store in`));
  assert.match(r.out, /files: 1; records accepted: 10; rejected: 0;/);
  const store = await openStore({ dataDir: env.PLEXUS_DATA_DIR! });
  try {
    assert.equal(await apiCalls(store), 9);
  } finally {
    await store.close();
  }
});
