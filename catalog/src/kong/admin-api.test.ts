import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Store } from '@plexus/store';
import { fetchKongConfig } from './admin-api.ts';
import { parseDeck } from './parse-deck.ts';
import { kongToEntities } from './to-entities.ts';
import { importKongAdmin } from './import-kong.ts';

const data = (f: string) => fileURLToPath(new URL(`testdata/${f}`, import.meta.url));
// The Admin API's view of the same gateway kong.yaml declares.
const ADMIN = JSON.parse(readFileSync(data('admin-api.json'), 'utf8')) as Record<'services' | 'routes' | 'consumers', unknown[]>;
const TOKEN = 's3cret';
const PAGE = 2;

let server: Server;
let url: string;
const requests: string[] = [];

// Kong's list endpoints: `?size` and `?offset`, answering { data, offset, next } with `next` relative to the root (no workspace).
before(async () => {
  server = createServer((req, res) => {
    requests.push(req.url!);
    const u = new URL(req.url!, 'http://kong');
    const m = /^\/shop\/(services|routes|consumers)$/.exec(u.pathname);
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers['kong-admin-token'] !== TOKEN) return send(401, { message: 'Invalid credentials. Token or User credentials required' });
    if (!m) return send(404, { message: 'Not found' });
    const all = ADMIN[m[1] as keyof typeof ADMIN];
    const from = Number(u.searchParams.get('offset') ?? 0);
    const to = from + PAGE;
    const offset = to < all.length ? String(to) : null;
    send(200, { data: all.slice(from, to), offset, next: offset ? `/${m[1]}?offset=${offset}` : null });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

test('the Admin API, read page by page in a workspace, yields the same entities as the decK file', async () => {
  requests.length = 0;
  const config = await fetchKongConfig({ adminUrl: `${url}/`, workspace: 'shop', headers: { 'Kong-Admin-Token': TOKEN } });
  assert.deepEqual(config.problems, []);
  assert.equal(config.complete, true);
  assert.deepEqual(requests, [
    '/shop/services?size=1000',
    '/shop/routes?size=1000',
    '/shop/routes?size=1000&offset=2',
    '/shop/consumers?size=1000',
  ]);
  const fromAdmin = kongToEntities(config);
  const fromDeck = kongToEntities(parseDeck(readFileSync(data('kong.yaml'), 'utf8'), data('kong.yaml')));
  assert.deepEqual(fromAdmin.errors, []);
  assert.deepEqual(fromAdmin.entities.map((e) => ({ ref: e.ref, entity: e.entity })), fromDeck.entities.map((e) => ({ ref: e.ref, entity: e.entity })));
  assert.deepEqual(fromAdmin.relations, fromDeck.relations);
  assert.deepEqual(fromAdmin.entities[0]!.source, { file: `${url}/shop/services/9b1f7f2e-3c51-4c8e-9a3a-1d2f0c6a7b01`, document: 0, line: 0 });
});

test('HTTP errors are results naming the URL and status, and the import writes nothing', async () => {
  const config = await fetchKongConfig({ adminUrl: url, workspace: 'shop' });
  assert.equal(config.complete, false);
  assert.deepEqual(config.problems.map((p) => `${p.file} ${p.message}`), ['services', 'routes', 'consumers'].map((l) =>
    `${url}/shop/${l}?size=1000 GET ${url}/shop/${l}?size=1000 answered 401 Unauthorized: Invalid credentials. Token or User credentials required`));

  let writes = 0;
  const store = { insertTsv: async () => void writes++ } as unknown as Store;
  const summary = await importKongAdmin(store, { adminUrl: url, workspace: 'shop' });
  assert.deepEqual({ ...summary, errors: summary.errors.length }, { source: `kong-admin:${url}`, entities: {}, relations: 0, operations: 0, errors: 3 });
  assert.equal(writes, 0, 'an unreachable gateway must not empty what the last import wrote');
});

test('a host outside the allow-list is refused before any request', async () => {
  let calls = 0;
  const spy = (async () => {
    calls++;
    throw new Error('must not be called');
  }) as unknown as typeof fetch;
  const metadata = await fetchKongConfig({ adminUrl: 'http://169.254.169.254/latest', headers: { 'Kong-Admin-Token': TOKEN } }, spy);
  assert.deepEqual(metadata.problems, [{ file: 'http://169.254.169.254/latest', document: 0, line: 0, field: '', message: '169.254.169.254 is not an allowed host for the Kong Admin API (allowed: 127.0.0.1, localhost, ::1, [::1])' }]);
  assert.equal(metadata.complete, false);
  const elsewhere = await fetchKongConfig({ adminUrl: url, allowedHosts: ['kong-admin.internal'] }, spy);
  assert.match(elsewhere.problems[0]!.message, /^127\.0\.0\.1 is not an allowed host/);
  assert.equal(calls, 0);
});
