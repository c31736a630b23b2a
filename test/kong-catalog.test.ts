// Kong as a catalog source, end to end: decK files and an Admin API imported
// into a real store, read back through GraphQL, re-imported and edited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { importKongDeck } from '@plexus/catalog';
import { startTestPlexus, type TestPlexus } from './harness.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TESTDATA = join(ROOT, 'catalog/src/kong/testdata');
const dir = mkdtempSync(join(tmpdir(), 'plexus-kong-'));
// A copy we may edit, to see removals synced.
const deck = join(dir, 'kong.yaml');
copyFileSync(join(TESTDATA, 'kong.yaml'), deck);
let px: TestPlexus;

before(async () => {
  px = await startTestPlexus();
});
after(async () => {
  await px.close();
  rmSync(dir, { recursive: true, force: true });
});

const ORDERS = ['GET /orders', 'POST /orders', 'DELETE /orders/{orderId}', 'GET /orders/{orderId}', 'GET /orders/{orderId}/items'];
const read = async () => {
  const d = await px.gql(`{
    orders: entity(ref: "api:default/orders-api") { title owner lifecycle operations { method path } }
    shopCatalog: entity(ref: "api:shop/catalog") { operations { method path } }
    apis: catalog(kind: "api") { totalCount }
    all: catalog { totalCount }
  }`);
  return {
    orders: d.orders && { ...d.orders, operations: d.orders.operations.map((o: { method: string; path: string }) => `${o.method} ${o.path}`) },
    shopCatalog: d.shopCatalog && d.shopCatalog.operations.length,
    apis: d.apis.totalCount,
    all: d.all.totalCount,
  };
};

test('a decK file lands in the store: APIs with their operations, consumers as components', async () => {
  const summary = await importKongDeck(px.store, [deck]);
  assert.deepEqual(summary, { source: `kong:${deck}`, entities: { api: 2, component: 2 }, relations: 8, operations: 10, errors: [] });
  assert.deepEqual(await read(), {
    orders: { title: 'Orders API', owner: 'group:default/team-orders', lifecycle: 'experimental', operations: ORDERS },
    shopCatalog: 5,
    apis: 2,
    all: 4,
  });
});

test('importing the same file again changes nothing a reader sees', async () => {
  const before = await read();
  await importKongDeck(px.store, [deck]);
  assert.deepEqual(await read(), before);
});

test('a service removed from the file disappears on the next import', async () => {
  const original = readFileSync(deck, 'utf8');
  const start = original.indexOf('  - name: catalog\n');
  const end = original.indexOf('routes:\n  - name: order-items');
  assert.ok(start > 0 && end > start);
  writeFileSync(deck, original.slice(0, start) + original.slice(end));
  const summary = await importKongDeck(px.store, [deck]);
  assert.deepEqual(summary.entities, { api: 1, component: 2 });
  assert.deepEqual(await read(), {
    orders: { title: 'Orders API', owner: 'group:default/team-orders', lifecycle: 'experimental', operations: ORDERS },
    shopCatalog: null,
    apis: 1,
    all: 3,
  });
  writeFileSync(deck, original);
});

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['cli/plexus.ts', 'catalog', 'import', ...args], { cwd: ROOT, env: { ...process.env, PLEXUS_URL: px.url } });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

test('plexus catalog import --kong sends decK files to the running server', async () => {
  const { code, out } = await cli(['--kong', join(TESTDATA, 'kong-errors.yaml')]);
  assert.equal(code, 1, out);
  assert.match(out, /imported through the running Plexus/);
  assert.match(out, /kong-errors\.yaml:27 \(document 1\) routes\[0\]\.service: names service "inventory", which is not defined/);
  assert.match(out, /entities: 1 api, 1 component; relations: 4; operations: 2; errors: 8/);
  const d = await px.gql(`{ entity(ref: "api:default/payments") { operations { method path } } }`);
  assert.deepEqual(d.entity.operations, [{ method: 'POST', path: '/charges' }, { method: 'GET', path: '/search' }]);
});

test('plexus catalog import --kong-admin reads a Kong Admin API through the running server', async () => {
  const seen: Array<{ url: string; token: string | undefined }> = [];
  const admin = JSON.parse(readFileSync(join(TESTDATA, 'admin-api.json'), 'utf8')) as Record<string, unknown[]>;
  const kong: Server = createServer((req, res) => {
    seen.push({ url: req.url!, token: req.headers['kong-admin-token'] as string | undefined });
    const list = new URL(req.url!, 'http://kong').pathname.split('/').pop()!;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: admin[list] ?? [], offset: null, next: null }));
  });
  await new Promise<void>((r) => kong.listen(0, '127.0.0.1', r));
  try {
    const adminUrl = `http://127.0.0.1:${(kong.address() as AddressInfo).port}`;
    const { code, out } = await cli(['--kong-admin', adminUrl, '--kong-workspace', 'shop', '--kong-header', 'Kong-Admin-Token: s3cret']);
    // The same Kong as the decK file imported above: what that source already defines is reported, not duplicated.
    assert.equal(code, 1, out);
    assert.match(out, /entities: 1 api; relations: 5; operations: 5; errors: 3/);
    for (const ref of ['api:default/orders-api', 'component:default/mobile-app', 'component:default/partner-acme']) {
      assert.match(out, new RegExp(`metadata\\.name: ${ref} is already defined in .*kong\\.yaml:\\d+; this definition was not imported`));
    }
    assert.deepEqual(seen, ['services', 'routes', 'consumers'].map((l) => ({ url: `/shop/${l}?size=1000`, token: 's3cret' })));
    const d = await px.gql(`{ entity(ref: "api:shop/catalog") { source { file } operations { method } } }`);
    assert.deepEqual(d.entity, { source: { file: `${adminUrl}/shop/services/4e0d2a61-8f7b-4d3e-b2c4-5a6b7c8d9e02` }, operations: ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'].map((method) => ({ method })) });
  } finally {
    await new Promise<void>((r) => kong.close(() => r()));
  }
});
