// Tokens and roles over real HTTP: GraphQL, OTLP ingest, the catalog import route and the CLI that calls it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTestPlexus, postOtlpJson, type TestPlexus } from './harness.ts';
import { otlpJson, newTraceId, newSpanId } from './spans.ts';
import { fixturePath } from './fixtures.ts';

const TOKEN = { ingest: 'ci-ingest-token-0123456789', read: 'grafana-read-token-0123456789', admin: 'admin-token-0123456789abcdef' };
const EXAMPLES = fixturePath('catalog/backstage/catalog-model-examples-2021/');
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const configDir = mkdtempSync(join(tmpdir(), 'plexus-auth-config-'));
let px: TestPlexus;

before(async () => {
  // One token read from the environment, one stored hashed, and the admin one from PLEXUS_ADMIN_TOKEN.
  const readHash = createHash('sha256').update(TOKEN.read).digest('hex');
  writeFileSync(join(configDir, 'plexus.yaml'), `auth:\n  tokens:\n    - { name: ci-ingest, role: ingest, tokenEnv: PLEXUS_TOKEN_CI }\n    - { name: grafana, role: read, sha256: "${readHash}" }\n`);
  px = await startTestPlexus({ PLEXUS_CONFIG: join(configDir, 'plexus.yaml'), PLEXUS_TOKEN_CI: TOKEN.ingest, PLEXUS_ADMIN_TOKEN: TOKEN.admin });
});
after(async () => {
  await px?.close();
  rmSync(configDir, { recursive: true, force: true });
});

async function importCatalog(headers: Record<string, string>) {
  const res = await fetch(`${px.url}/api/catalog/import`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ paths: [`${EXAMPLES}all-components.yaml`] }) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { message?: string; entities?: Record<string, number> } };
}

test('without a token GraphQL answers 401 with WWW-Authenticate; /healthz and /metrics stay open', async () => {
  const res = await fetch(`${px.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ about { version } }' }) });
  assert.equal(res.status, 401);
  assert.equal(res.headers.get('www-authenticate'), 'Bearer');
  const body = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
  assert.equal(body.errors[0]!.extensions.code, 'UNAUTHENTICATED');
  assert.equal((await fetch(`${px.url}/healthz`)).status, 200);
  const metrics = await fetch(`${px.url}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /# (HELP|TYPE) /);
});

test('a read token queries but cannot mutate', async () => {
  const q = await px.gqlRaw('{ about { version } catalog { totalCount } }', {}, bearer(TOKEN.read));
  assert.equal(q.errors, undefined, JSON.stringify(q.errors));
  assert.equal(typeof q.data.about.version, 'string');
  const m = await px.gqlRaw(`mutation { setLifecycle(ref: "component:x", lifecycle: "production") { entity { ref } } }`, {}, bearer(TOKEN.read));
  assert.equal(m.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  assert.match(m.errors![0]!.message, /token "grafana" has role read/);
});

test('the catalog import route needs an admin token; the admin registers an API and cannot edit what a file defines', async () => {
  assert.equal((await importCatalog({})).status, 401);
  const asReader = await importCatalog(bearer(TOKEN.read));
  assert.equal(asReader.status, 403);
  assert.match(asReader.body.message!, /needs admin/);
  const imported = await importCatalog(bearer(TOKEN.admin));
  assert.equal(imported.status, 200, JSON.stringify(imported.body));
  assert.equal(imported.body.entities?.component, 13);

  const definition = readFileSync(fixturePath('catalog/openapi/oai-examples/v3.0/petstore.yaml'), 'utf8');
  const reg = await px.gqlRaw(`mutation($d: String!) { registerEntity(input: { kind: "API", name: "pets-adhoc", type: "openapi", lifecycle: "production", owner: "team-c", definition: $d }) { entity { ref } } }`, { d: definition }, bearer(TOKEN.admin));
  assert.equal(reg.errors, undefined, JSON.stringify(reg.errors));
  const seen = await px.gqlRaw(`{ catalog(kind: "api") { edges { node { ref } } } entity(ref: "api:pets-adhoc") { owner operations { method fullPath } } }`, {}, bearer(TOKEN.read));
  assert.deepEqual(seen.data.catalog.edges.map((e: { node: { ref: string } }) => e.node.ref), ['api:default/pets-adhoc']);
  assert.equal(seen.data.entity.owner, 'group:default/team-c');
  // The fixture declares GET and POST /pets and GET /pets/{petId}, under the server's /v1.
  assert.deepEqual(seen.data.entity.operations, [
    { method: 'GET', fullPath: '/v1/pets' },
    { method: 'POST', fullPath: '/v1/pets' },
    { method: 'GET', fullPath: '/v1/pets/{petId}' },
  ]);

  const edit = await px.gqlRaw(`mutation { setOwner(ref: "component:artist-lookup", owner: "team-z") { entity { ref } } }`, {}, bearer(TOKEN.admin));
  assert.equal(edit.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  const file = fixturePath('catalog/backstage/catalog-model-examples-2021/components/artist-lookup-component.yaml');
  assert.equal(edit.errors![0]!.message, `component:default/artist-lookup is defined in ${file}:1; change it there`);
});

test('an ingest token sends telemetry but gets 403 on /graphql; wrong or read tokens cannot ingest', async () => {
  const traceId = newTraceId();
  // A new span of one trace per request, so the trace tells how many requests were written.
  const spans = () => otlpJson([{ service: 'auth-probe', name: 'GET /', kind: 'SERVER', traceId, spanId: newSpanId(), startMs: Date.now() - 1000, durationMs: 5 }]);
  const sent = await postOtlpJson(px.otlpUrl, spans(), bearer(TOKEN.ingest));
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const asAdmin = await postOtlpJson(px.otlpUrl, spans(), bearer(TOKEN.admin));
  assert.equal(asAdmin.status, 200, 'admin may ingest too');

  const gql = await px.gqlRaw('{ about { version } }', {}, bearer(TOKEN.ingest));
  assert.equal(gql.errors?.[0]?.extensions?.code, 'FORBIDDEN');

  const wrong = await postOtlpJson(px.otlpUrl, spans(), bearer('not-the-token-0123456789'));
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers.get('www-authenticate'), 'Bearer');
  assert.deepEqual(wrong.body, { code: 16, message: 'the bearer token is not valid' });
  const none = await postOtlpJson(px.otlpUrl, spans());
  assert.equal(none.status, 401);
  const reader = await postOtlpJson(px.otlpUrl, spans(), bearer(TOKEN.read));
  assert.deepEqual({ status: reader.status, body: reader.body }, { status: 403, body: { code: 7, message: 'token "grafana" has role read; this needs ingest or admin' } });

  // Only the two accepted requests were written.
  await px.recompute();
  const trace = await px.gqlRaw(`query($id: ID!) { trace(id: $id) { spanCount } }`, { id: traceId }, bearer(TOKEN.read));
  assert.equal(trace.errors, undefined, JSON.stringify(trace.errors));
  assert.equal(trace.data.trace.spanCount, 2);
});

test('the CLI sends PLEXUS_TOKEN with its import, and says why the server refused one without', async () => {
  const run = promisify(execFile);
  const cli = (env: Record<string, string>) => run(process.execPath, ['cli/plexus.ts', 'catalog', 'import', `${EXAMPLES}all-components.yaml`], {
    cwd: ROOT, env: { ...process.env, PLEXUS_URL: px.url, PLEXUS_CONFIG: '', PLEXUS_ADMIN_TOKEN: '', ...env },
  });
  const { stdout } = await cli({ PLEXUS_TOKEN: TOKEN.admin });
  assert.match(stdout, /imported through the running Plexus/);
  await assert.rejects(cli({}), (err: { stderr: string; stdout: string }) => /refused the import \(401\)/.test(err.stdout + err.stderr));
});
