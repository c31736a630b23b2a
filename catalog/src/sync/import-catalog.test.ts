import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, migrate, sql, type Store } from '@plexus/store';
import { importCatalog } from './import-catalog.ts';
import { currentRows } from './write-catalog.ts';
import { fixturePath } from '../../../test/fixtures.ts';

const EXAMPLES = fixturePath('catalog/backstage/catalog-model-examples-2021/');
const dir = mkdtempSync(join(tmpdir(), 'plexus-catalog-store-'));
// A copy we may edit, to see removals synced.
const copy = join(dir, 'examples');
cpSync(EXAMPLES, copy, { recursive: true });
const roots = ['acme-corp.yaml', 'all-apis.yaml', 'all-components.yaml', 'all-domains.yaml', 'all-resources.yaml', 'all-systems.yaml'].map((f) => join(copy, f));
let store: Store;

before(async () => {
  store = await openStore({ dataDir: join(dir, 'data') });
  await migrate(store, { retentionDays: 7 });
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const counts = async () => {
  const kinds = await store.query<{ Kind: string; n: string }>(sql`SELECT Kind, count() AS n FROM (${currentRows('entities')}) GROUP BY Kind ORDER BY Kind`);
  const [rel] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM (${currentRows('relations')})`);
  const [ops] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM (${currentRows('operations')})`);
  return { kinds: Object.fromEntries(kinds.map((k) => [k.Kind, Number(k.n)])), relations: Number(rel?.n), operations: Number(ops?.n) };
};

test('the example catalog lands in the store whole: entities, relations and API operations', async () => {
  const summary = await importCatalog(store, roots);
  assert.deepEqual(summary.entities, { location: 7, group: 8, api: 7, component: 13, domain: 2, resource: 1, system: 3, user: 16 });
  assert.equal(summary.operations, 21, 'inline: petstore (3, OpenAPI), streetlights (4, AsyncAPI 2.0), starwars-graphql (13 root fields), hello-world (1 rpc); the rest are remote');
  assert.equal(summary.errors.length, 3, 'the three remote $text definitions');
  assert.deepEqual(await counts(), { kinds: { api: 7, component: 13, domain: 2, group: 8, location: 7, resource: 1, system: 3, user: 16 }, relations: 138, operations: 21 });
  const [artist] = await store.query<{ Owner: string; System: string; Lifecycle: string; Line: number }>(sql`SELECT Owner, System, Lifecycle, Line FROM (${currentRows('entities')}) WHERE Ref = 'component:default/artist-lookup'`);
  assert.deepEqual(artist, { Owner: 'group:default/team-a', System: 'system:default/artist-engagement-portal', Lifecycle: 'experimental', Line: 1 });
  const ops = await store.query<{ Method: string; FullPath: string }>(sql`SELECT Method, FullPath FROM (${currentRows('operations')}) WHERE ApiRef = 'api:default/petstore' ORDER BY FullPath, Method`);
  assert.deepEqual(ops.map((o) => `${o.Method} ${o.FullPath}`), ['GET /v1/pets', 'POST /v1/pets', 'GET /v1/pets/{petId}']);
});

test('importing the same files again changes nothing a reader sees', async () => {
  const before = await counts();
  await importCatalog(store, roots);
  assert.deepEqual(await counts(), before);
});

test('an entity removed from its source disappears on the next import, with its relations', async () => {
  const file = join(copy, 'components/artist-lookup-component.yaml');
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, original.replace('kind: Component', 'kind: Component\n# renamed below').replace('name: artist-lookup', 'name: artist-finder'));
  await importCatalog(store, roots);
  const refs = (await store.query<{ Ref: string }>(sql`SELECT Ref FROM (${currentRows('entities')}) WHERE Kind = 'component'`)).map((r) => r.Ref);
  assert.ok(!refs.includes('component:default/artist-lookup'));
  assert.ok(refs.includes('component:default/artist-finder'));
  const [stale] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM (${currentRows('relations')}) WHERE FromRef = 'component:default/artist-lookup' OR ToRef = 'component:default/artist-lookup'`);
  assert.equal(Number(stale?.n), 0);
  assert.equal((await counts()).relations, 138, 'same relations, under the new name');
});

test('a ref another source already defines is reported where it is redefined and left out; the rest imports', async () => {
  const before = await counts();
  const other = join(dir, 'other-team.yaml');
  writeFileSync(other, [
    'apiVersion: backstage.io/v1alpha1', 'kind: Component', 'metadata: { name: podcast-api }', 'spec: { type: service, lifecycle: production, owner: team-x }',
    '---',
    'apiVersion: backstage.io/v1alpha1', 'kind: Component', 'metadata: { name: brand-new }', 'spec: { type: service, lifecycle: production, owner: team-x }', '',
  ].join('\n'));
  const summary = await importCatalog(store, [other]);
  assert.deepEqual(summary.entities, { component: 1 });
  assert.equal(summary.errors.length, 1);
  const e = summary.errors[0]!;
  assert.equal(e.file, other);
  assert.equal(e.line, 1);
  assert.match(e.message, /component:default\/podcast-api is already defined in .*components\/podcast-api-component\.yaml:\d+; this definition was not imported/);
  const owners = await store.query<{ Owner: string }>(sql`SELECT Owner FROM (${currentRows('entities')}) WHERE Ref = 'component:default/podcast-api'`);
  assert.deepEqual(owners.map((o) => o.Owner), ['group:default/team-b'], 'one row, still the first source\'s');
  assert.equal((await counts()).kinds.component, before.kinds.component! + 1);
});
