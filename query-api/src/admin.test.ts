import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { openStore, migrate, sql, type Store } from '@plexus/store';
import { importCatalog, currentRows } from '@plexus/catalog';
import { createPlexusYoga } from './yoga.ts';
import { fixturePath } from '../../test/fixtures.ts';

const EXAMPLES = fixturePath('catalog/backstage/catalog-model-examples-2021/');
const PETSTORE = fixturePath('catalog/openapi/oai-examples/v3.0/petstore.yaml');
const dir = mkdtempSync(join(tmpdir(), 'plexus-admin-gql-'));
let store: Store;

before(async () => {
  store = await openStore({ dataDir: dir });
  await migrate(store, { retentionDays: 7 });
  await importCatalog(store, ['acme-corp.yaml', 'all-apis.yaml', 'all-components.yaml'].map((f) => EXAMPLES + f));
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

type Result = { data?: any; errors?: Array<{ message: string; extensions?: { code?: string; problems?: Array<{ field: string; message: string }> } }> };
// Auth is off here, so mutations need a loopback peer: the server context says where the request came from.
async function run(query: string, variables: Record<string, unknown> = {}): Promise<Result> {
  const yoga = createPlexusYoga({ store, retentionDays: 7, version: 'test', log: () => {} });
  const res = await yoga.fetch('http://plexus/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) }, { req: { socket: { remoteAddress: '127.0.0.1' } } });
  return (await res.json()) as Result;
}
async function ok(query: string, variables: Record<string, unknown> = {}) {
  const r = await run(query, variables);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data;
}
function refused(r: Result, code: string, message: RegExp) {
  assert.equal(r.errors?.length, 1, JSON.stringify(r));
  assert.equal(r.errors![0]!.extensions?.code, code, r.errors![0]!.message);
  assert.match(r.errors![0]!.message, message);
}

const REGISTER = `mutation($input: RegisterEntityInput!) { registerEntity(input: $input) { entity { ref kind owner lifecycle type system source { file } operations { method path fullPath } } } }`;
const ENTITY = `query($ref: String!) { entity(ref: $ref) { ref owner lifecycle relations { type target } operations { method path } } }`;

test('admin registers an API with an OpenAPI definition: it is in catalog(kind: "api") and entity(ref), with the definition\'s operations', async () => {
  const definition = readFileSync(PETSTORE, 'utf8');
  const { registerEntity } = await ok(REGISTER, { input: { kind: 'API', name: 'pets-adhoc', type: 'openapi', lifecycle: 'production', owner: 'team-c', definition } });
  assert.equal(registerEntity.entity.ref, 'api:default/pets-adhoc');
  assert.equal(registerEntity.entity.owner, 'group:default/team-c');
  assert.equal(registerEntity.entity.source.file, 'graphql');
  // The truth, counted from the fixture itself: every HTTP method under every path.
  const doc = parseYaml(definition) as { paths: Record<string, Record<string, unknown>> };
  const expected = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((k) => /^(get|put|post|delete|patch|head|options|trace)$/.test(k)).map((m) => `${m.toUpperCase()} ${path}`)).sort();
  assert.ok(expected.length >= 3);
  const { entity } = await ok(ENTITY, { ref: 'api:pets-adhoc' });
  assert.deepEqual(entity.operations.map((o: { method: string; path: string }) => `${o.method} ${o.path}`).sort(), expected);
  const { catalog } = await ok(`{ catalog(kind: "api", first: 100) { totalCount edges { node { ref } } } }`);
  assert.ok(catalog.edges.some((e: { node: { ref: string } }) => e.node.ref === 'api:default/pets-adhoc'));
  const team = await ok(ENTITY, { ref: 'group:team-c' });
  assert.ok(team.entity.relations.some((r: { type: string; target: string }) => r.type === 'ownerOf' && r.target === 'api:default/pets-adhoc'), 'the reverse relation is derived too');
});

test('a registered Component relates to the APIs it provides, both ways; registering again replaces it', async () => {
  const input = { kind: 'component', name: 'pets-service', type: 'service', lifecycle: 'experimental', owner: 'team-c', system: 'pets', providesApis: ['pets-adhoc'], consumesApis: ['api:petstore'] };
  await ok(REGISTER, { input });
  const { entity } = await ok(ENTITY, { ref: 'component:pets-service' });
  assert.deepEqual(entity.relations, [
    { type: 'consumesApi', target: 'api:default/petstore' },
    { type: 'ownedBy', target: 'group:default/team-c' },
    { type: 'partOf', target: 'system:default/pets' },
    { type: 'providesApi', target: 'api:default/pets-adhoc' },
  ]);
  const api = await ok(ENTITY, { ref: 'api:pets-adhoc' });
  assert.ok(api.entity.relations.some((r: { type: string; target: string }) => r.type === 'apiProvidedBy' && r.target === 'component:default/pets-service'));
  await ok(REGISTER, { input: { ...input, providesApis: [], consumesApis: null, system: null } });
  const again = await ok(ENTITY, { ref: 'component:pets-service' });
  assert.deepEqual(again.entity.relations, [{ type: 'ownedBy', target: 'group:default/team-c' }]);
  const { catalog } = await ok(`{ catalog(search: "pets-service") { totalCount } }`);
  assert.equal(catalog.totalCount, 1, 'replaced, not duplicated');
});

test('registerEntity refuses what a catalog file could not hold, naming each field', async () => {
  const missing = await run(REGISTER, { input: { kind: 'Component', name: 'half-done', type: 'service' } });
  refused(missing, 'BAD_USER_INPUT', /cannot register component:default\/half-done: .*lifecycle: is required.*owner: is required/);
  assert.deepEqual(missing.errors![0]!.extensions!.problems!.map((p) => p.field).sort(), ['lifecycle', 'owner']);
  refused(await run(REGISTER, { input: { kind: 'Group', name: 'x' } }), 'BAD_USER_INPUT', /kind: must be Component or API, got "Group"/);
  refused(await run(REGISTER, { input: { kind: 'Component', name: 'bad name!', type: 'service', lifecycle: 'x', owner: 'team-a' } }), 'BAD_USER_INPUT', /name: must be 1-63 letters or digits/);
  refused(await run(REGISTER, { input: { kind: 'API', name: 'no-def', type: 'openapi', lifecycle: 'x', owner: 'team-a', providesApis: ['a'] } }), 'BAD_USER_INPUT', /providesApis: is only for kind Component.*definition: is required/);
  refused(await run(REGISTER, { input: { kind: 'Component', name: 'c', type: 'service', lifecycle: 'x', owner: 'a:b:c' } }), 'BAD_USER_INPUT', /owner: "a:b:c" is not an entity reference/);
  refused(await run(REGISTER, { input: { kind: 'API', name: 'broken', type: 'openapi', lifecycle: 'x', owner: 'team-a', definition: 'info: {title: no version key}' } }), 'BAD_USER_INPUT', /^cannot register api:default\/broken: OpenAPI definition: definition is not a valid Openapi API definition$/);
  const { entity } = await ok(ENTITY, { ref: 'api:broken' });
  assert.equal(entity, null, 'nothing was stored');
});

test('editing or replacing an entity a file defines is refused with the file and line', async () => {
  const user = await run(`mutation { setOwner(ref: "User:janelle.dawe", owner: "team-b") { entity { ref } } }`);
  refused(user, 'BAD_USER_INPUT', /^user:default\/janelle\.dawe is defined in \S+\/acme\/team-a-group\.yaml:\d+; change it there$/);
  // Independent of the stored location: the named line starts the document that declares her.
  const [, file, line] = /is defined in (\S+):(\d+);/.exec(user.errors![0]!.message)!;
  const lines = readFileSync(file!, 'utf8').split('\n');
  assert.match(lines.slice(Number(line) - 1, Number(line) + 5).join('\n'), /name: janelle\.dawe/);
  assert.doesNotMatch(lines.slice(0, Number(line) - 1).join('\n'), /name: janelle\.dawe/);
  refused(await run(`mutation { setLifecycle(ref: "component:artist-lookup", lifecycle: "deprecated") { entity { ref } } }`), 'BAD_USER_INPUT', /artist-lookup-component\.yaml:1; change it there/);
  refused(await run(`mutation { deleteEntity(ref: "api:petstore") }`), 'BAD_USER_INPUT', /petstore-api\.yaml:1; change it there/);
  refused(await run(REGISTER, { input: { kind: 'Component', name: 'artist-lookup', type: 'service', lifecycle: 'production', owner: 'team-z' } }), 'BAD_USER_INPUT', /is defined in .*artist-lookup-component\.yaml:1/);
  const { entity } = await ok(ENTITY, { ref: 'component:artist-lookup' });
  assert.deepEqual([entity.owner, entity.lifecycle], ['group:default/team-a', 'experimental'], 'the file\'s values stand');
});

test('setOwner, setLifecycle and deleteEntity change entities registered here; unknown refs are named', async () => {
  await ok(REGISTER, { input: { kind: 'Component', name: 'edit-me', type: 'service', lifecycle: 'experimental', owner: 'team-a' } });
  const { setOwner } = await ok(`mutation { setOwner(ref: "component:edit-me", owner: "user:breanna.davison") { entity { owner lifecycle } } }`);
  assert.deepEqual(setOwner.entity, { owner: 'user:default/breanna.davison', lifecycle: 'experimental' });
  const { setLifecycle } = await ok(`mutation { setLifecycle(ref: "Component:Default/Edit-Me", lifecycle: "deprecated") { entity { owner lifecycle } } }`);
  assert.deepEqual(setLifecycle.entity, { owner: 'user:default/breanna.davison', lifecycle: 'deprecated' });
  const team = await ok(ENTITY, { ref: 'group:team-a' });
  assert.ok(!team.entity.relations.some((r: { target: string }) => r.target === 'component:default/edit-me'), 'the old owner no longer owns it');
  refused(await run(`mutation { setLifecycle(ref: "component:edit-me", lifecycle: "") { entity { ref } } }`), 'BAD_USER_INPUT', /lifecycle: /);
  refused(await run(`mutation { setOwner(ref: "component:nobody-registered", owner: "team-a") { entity { ref } } }`), 'BAD_USER_INPUT', /no entity component:default\/nobody-registered/);
  refused(await run(`mutation { setOwner(ref: "edit-me", owner: "team-a") { entity { ref } } }`), 'BAD_USER_INPUT', /needs a kind/);
  assert.deepEqual(await ok(`mutation { deleteEntity(ref: "component:edit-me") }`), { deleteEntity: 'component:default/edit-me' });
  assert.equal((await ok(ENTITY, { ref: 'component:edit-me' })).entity, null);
  refused(await run(`mutation { deleteEntity(ref: "component:edit-me") }`), 'BAD_USER_INPUT', /no entity component:default\/edit-me/);
});

test('deleting an API removes its operations; concurrent edits all land', async () => {
  await ok(REGISTER, { input: { kind: 'API', name: 'short-lived', type: 'openapi', lifecycle: 'x', owner: 'team-a', definition: readFileSync(PETSTORE, 'utf8') } });
  await ok(`mutation { deleteEntity(ref: "api:short-lived") }`);
  const { catalog } = await ok(`{ catalog(search: "short-lived") { totalCount } }`);
  assert.equal(catalog.totalCount, 0);
  const [row] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM (${currentRows('operations')}) WHERE ApiRef = ${'api:default/short-lived'}`);
  assert.equal(Number(row?.n), 0);

  // Each edit reads the source and writes it whole: without serialisation some of these would be lost.
  const names = Array.from({ length: 8 }, (_, i) => `burst-${i}`);
  const results = await Promise.all([
    ...names.map((name) => run(REGISTER, { input: { kind: 'Component', name, type: 'service', lifecycle: 'experimental', owner: 'team-a' } })),
    run(`mutation { setLifecycle(ref: "component:pets-service", lifecycle: "production") { entity { ref } } }`),
    run(`mutation { setOwner(ref: "component:pets-service", owner: "team-b") { entity { ref } } }`),
  ]);
  for (const r of results) assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const burst = await ok(`{ catalog(search: "burst-", first: 50) { totalCount } }`);
  assert.equal(burst.catalog.totalCount, names.length);
  const pets = await ok(ENTITY, { ref: 'component:pets-service' });
  assert.deepEqual([pets.entity.owner, pets.entity.lifecycle], ['group:default/team-b', 'production']);
  assert.equal((await ok(ENTITY, { ref: 'api:pets-adhoc' })).entity.operations.length > 0, true, 'earlier registrations survive later writes');
});
