import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, migrate, type Store } from '@plexus/store';
import { createPlexusYoga, type ServerContext } from './yoga.ts';
import { createAuthenticator, decide, permits, type Role } from './auth/authenticate.ts';

const TOKENS = { ingest: 'ingest-token-0123456789', read: 'read-token-0123456789', admin: 'admin-token-0123456789' };
const hash = (v: string) => createHash('sha256').update(v).digest('hex');
const auth = createAuthenticator((Object.entries(TOKENS) as Array<[Role, string]>).map(([role, token]) => ({ name: `${role}-bot`, role, sha256: hash(token) })));

const dir = mkdtempSync(join(tmpdir(), 'plexus-auth-'));
let store: Store;
before(async () => {
  store = await openStore({ dataDir: dir });
  await migrate(store, { retentionDays: 7 });
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const REGISTER = `mutation { registerEntity(input: { kind: "Component", name: "probe", type: "service", lifecycle: "experimental", owner: "team-a" }) { entity { ref owner } } }`;

async function post(withAuth: boolean, query: string, headers: Record<string, string> = {}, server: ServerContext = {}) {
  const yoga = createPlexusYoga({ store, retentionDays: 7, version: 'test', log: () => {}, ...(withAuth ? { auth } : {}) });
  const res = await yoga.fetch('http://plexus/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) }, server);
  return { status: res.status, headers: res.headers, body: (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> } };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('tokens map to their principal by hash; a wrong, malformed or missing header maps to none', () => {
  assert.deepEqual(auth.authenticate(`Bearer ${TOKENS.read}`), { name: 'read-bot', role: 'read' });
  assert.deepEqual(auth.authenticate(`bearer  ${TOKENS.admin} `), { name: 'admin-bot', role: 'admin' }, 'the scheme is case-insensitive');
  assert.equal(auth.authenticate(`Bearer ${TOKENS.read}x`), undefined);
  assert.equal(auth.authenticate(TOKENS.read), undefined, 'no scheme');
  assert.equal(auth.authenticate(`Basic ${TOKENS.read}`), undefined);
  assert.equal(auth.authenticate(undefined), undefined);
  assert.equal(createAuthenticator([]).enabled, false);
  assert.equal(auth.enabled, true);
});

test('roles: admin covers read and ingest; read and ingest cover only themselves', () => {
  const table = (['ingest', 'read', 'admin'] as Role[]).map((role) => (['ingest', 'read', 'admin'] as Role[]).map((need) => permits(role, need)));
  assert.deepEqual(table, [[true, false, false], [false, true, false], [true, true, true]]);
  assert.deepEqual(decide(auth, `Bearer ${TOKENS.ingest}`, 'read'), { ok: false, status: 403, message: 'token "ingest-bot" has role ingest; this needs read or admin' });
  assert.deepEqual(decide(createAuthenticator([]), undefined, 'admin'), { ok: true, principal: undefined }, 'auth off lets everything through');
});

test('GraphQL with auth on: 401 without or with an unknown token, 403 for ingest tokens, queries for read', async () => {
  for (const headers of [{}, bearer('not-a-configured-token'), { authorization: 'Basic abc' }]) {
    const r = await post(true, '{ about { version } }', headers);
    assert.equal(r.status, 401, JSON.stringify(headers));
    assert.equal(r.headers.get('www-authenticate'), 'Bearer');
    assert.equal(r.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.equal(r.body.data, undefined);
  }
  const ingest = await post(true, '{ about { version } }', bearer(TOKENS.ingest));
  assert.equal(ingest.status, 403);
  assert.equal(ingest.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  assert.match(ingest.body.errors![0]!.message, /role ingest/);
  const read = await post(true, '{ about { version } }', bearer(TOKENS.read));
  assert.deepEqual({ status: read.status, body: read.body }, { status: 200, body: { data: { about: { version: 'test' } } } });
});

test('GraphQL with auth on: a read token cannot mutate, an admin token can', async () => {
  const read = await post(true, REGISTER, bearer(TOKENS.read));
  assert.equal(read.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  assert.match(read.body.errors![0]!.message, /admin role; token "read-bot" has role read/);
  assert.equal(read.body.data, null);
  // Loopback does not stand in for a token when auth is on.
  const readLocal = await post(true, REGISTER, bearer(TOKENS.read), { req: { socket: { remoteAddress: '127.0.0.1' } } });
  assert.equal(readLocal.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  const admin = await post(true, REGISTER, bearer(TOKENS.admin), { req: { socket: { remoteAddress: '203.0.113.9' } } });
  assert.deepEqual(admin.body, { data: { registerEntity: { entity: { ref: 'component:default/probe', owner: 'group:default/team-a' } } } });
});

test('GraphQL with auth off: queries are open, mutations only from loopback', async () => {
  assert.deepEqual((await post(false, '{ about { version } }')).body, { data: { about: { version: 'test' } } });
  for (const server of [{}, { req: { socket: { remoteAddress: '192.168.1.20' } } }]) {
    const r = await post(false, REGISTER, {}, server);
    assert.equal(r.body.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(server));
    assert.match(r.body.errors![0]!.message, /from this machine only/);
  }
  for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
    const r = await post(false, REGISTER, {}, { req: { socket: { remoteAddress: address } } });
    assert.equal(r.body.errors, undefined, `${address}: ${JSON.stringify(r.body.errors)}`);
  }
});

test('GraphiQL\'s page still opens with auth on (it holds no data); its queries need the token', async () => {
  const yoga = createPlexusYoga({ store, retentionDays: 7, version: 'test', log: () => {}, auth });
  const res = await yoga.fetch('http://plexus/graphql', { headers: { accept: 'text/html' } });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Plexus GraphQL/);
  const get = await yoga.fetch('http://plexus/graphql?query=%7Babout%7Bversion%7D%7D', { headers: { accept: 'application/json' } });
  assert.equal(get.status, 401);
});
