import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, migrate, type Store } from '@plexus/store';
import { importCatalog } from '@plexus/catalog';
import { createPlexusYoga } from './yoga.ts';
import { fixturePath } from '../../test/fixtures.ts';

const EXAMPLES = fixturePath('catalog/backstage/catalog-model-examples-2021/');
const dir = mkdtempSync(join(tmpdir(), 'plexus-catalog-gql-'));
let store: Store;

before(async () => {
  store = await openStore({ dataDir: dir });
  await migrate(store, { retentionDays: 7 });
  await importCatalog(store, ['acme-corp.yaml', 'all-apis.yaml', 'all-components.yaml', 'all-domains.yaml', 'all-resources.yaml', 'all-systems.yaml'].map((f) => EXAMPLES + f));
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const yoga = createPlexusYoga({ store, retentionDays: 7, version: 'test', log: () => {} });
  const res = await yoga.fetch('http://plexus/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: any; errors?: unknown };
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

test('catalog filters by kind, counts, and pages with cursors', async () => {
  const q = `query($after: String) { catalog(kind: "component", first: 5, after: $after) { totalCount edges { cursor node { ref } } pageInfo { hasNextPage endCursor } } }`;
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 3; page++) {
    const { catalog } = await gql(q, { after });
    assert.equal(catalog.totalCount, 13);
    seen.push(...catalog.edges.map((e: { node: { ref: string } }) => e.node.ref));
    assert.equal(catalog.pageInfo.hasNextPage, page < 2);
    after = catalog.pageInfo.endCursor;
  }
  assert.equal(seen.length, 13);
  assert.equal(new Set(seen).size, 13, 'pages do not overlap');
  assert.ok(seen.every((r) => r.startsWith('component:default/')));
});

test('search matches ref, title and description; facets count under every other filter', async () => {
  const { catalog } = await gql(`{ catalog(search: "ARTIST", first: 100) { totalCount edges { node { ref description } } facets { kind { value count } } } }`);
  assert.ok(catalog.totalCount >= 3);
  for (const { node } of catalog.edges) assert.match(`${node.ref} ${node.description ?? ''}`, /artist/i);
  assert.ok(catalog.edges.some((e: { node: { ref: string } }) => e.node.ref === 'component:default/artist-lookup'));
  const facets = await gql(`{ catalog(kind: "component", first: 0) { facets { kind { value count } lifecycle { value count } owner { value count } } } }`);
  const kinds = Object.fromEntries(facets.catalog.facets.kind.map((f: { value: string; count: number }) => [f.value, f.count]));
  assert.deepEqual(kinds, { user: 16, component: 13, group: 8, api: 7, location: 7, system: 3, domain: 2, resource: 1 }, 'the kind facet ignores the kind filter');
  const lifecycles = facets.catalog.facets.lifecycle.reduce((n: number, f: { count: number }) => n + f.count, 0);
  assert.equal(lifecycles, 13, 'other facets count components only');
});

test('entity: fields, relations both ways, source location, API operations', async () => {
  const { entity } = await gql(`{ entity(ref: "component:artist-lookup") { ref kind name owner lifecycle type system relations { type target } source { file document line } operations { method } } }`);
  assert.equal(entity.ref, 'component:default/artist-lookup');
  assert.equal(entity.owner, 'group:default/team-a');
  assert.equal(entity.system, 'system:default/artist-engagement-portal');
  assert.deepEqual(entity.relations, [
    { type: 'dependsOn', target: 'resource:default/artists-db' },
    { type: 'ownedBy', target: 'group:default/team-a' },
    { type: 'partOf', target: 'system:default/artist-engagement-portal' },
  ]);
  assert.match(entity.source.file, /components\/artist-lookup-component\.yaml$/);
  assert.deepEqual([entity.source.document, entity.source.line], [1, 1]);
  assert.deepEqual(entity.operations, []);
  const team = await gql(`{ entity(ref: "group:team-a") { relations { type target } } }`);
  assert.ok(team.entity.relations.some((r: { type: string; target: string }) => r.type === 'ownerOf' && r.target === 'component:default/artist-lookup'));
  const api = await gql(`{ entity(ref: "api:petstore") { operations { method fullPath deprecated } } }`);
  assert.deepEqual(api.entity.operations, [
    { method: 'GET', fullPath: '/v1/pets', deprecated: false },
    { method: 'POST', fullPath: '/v1/pets', deprecated: false },
    { method: 'GET', fullPath: '/v1/pets/{petId}', deprecated: false },
  ]);
  assert.equal((await gql(`{ entity(ref: "component:nope") { ref } }`)).entity, null);
});
