import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { graphqlOperations } from './operations.ts';
import { loadCatalog } from '../backstage/load-catalog.ts';
import { apiOperationsOf } from '../sync/api-operations.ts';
import { fixturePath } from '../../../test/fixtures.ts';

const SWAPI = fixturePath('catalog/backstage/catalog-model-examples-2021/apis/swapi-graphql.yaml');

// Read off `type Root { … }` in the fixture (`schema { query: Root }`; no Mutation, Subscription or extensions), in order.
const SWAPI_ROOT_FIELDS = [
  'allFilms', 'film', 'allPeople', 'person', 'allPlanets', 'planet', 'allSpecies', 'species',
  'allStarships', 'starship', 'allVehicles', 'vehicle', 'node',
];

test('SWAPI: every field of its custom query root `Root` is a QUERY operation named by the field', () => {
  const definition = (parseYaml(readFileSync(SWAPI, 'utf8')) as { spec: { definition: string } }).spec.definition;
  const r = graphqlOperations(definition);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.deepEqual(r.operations.map((o) => o.operationId), SWAPI_ROOT_FIELDS);
  for (const o of r.operations) {
    assert.deepEqual([o.method, o.path, o.fullPath, o.tags, o.statusCodes, o.deprecated], ['QUERY', o.operationId, o.operationId, [], [], false]);
  }
  assert.equal(r.operations.find((o) => o.path === 'node')?.summary, 'Fetches an object given its ID');
  assert.equal(r.operations.find((o) => o.path === 'film')?.summary, undefined);
});

test('extensions, mutation and subscription roots, deprecation and first-line summaries', () => {
  const r = graphqlOperations(`
    type Query {
      """
      The signed-in user.
      Null when anonymous.
      """
      me: User
      legacyMe: User @deprecated(reason: "use me")
    }
    extend type Query { users(first: Int): [User] }
    type Mutation { rename(name: String!): User }
    type Subscription { renamed: User }
    type User { name: String }
  `);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.deepEqual(r.operations.map((o) => `${o.method} ${o.path}${o.deprecated ? ' (deprecated)' : ''}`), [
    'QUERY me', 'QUERY legacyMe (deprecated)', 'QUERY users', 'MUTATION rename', 'SUBSCRIPTION renamed',
  ]);
  assert.equal(r.operations[0]?.summary, 'The signed-in user.');
});

test('a subgraph that only extends Query and names types defined elsewhere still yields its operations', () => {
  const r = graphqlOperations(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) { mutation: Commands }
    extend type Query { product(id: ID!): Product }
    type Commands { restock(id: ID!, count: Int!): Product }
  `);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.deepEqual(r.operations.map((o) => `${o.method} ${o.path}`), ['QUERY product', 'MUTATION restock']);
});

test('invalid SDL is an error result with the line and column of the problem', () => {
  const syntax = graphqlOperations('type Query {\n  films: [Film]\n  film(id: ): Film\n}\n');
  assert.deepEqual(syntax, { ok: false, error: 'Syntax Error: Expected Name, found ")". (line 3, column 12)' });
  const missingRoot = graphqlOperations('schema {\n  query: Root\n}\ntype Query { a: Int }\n');
  assert.deepEqual(missingRoot, { ok: false, error: 'query root type "Root" is not defined (line 2, column 10)' });
});

test('apiOperationsOf reads a graphql API entity from the catalog into stored operations with its apiRef', async () => {
  const snap = await loadCatalog([SWAPI]);
  const api = snap.entities.find((e) => e.ref === 'api:default/starwars-graphql');
  assert.ok(api);
  const r = await apiOperationsOf(api);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.operations.map((o) => o.path), SWAPI_ROOT_FIELDS);
  assert.ok(r.operations.every((o) => o.apiRef === 'api:default/starwars-graphql' && o.method === 'QUERY'));
  assert.equal(r.operations.find((o) => o.path === 'film')?.summary, '');

  const broken = await apiOperationsOf({ ...api, entity: { ...api.entity, spec: { type: 'GraphQL', definition: 'type Query {\n  a: Int\n  b(\n}' } } });
  assert.deepEqual(broken.operations, []);
  assert.equal(broken.problems.length, 1);
  assert.equal(broken.problems[0]?.field, 'spec.definition');
  assert.equal(broken.problems[0]?.file, SWAPI);
  assert.match(broken.problems[0]?.message ?? '', /^GraphQL definition: Syntax Error: .* \(line 4, column 1\)$/);
});
