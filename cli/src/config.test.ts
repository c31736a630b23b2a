import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from './config.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'plexus-config-'));

test('defaults follow DESIGN.md §4', () => {
  const c = loadConfig({}, dir());
  assert.equal(c.port, 8080);
  assert.equal(c.otlpHttpPort, 4318);
  assert.equal(c.retentionDays, 7);
  assert.equal(c.limits.maxDecompressedBytes, 16 * 1024 * 1024);
  assert.equal(c.clickhouse.url, undefined);
  assert.match(c.dataDir, /data$/);
});

test('environment overrides the file', () => {
  const d = dir();
  writeFileSync(join(d, 'plexus.yaml'), 'server:\n  port: 9000\nstorage:\n  retentionDays: 30\n');
  const c = loadConfig({ PLEXUS_PORT: '9100' }, d);
  assert.equal(c.port, 9100);
  assert.equal(c.retentionDays, 30);
});

test('every invalid key is reported at once, by name', () => {
  const d = dir();
  writeFileSync(join(d, 'plexus.yaml'), 'server:\n  prot: 9000\nlimits:\n  maxBodyBytes: -1\nstorage:\n  clickhouse:\n    url: not a url\n');
  assert.throws(() => loadConfig({ PLEXUS_RETENTION_DAYS: 'seven', PLEXUS_PORT: '70000' }, d), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    for (const needle of ['server', 'prot', 'limits.maxBodyBytes', 'storage.clickhouse.url', 'PLEXUS_RETENTION_DAYS', 'PLEXUS_PORT']) {
      assert.ok(err.message.includes(needle), `message should name ${needle}:\n${err.message}`);
    }
    return true;
  });
});

test('a PLEXUS_CONFIG that does not exist is an error, a missing default file is not', () => {
  assert.throws(() => loadConfig({ PLEXUS_CONFIG: 'nope.yaml' }, dir()), /PLEXUS_CONFIG: no file/);
});
