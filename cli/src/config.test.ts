import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from './config.ts';
import { createHash } from 'node:crypto';

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

test('catalog: locations resolve against the file, the variable overrides them, the Kong token comes from the named variable', () => {
  const d = dir();
  writeFileSync(join(d, 'plexus.yaml'), [
    'catalog:',
    '  locations: ["./catalog/**/catalog-info.yaml", "/srv/catalog/all.yaml"]',
    '  allowedHosts: ["raw.githubusercontent.com"]',
    '  refreshIntervalSeconds: 0',
    '  kong:',
    '    - adminUrl: "http://kong-admin:8001"',
    '      workspace: default',
    '      tokenEnv: KONG_ADMIN_TOKEN',
    '    - adminUrl: "http://kong-b:8001"',
    '',
  ].join('\n'));
  const c = loadConfig({ PLEXUS_CONFIG: join(d, 'plexus.yaml'), KONG_ADMIN_TOKEN: 's3cret' }, '/elsewhere');
  assert.deepEqual(c.catalog, {
    locations: [join(d, 'catalog/**/catalog-info.yaml'), '/srv/catalog/all.yaml'],
    allowedHosts: ['raw.githubusercontent.com'],
    refreshIntervalSeconds: 0,
    kong: [{ adminUrl: 'http://kong-admin:8001', workspace: 'default', token: 's3cret' }, { adminUrl: 'http://kong-b:8001', workspace: undefined, token: undefined }],
  });
  const fromEnv = loadConfig({ PLEXUS_CONFIG: join(d, 'plexus.yaml'), KONG_ADMIN_TOKEN: 's3cret', PLEXUS_CATALOG_LOCATIONS: ' a/*.yaml, /b/c.yaml ,' }, '/work');
  assert.deepEqual(fromEnv.catalog.locations, ['/work/a/*.yaml', '/b/c.yaml']);
});

test('catalog defaults: no locations, no hosts, refresh every 300 s', () => {
  assert.deepEqual(loadConfig({}, dir()).catalog, { locations: [], allowedHosts: [], refreshIntervalSeconds: 300, kong: [] });
});

test('catalog: bad types are reported together with every other problem', () => {
  const d = dir();
  writeFileSync(join(d, 'plexus.yaml'), [
    'server:',
    '  port: nope',
    'catalog:',
    '  locations: "./one.yaml"',
    '  refreshIntervalSeconds: -5',
    '  kong:',
    '    - adminUrl: not a url',
    '      tokenEnv: "KONG TOKEN"',
    '',
  ].join('\n'));
  assert.throws(() => loadConfig({ PLEXUS_PORT: 'x' }, d), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    for (const needle of ['server.port', 'catalog.locations', 'catalog.refreshIntervalSeconds', 'catalog.kong.0.adminUrl', 'catalog.kong.0.tokenEnv', 'PLEXUS_PORT']) {
      assert.ok(err.message.includes(needle), `message should name ${needle}:\n${err.message}`);
    }
    return true;
  });
});

test('catalog: an unknown key is rejected, and so is a tokenEnv naming an unset variable', () => {
  const d = dir();
  writeFileSync(join(d, 'plexus.yaml'), 'catalog:\n  location: ["./a.yaml"]\n');
  assert.throws(() => loadConfig({}, d), /catalog: .*location/);
  writeFileSync(join(d, 'plexus.yaml'), 'catalog:\n  kong:\n    - adminUrl: "http://kong:8001"\n      tokenEnv: KONG_ADMIN_TOKEN\n');
  assert.throws(() => loadConfig({}, d), /catalog\.kong\.0\.tokenEnv: environment variable KONG_ADMIN_TOKEN is not set/);
  assert.equal(loadConfig({ KONG_ADMIN_TOKEN: 't' }, d).catalog.kong[0]?.token, 't');
});

test('auth: no token configured means auth is off', () => {
  assert.deepEqual(loadConfig({}, dir()).auth, { tokens: [] });
});

test('auth: tokens come from the environment or as a sha256, and only their hashes are kept', () => {
  const d = dir();
  const grafana = createHash('sha256').update('grafana-token-0123456789').digest('hex').toUpperCase();
  writeFileSync(join(d, 'plexus.yaml'), `auth:\n  tokens:\n    - { name: ci-ingest, role: ingest, tokenEnv: PLEXUS_TOKEN_CI }\n    - { name: grafana, role: read, sha256: "${grafana}" }\n`);
  const c = loadConfig({ PLEXUS_TOKEN_CI: 'ci-secret-0123456789', PLEXUS_ADMIN_TOKEN: 'admin-secret-0123456789' }, d);
  const hex = (v: string) => createHash('sha256').update(v).digest('hex');
  assert.deepEqual(c.auth.tokens, [
    { name: 'ci-ingest', role: 'ingest', sha256: hex('ci-secret-0123456789') },
    { name: 'grafana', role: 'read', sha256: grafana.toLowerCase() },
    { name: 'PLEXUS_ADMIN_TOKEN', role: 'admin', sha256: hex('admin-secret-0123456789') },
  ]);
  const text = JSON.stringify(c);
  assert.ok(!text.includes('ci-secret') && !text.includes('admin-secret'), 'no token in clear in the resolved config');
});

test('auth: every bad token entry is reported by name, never echoing a token', () => {
  const d = dir();
  const h = 'a'.repeat(64);
  writeFileSync(join(d, 'plexus.yaml'), [
    'auth:', '  tokens:',
    '    - { name: unset, role: ingest, tokenEnv: NOT_SET_ANYWHERE }',
    '    - { name: both, role: read, tokenEnv: X, sha256: "' + h + '" }',
    '    - { name: boss, role: root, sha256: "' + h + '" }',
    '    - { name: short, role: read, tokenEnv: SHORT_TOKEN }',
    '    - { name: badhash, role: read, sha256: "xyz" }',
    '',
  ].join('\n'));
  assert.throws(() => loadConfig({ SHORT_TOKEN: 'tiny-secret', PLEXUS_ADMIN_TOKEN: 'short' }, d), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    for (const needle of ['auth.tokens.1', 'exactly one of tokenEnv', 'auth.tokens.2.role', 'auth.tokens.4.sha256', 'PLEXUS_ADMIN_TOKEN']) {
      assert.ok(err.message.includes(needle), `message should name ${needle}:\n${err.message}`);
    }
    assert.ok(!err.message.includes('tiny-secret'), err.message);
    return true;
  });
  // With the schema valid, the environment is checked: an unset variable and a short token are named.
  writeFileSync(join(d, 'plexus.yaml'), 'auth:\n  tokens:\n    - { name: unset, role: ingest, tokenEnv: NOT_SET_ANYWHERE }\n    - { name: short, role: read, tokenEnv: SHORT_TOKEN }\n');
  assert.throws(() => loadConfig({ SHORT_TOKEN: 'tiny-secret' }, d), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /auth\.tokens\.0 \(unset\): environment variable NOT_SET_ANYWHERE is not set/);
    assert.match(err.message, /auth\.tokens\.1 \(short\): the token in SHORT_TOKEN must be at least 16 characters/);
    assert.ok(!err.message.includes('tiny-secret'), err.message);
    return true;
  });
});

test('auth: one token value under two names, or one name twice, is an error', () => {
  const d = dir();
  writeFileSync(join(d, 'plexus.yaml'), 'auth:\n  tokens:\n    - { name: a, role: read, tokenEnv: T1 }\n    - { name: a, role: ingest, tokenEnv: T2 }\n');
  assert.throws(() => loadConfig({ T1: 'same-value-0123456789', T2: 'other-value-0123456789' }, d), /the name a is used 2 times/);
  writeFileSync(join(d, 'plexus.yaml'), 'auth:\n  tokens:\n    - { name: ro, role: read, tokenEnv: T1 }\n');
  assert.throws(() => loadConfig({ T1: 'same-value-0123456789', PLEXUS_ADMIN_TOKEN: 'same-value-0123456789' }, d), /ro and PLEXUS_ADMIN_TOKEN have the same token value/);
});
