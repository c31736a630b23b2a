import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDeck } from './parse-deck.ts';
import { kongToEntities } from './to-entities.ts';
import { mergeKongConfigs } from './deck-types.ts';
import { apiOperationsOf } from '../sync/api-operations.ts';
import { validateEntity } from '../model/validate.ts';
import type { LocatedEntity } from '../model/entity.ts';

const data = (f: string) => fileURLToPath(new URL(`testdata/${f}`, import.meta.url));
const load = (f: string) => kongToEntities(parseDeck(readFileSync(data(f), 'utf8'), data(f)));
const operations = async (e: LocatedEntity) => {
  const r = await apiOperationsOf(e);
  assert.deepEqual(r.problems, []);
  return r.operations.map((o) => `${o.method} ${o.fullPath} ${o.operationId}`);
};
// The definitions are asserted through the operations they yield.
const withoutDefinition = (e: LocatedEntity) => ({ ...e, entity: { ...e.entity, spec: { ...e.entity.spec, ...(e.entity.spec?.definition ? { definition: '…' } : {}) } } });

test('a decK file becomes API entities with synthesized OpenAPI, and consumer components', async () => {
  const KONG = data('kong.yaml');
  const r = load('kong.yaml');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.entities.map(withoutDefinition), [
    {
      ref: 'api:default/orders-api',
      source: { file: KONG, document: 1, line: 9 },
      entity: {
        apiVersion: 'backstage.io/v1alpha1', kind: 'API',
        metadata: {
          name: 'orders-api', namespace: 'default', title: 'Orders API', tags: ['shop'],
          annotations: { 'plexus.dev/kong-service': 'Orders API', 'plexus.dev/service-name': 'orders.shop.svc.cluster.local', 'plexus.dev/source': 'kong' },
        },
        spec: { type: 'openapi', lifecycle: 'experimental', owner: 'team-orders', definition: '…' },
      },
    },
    {
      ref: 'api:shop/catalog',
      source: { file: KONG, document: 1, line: 46 },
      entity: {
        apiVersion: 'backstage.io/v1alpha1', kind: 'API',
        metadata: {
          name: 'catalog', namespace: 'shop', title: 'catalog', tags: ['shop'],
          annotations: { 'plexus.dev/kong-service': 'catalog', 'plexus.dev/service-name': 'catalog.shop.svc.cluster.local', 'plexus.dev/source': 'kong' },
        },
        spec: { type: 'openapi', lifecycle: 'production', owner: 'group:default/unknown', definition: '…' },
      },
    },
    {
      ref: 'component:default/mobile-app',
      source: { file: KONG, document: 1, line: 67 },
      entity: {
        apiVersion: 'backstage.io/v1alpha1', kind: 'Component',
        metadata: { name: 'mobile-app', namespace: 'default', title: 'mobile-app', annotations: { 'plexus.dev/kong-consumer': 'mobile-app', 'plexus.dev/kong-consumer-custom-id': 'app-42', 'plexus.dev/source': 'kong' } },
        spec: { type: 'gateway-consumer', lifecycle: 'production', owner: 'team-mobile' },
      },
    },
    {
      ref: 'component:default/partner-acme',
      source: { file: KONG, document: 1, line: 73 },
      entity: {
        apiVersion: 'backstage.io/v1alpha1', kind: 'Component',
        metadata: { name: 'partner-acme', namespace: 'default', title: 'partner-acme', annotations: { 'plexus.dev/kong-consumer': 'partner-acme', 'plexus.dev/source': 'kong' } },
        spec: { type: 'gateway-consumer', lifecycle: 'production', owner: 'group:default/unknown' },
      },
    },
  ]);
  for (const e of r.entities) assert.deepEqual(validateEntity(e.entity), [], e.ref);
  assert.deepEqual(r.relations.filter((x) => x.type === 'ownedBy').map((x) => `${x.source} -> ${x.target}`), [
    'api:default/orders-api -> group:default/team-orders',
    'api:shop/catalog -> group:default/unknown',
    'component:default/mobile-app -> group:default/team-mobile',
    'component:default/partner-acme -> group:default/unknown',
  ]);
  assert.equal(r.relations.length, 8, 'ownedBy and ownerOf only: consumers get no API relations');

  assert.deepEqual(await operations(r.entities[0]!), [
    'GET /orders list-orders-get',
    'POST /orders list-orders-post',
    'GET /orders/{orderId} order-by-id-get',
    'DELETE /orders/{orderId} order-by-id-delete',
    'GET /orders/{orderId}/items order-items-get',
  ]);
  // A route without methods gets the five usual ones.
  assert.deepEqual(await operations(r.entities[1]!), ['GET /products products-get', 'PUT /products products-put', 'POST /products products-post', 'DELETE /products products-delete', 'PATCH /products products-patch']);
  const doc = JSON.parse(r.entities[0]!.entity.spec!.definition as string);
  assert.equal(doc.openapi, '3.0.3');
  assert.deepEqual(doc.paths['/orders/{orderId}'].get.parameters, [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d+$' } }]);
  assert.deepEqual(JSON.parse(r.entities[1]!.entity.spec!.definition as string).paths['/products'].get['x-kong-hosts'], ['api.shop.example.com']);
});

test('mistakes in a decK file are located results, and the rest of the file still imports', async () => {
  const FILE = data('kong-errors.yaml');
  const r = load('kong-errors.yaml');
  assert.deepEqual(r.errors, [
    { file: FILE, document: 1, line: 25, field: 'services[2].port', message: 'Invalid input: expected number, received string' },
    { file: FILE, document: 1, line: 21, field: 'services[1].name', message: `service "payments" is already defined at ${FILE}:4` },
    { file: FILE, document: 1, line: 27, field: 'routes[0].service', message: 'names service "inventory", which is not defined' },
    { file: FILE, document: 1, line: 14, field: 'services[0].routes[1].paths[0]', message: '"/refunds/\\d+" looks like a regex, but Kong 3 treats it as a literal prefix: mark regex paths with ~ (decK file convert does it)' },
    { file: FILE, document: 1, line: 17, field: 'services[0].routes[2].paths[0]', message: 'regex path "~/search/(.*)$" cannot be an OpenAPI path template: the group at position 9 has no name: write (?<name>…)' },
    { file: FILE, document: 1, line: 31, field: 'routes[1].methods', message: 'PURGE is not an OpenAPI method; skipped' },
    { file: FILE, document: 1, line: 35, field: 'routes[1].paths[0]', message: 'POST /charges is already declared by route "charge"; skipped' },
    { file: FILE, document: 1, line: 40, field: 'consumers[0].username', message: 'a consumer needs a username or custom_id to be named in the catalog' },
  ]);
  assert.deepEqual(r.entities.map((e) => e.ref), ['api:default/payments', 'component:default/ops-console']);
  assert.equal(r.entities[0]!.entity.metadata.annotations!['plexus.dev/service-name'], 'payments.internal', 'the first of two same-named services wins');
  assert.deepEqual(await operations(r.entities[0]!), ['POST /charges charge-post', 'GET /search search-get']);
});

test('a file that is not YAML is reported with its line; other files of the import still count', () => {
  const BROKEN = data('broken.yaml');
  const broken = parseDeck(readFileSync(BROKEN, 'utf8'), BROKEN);
  assert.deepEqual(broken.services, []);
  assert.ok(broken.problems.length > 0);
  for (const p of broken.problems) {
    assert.deepEqual({ file: p.file, line: p.line, field: p.field }, { file: BROKEN, line: 5, field: '' });
    assert.match(p.message, /^not valid YAML: Flow (sequence|map) in block collection/);
  }
  const good = parseDeck(readFileSync(data('kong.yaml'), 'utf8'), data('kong.yaml'));
  const r = kongToEntities(mergeKongConfigs([broken, good]));
  assert.equal(r.entities.length, 4);
  assert.equal(r.errors.length, broken.problems.length);
});

test('routes may name services defined in another file of the same import; wrong shapes are located', () => {
  const a = parseDeck('_format_version: "3.0"\nservices:\n  - name: billing\n    host: billing.internal:8443\n', 'a.yaml');
  const b = parseDeck('_format_version: "3.0"\nroutes:\n  - name: invoices\n    service: billing\n    paths: [/invoices]\n    methods: [get]\n', 'b.yaml');
  const r = kongToEntities(mergeKongConfigs([a, b]));
  assert.deepEqual(r.errors, []);
  assert.equal(r.entities[0]!.entity.metadata.annotations!['plexus.dev/service-name'], 'billing.internal', 'port stripped');
  assert.deepEqual(Object.keys(JSON.parse(r.entities[0]!.entity.spec!.definition as string).paths['/invoices']), ['get']);

  assert.deepEqual(parseDeck('services:\n  - name: x\n    host: x\n', 'c.yaml').problems, [
    { file: 'c.yaml', document: 1, line: 1, field: '_format_version', message: 'is required: decK files start with _format_version: "3.0"' },
  ]);
  assert.deepEqual(parseDeck('- just\n- a list\n', 'd.yaml').problems, [
    { file: 'd.yaml', document: 1, line: 1, field: '', message: 'a decK file is a mapping with _format_version, services, routes and consumers' },
  ]);
  assert.deepEqual(parseDeck('_format_version: "3.0"\nroutes:\n  - name: lost\n    paths: [/lost]\n', 'e.yaml').problems, [
    { file: 'e.yaml', document: 1, line: 3, field: 'routes[0].service', message: 'a top-level route needs service: <name> (or nest it under its service)' },
  ]);
});
