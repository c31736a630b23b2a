// The catalog section of plexus.yaml against a real Plexus: files matched by a
// glob are imported at start, and each sync replaces what the last one wrote.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { importKongAdmin, type ImportSummary } from '@plexus/catalog';
import { startTestPlexus, type TestPlexus } from '../../test/harness.ts';
import { fixturePath } from '../../test/fixtures.ts';
import { startCatalogSync, type ImportKong } from './catalog-sync.ts';

const BACKSTAGE = fixturePath('catalog/backstage/');
const dir = mkdtempSync(join(tmpdir(), 'plexus-catalog-sync-'));
const catalogDir = join(dir, 'catalog');
let px: TestPlexus;
let firstSync: ImportSummary[];

const place = (fixture: string, as: string) => {
  mkdirSync(join(catalogDir, as, '..'), { recursive: true });
  copyFileSync(join(BACKSTAGE, fixture), join(catalogDir, as));
};
const total = async () => (await px.gql<{ catalog: { totalCount: number } }>('{ catalog { totalCount } }')).catalog.totalCount;
const entity = async (ref: string) => (await px.gql<{ entity: { ref: string } | null }>('query($ref: String!) { entity(ref: $ref) { ref } }', { ref })).entity;

before(async () => {
  // 3 entities (system, component, API) and 2 (user, group), in two folders the glob must descend into.
  place('create-app-0.9.2-examples/entities.yaml', 'app/entities.yaml');
  place('create-app-0.9.2-examples/org.yaml', 'org/org.yaml');
  writeFileSync(join(dir, 'plexus.yaml'), 'catalog:\n  locations: ["./catalog/**/*.yaml"]\n  refreshIntervalSeconds: 0\n');
  px = await startTestPlexus({ PLEXUS_CONFIG: join(dir, 'plexus.yaml') });
  assert.ok(px.catalogSync, 'a configured location starts the sync');
  firstSync = await px.catalogSync.firstSync;
});
after(async () => {
  await px?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('at start every file the glob matches is imported, as one source', async () => {
  assert.equal(firstSync.length, 1);
  assert.deepEqual(firstSync[0]!.entities, { system: 1, component: 1, api: 1, user: 1, group: 1 });
  assert.deepEqual(firstSync[0]!.errors, []);
  assert.equal(await total(), 5);
  assert.equal((await entity('user:guest'))?.ref, 'user:default/guest');
});

test('a file added to the folder is imported by the next sync, with exactly its entities', async () => {
  place('catalog-model-examples-2021/systems/podcast-system.yaml', 'systems/podcast-system.yaml');
  const [summary] = await px.catalogSync!.syncNow();
  assert.deepEqual(summary!.entities, { system: 2, component: 1, api: 1, user: 1, group: 1 });
  assert.equal(await total(), 6);
  assert.equal((await entity('system:podcast'))?.ref, 'system:default/podcast');
});

test('a file deleted from the folder takes its entities out of the catalog on the next sync', async () => {
  unlinkSync(join(catalogDir, 'org/org.yaml'));
  await px.catalogSync!.syncNow();
  assert.equal(await total(), 4);
  assert.equal(await entity('user:guest'), null);
  assert.equal(await entity('group:guests'), null);
  assert.equal((await entity('component:example-website'))?.ref, 'component:default/example-website');
});

test('a broken YAML file is reported by file and line while the other files import', async () => {
  const broken = join(catalogDir, 'broken.yaml');
  writeFileSync(broken, 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [unclosed\n  tags: x\n');
  const [summary] = await px.catalogSync!.syncNow();
  assert.ok(summary!.errors.length > 0);
  for (const e of summary!.errors) {
    assert.equal(e.file, broken);
    assert.ok(e.line >= 4, `line ${e.line} should point into the broken mapping`);
  }
  assert.deepEqual(summary!.entities, { system: 2, component: 1, api: 1 });
  assert.equal(await total(), 4);
  unlinkSync(broken);
});

test('the runs and the entity counts are on /metrics', async () => {
  const text = await (await fetch(`${px.url}/metrics`)).text();
  assert.match(text, /^plexus_catalog_sync_runs_total\{[^}]*outcome="ok"[^}]*\} [1-9]/m);
  assert.match(text, /^plexus_catalog_sync_runs_total\{[^}]*outcome="problems"[^}]*\} [1-9]/m);
  assert.match(text, /^plexus_catalog_entities\{[^}]*kind="system"[^}]*\} 2$/m);
});

// The tests below run their own sync beside the server's (same store, same files, so the same source content).

test('a source that fails does not stop the others, and runs never overlap', async () => {
  let active = 0;
  let most = 0;
  let calls = 0;
  const asked: unknown[] = [];
  const importKong: ImportKong = async (_store, source, opts) => {
    asked.push({ source, opts });
    calls++;
    active++;
    most = Math.max(most, active);
    await sleep(200);
    active--;
    throw new Error(`connect ECONNREFUSED ${source.adminUrl}`);
  };
  const lines: string[] = [];
  const sync = startCatalogSync({
    store: px.store, locations: [join(catalogDir, '**/*.yaml')], allowedHosts: [], intervalSeconds: 0,
    kong: [{ adminUrl: 'http://127.0.0.1:9', workspace: 'shop', token: 't0k' }], log: (l, err) => lines.push(`${l}${err ? `: ${(err as Error).message}` : ''}`), importKong,
  });
  try {
    // Asked three times while the first run is busy with Kong: one more run, after it.
    while (calls === 0) await sleep(5);
    const again = Promise.all([sync.syncNow(), sync.syncNow(), sync.syncNow()]);
    const first = await sync.firstSync;
    assert.deepEqual(first.map((s) => [s.entities, s.errors.map((e) => e.message)]), [
      [{ system: 2, component: 1, api: 1 }, []],
      [{}, ['import failed: connect ECONNREFUSED http://127.0.0.1:9']],
    ]);
    assert.ok(lines.some((l) => l.includes('importing kong http://127.0.0.1:9 (workspace shop) failed') && l.includes('ECONNREFUSED')), lines.join('\n'));
    assert.equal(await total(), 4, 'the files imported although Kong failed');
    assert.deepEqual(asked[0], { source: { adminUrl: 'http://127.0.0.1:9', workspace: 'shop', headers: { 'Kong-Admin-Token': 't0k' } }, opts: { allowedHosts: ['127.0.0.1'] } });
    const answers = await again;
    assert.equal(most, 1, 'one run at a time');
    assert.equal(calls, 2, 'the first run, then one run shared by the callers that arrived during it');
    assert.ok(answers.every((a) => a === answers[0]));
  } finally {
    await sync.close();
  }
  const text = await (await fetch(`${px.url}/metrics`)).text();
  assert.match(text, /^plexus_catalog_sync_runs_total\{[^}]*outcome="failed"[^}]*\} 2$/m);
});

test('the interval re-imports without being asked, and a glob matching nothing is reported', async () => {
  const lines: string[] = [];
  const nothing = join(dir, 'nowhere/**/*.yaml');
  const sync = startCatalogSync({ store: px.store, locations: [join(catalogDir, '**/*.yaml'), nothing], allowedHosts: [], intervalSeconds: 1, kong: [], log: (l) => lines.push(l) });
  try {
    const [first] = await sync.firstSync;
    assert.deepEqual(first!.errors.map((e) => `${e.file}: ${e.message}`), [`${nothing}: matches no file`]);
    place('catalog-model-examples-2021/systems/audio-playback-system.yaml', 'systems/audio-playback-system.yaml');
    let seen = await total();
    for (let i = 0; i < 50 && seen !== 5; i++) {
      await sleep(200);
      seen = await total();
    }
    assert.equal(seen, 5, 'the timer imported the new file');
    assert.equal(lines.filter((l) => l.includes('matches no file')).length, 2, 'an unchanged report is logged once, then again when the result changes');
  } finally {
    await sync.close();
  }
});

test('a Kong Admin API is imported with the real importer: workspace path, token header, its own source', async () => {
  const admin = JSON.parse(readFileSync(new URL('../../catalog/src/kong/testdata/admin-api.json', import.meta.url), 'utf8')) as Record<string, unknown[]>;
  const seen: string[] = [];
  const kong = createServer((req, res) => {
    seen.push(`${req.url} ${req.headers['kong-admin-token']}`);
    const list = /^\/shop\/(services|routes|consumers)\b/.exec(req.url ?? '')?.[1];
    const ok = list && req.headers['kong-admin-token'] === 't0k';
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { data: admin[list], next: null } : { message: 'no' }));
  });
  await new Promise<void>((r) => kong.listen(0, '127.0.0.1', r));
  const adminUrl = `http://127.0.0.1:${(kong.address() as AddressInfo).port}`;
  const before = await total();
  const sync = startCatalogSync({ store: px.store, locations: [], allowedHosts: [], intervalSeconds: 0, kong: [{ adminUrl, workspace: 'shop', token: 't0k' }], log: () => {}, importKong: importKongAdmin });
  try {
    const [summary] = await sync.firstSync;
    assert.deepEqual(summary!.errors, []);
    assert.equal(summary!.source, `kong-admin:${adminUrl}`);
    assert.deepEqual(seen, ['services', 'routes', 'consumers'].map((l) => `/shop/${l}?size=1000 t0k`));
    const added = Object.values(summary!.entities).reduce((a, b) => a + b, 0);
    assert.ok(added > 0);
    assert.equal(await total(), before + added, 'Kong entities beside the files, not instead of them');
  } finally {
    await sync.close();
    kong.close();
  }
});
