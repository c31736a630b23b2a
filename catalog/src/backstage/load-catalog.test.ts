import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from './load-catalog.ts';
import { formatError } from '../model/entity.ts';
import { fixturePath } from '../../../test/fixtures.ts';

const FIXTURES = fixturePath('catalog/backstage/');
const EXAMPLES = join(FIXTURES, 'catalog-model-examples-2021');
const ROOTS = ['acme-corp.yaml', 'all-apis.yaml', 'all-components.yaml', 'all-domains.yaml', 'all-resources.yaml', 'all-systems.yaml'].map((f) => join(EXAMPLES, f));

test('Backstage example catalog: every entity and relation it declares (truth counted independently with PyYAML)', async () => {
  const snap = await loadCatalog(ROOTS);
  const byKind: Record<string, number> = {};
  for (const e of snap.entities) byKind[e.entity.kind.toLowerCase()] = (byKind[e.entity.kind.toLowerCase()] ?? 0) + 1;
  assert.deepEqual(byKind, { location: 7, group: 8, api: 7, component: 13, domain: 2, resource: 1, system: 3, user: 16 });
  assert.equal(snap.sources.length, 40);
  assert.equal(snap.relations.length, 138);
  const has = (source: string, type: string, target: string) => snap.relations.some((r) => r.source === source && r.type === type && r.target === target);
  assert.ok(has('component:default/artist-lookup', 'ownedBy', 'group:default/team-a'));
  assert.ok(has('group:default/team-a', 'ownerOf', 'component:default/artist-lookup'));
  assert.ok(has('component:default/artist-lookup', 'dependsOn', 'resource:default/artists-db'));
  assert.ok(has('resource:default/artists-db', 'dependencyOf', 'component:default/artist-lookup'));
  assert.ok(has('user:default/breanna.davison', 'memberOf', 'group:default/team-a'));
  assert.ok(has('group:default/team-a', 'hasMember', 'user:default/breanna.davison'));
});

test('remote $text definitions are reported as not allowed, with file and line, and the API is still imported', async () => {
  const snap = await loadCatalog(ROOTS);
  assert.equal(snap.errors.length, 3, snap.errors.map(formatError).join('\n'));
  for (const e of snap.errors) {
    assert.match(e.file, /apis\/(spotify|wayback-archive|wayback-search)-api\.yaml$/);
    assert.equal(e.field, 'spec.definition.$text');
    assert.ok(e.line > 1);
    assert.match(e.message, /is not allowed: add \S+ to catalog\.allowedHosts/);
  }
  assert.ok(snap.entities.some((e) => e.ref === 'api:default/spotify'));
});

test('an allowed host is fetched through the reader (no network in tests)', async () => {
  const asked: string[] = [];
  const snap = await loadCatalog([join(EXAMPLES, 'apis/spotify-api.yaml')], {
    allowedHosts: ['github.com'],
    fetchText: async (url) => (asked.push(url.href), 'openapi: 3.0.0\n'),
  });
  assert.deepEqual(snap.errors, []);
  assert.equal(asked.length, 1);
  assert.equal((snap.entities[0]!.entity.spec as { definition: string }).definition, 'openapi: 3.0.0\n');
});

test('a relative $text is read next to the file that names it', async () => {
  const snap = await loadCatalog([join(FIXTURES, 'catalog-model-examples-newer/apis/petstore-webhook-api.yaml')]);
  assert.deepEqual(snap.errors, []);
  const definition = (snap.entities[0]!.entity.spec as { definition: string }).definition;
  assert.match(definition, /^openapi: /m);
});

test('broken documents are reported by file, document, line and field; the rest imports', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-catalog-'));
  const file = join(dir, 'catalog-info.yaml');
  writeFileSync(file, [
    'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: payments\nspec:\n  type: team\n  children: []\n',
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: checkout\nspec:\n  type: service\n  lifecycle: production\n  providesApis: [checkout-api]\n',
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: bad name!\nspec:\n  type: service\n  lifecycle: production\n  owner: payments\n',
    'apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: checkout-api\nspec: [oops\n',
    'apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: shop\nspec:\n  owner: payments\n',
  ].join('---\n'));
  writeFileSync(join(dir, 'location.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: here\nspec:\n  targets: [./catalog-info.yaml, ./missing.yaml]\n');
  const snap = await loadCatalog([join(dir, 'location.yaml')]);
  assert.deepEqual(snap.entities.map((e) => e.ref).sort(), ['group:default/payments', 'location:default/here', 'system:default/shop']);
  const errors = snap.errors.map(formatError);
  assert.equal(errors.length, 4, errors.join('\n'));
  assert.ok(errors.includes(`${file}:13 (document 2) spec.owner: is required`), errors.join('\n'));
  assert.ok(errors.some((e) => e.startsWith(`${file}:21 (document 3) metadata.name: must be 1-63 letters or digits`)), errors.join('\n'));
  assert.ok(errors.some((e) => e.startsWith(`${file}:32 (document 4): not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`) && !/column/.test(e)), errors.join('\n'));
  assert.ok(errors.some((e) => e.includes('location.yaml:6 (document 1) spec.targets: cannot read') && e.includes('missing.yaml')), errors.join('\n'));
});
