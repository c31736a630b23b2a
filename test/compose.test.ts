// Validates docker-compose.yml against the official Compose Specification JSON schema
// (vendored in test/fixtures, see compose-spec.SOURCE.md) and checks the project facts the
// container setup must keep: healthchecks, Kafka 3.9 (DESIGN.md §9), ClickHouse server mode
// (DESIGN.md §3), the published ports of DESIGN.md §4, and a chdb-free image.
//
//   node --test test/compose.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const require = createRequire(import.meta.url);

/** DESIGN.md §4: UI/GraphQL/healthz/metrics, OTLP/gRPC, OTLP/HTTP, Zipkin. */
const DESIGN_PORTS = new Set([8080, 4317, 4318, 9411]);
const PLEXUS_SERVICES = ['collector', 'api'];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function obj(value: unknown, what: string): Obj {
  assert.ok(isObj(value), `${what} must be a mapping`);
  return value;
}

// ---------------------------------------------------------------- schema validation

function compileComposeSchema(): ValidateFunction {
  const schema = JSON.parse(readFileSync(join(here, 'fixtures', 'compose-spec.schema.json'), 'utf8')) as Obj;
  // The schema declares draft-07 (the default dialect of the `ajv` entry point), but spells
  // the meta-schema id as https://json-schema.org/draft-07/schema, while Ajv registers
  // http://json-schema.org/draft-07/schema#. Register Ajv's own draft-07 meta-schema under
  // the spelling the file uses, so the schema itself is still checked against its meta-schema.
  assert.equal(schema['$schema'], 'https://json-schema.org/draft-07/schema', 'schema dialect changed: pick the matching Ajv class');
  const draft07 = require('ajv/dist/refs/json-schema-draft-07.json') as Obj;
  // `ajv` is CommonJS: under Node's ESM interop the default import is module.exports, which
  // carries the class as `.default` too (and that is what TypeScript's types say).
  const Ajv = AjvModule.default;
  // strictSchema stays on (unknown keywords or formats would throw); strictTypes only lints
  // "type" placement in subschemas, which the upstream schema does not follow.
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true });
  ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
  return ajv.compile(schema);
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');
}

function loadCompose(): Obj {
  const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
  // merge: true: Compose honours YAML merge keys (`<<: *anchor`), YAML 1.2 core does not.
  return obj(parse(text, { merge: true }), 'docker-compose.yml');
}

const validate = compileComposeSchema();
const compose = loadCompose();
const services = obj(compose['services'], 'services');

function service(name: string): Obj {
  return obj(services[name], `services.${name}`);
}

function envOf(svc: Obj): Map<string, string> {
  const env = new Map<string, string>();
  const raw = svc['environment'];
  if (Array.isArray(raw)) {
    for (const item of raw) {
      const [key, ...rest] = String(item).split('=');
      env.set(key ?? '', rest.join('='));
    }
  } else if (isObj(raw)) {
    for (const [key, value] of Object.entries(raw)) env.set(key, value === null ? '' : String(value));
  }
  return env;
}

interface Published {
  hostIp: string | undefined;
  hostPort: number | undefined;
  containerPort: number;
  protocol: string;
}

/** Compose short ([[IP:]HOST:]CONTAINER[/PROTO]) and long port syntax, single ports only. */
function portsOf(svc: Obj): Published[] {
  const raw = svc['ports'] ?? [];
  assert.ok(Array.isArray(raw), 'ports must be a list');
  return raw.map((entry): Published => {
    if (isObj(entry)) {
      const published = entry['published'];
      return {
        hostIp: typeof entry['host_ip'] === 'string' ? entry['host_ip'] : undefined,
        hostPort: published === undefined || published === null ? undefined : Number(published),
        containerPort: Number(entry['target']),
        protocol: typeof entry['protocol'] === 'string' ? entry['protocol'] : 'tcp',
      };
    }
    const [spec = '', protocol = 'tcp'] = String(entry).split('/');
    const parts = spec.split(':');
    assert.ok(parts.length <= 3 && !spec.includes('-'), `unsupported port syntax: ${String(entry)}`);
    const containerPort = Number(parts.at(-1));
    const hostPort = parts.length >= 2 ? Number(parts.at(-2)) : undefined;
    const hostIp = parts.length === 3 ? parts[0] : undefined;
    return { hostIp, hostPort, containerPort, protocol };
  });
}

test('docker-compose.yml is valid against the Compose Specification schema', () => {
  const ok = validate(compose);
  assert.ok(ok, `schema errors:\n${describeErrors(validate.errors)}`);
  assert.ok(!('version' in compose), 'the top-level `version` key is obsolete in the Compose spec');
});

test('the validator rejects invalid Compose documents (negative checks)', () => {
  const badPorts = structuredClone(compose);
  obj(obj(badPorts['services'], 'services')['api'], 'api')['ports'] = 'not-a-list';
  assert.equal(validate(badPorts), false, 'a string `ports` must be rejected');
  assert.ok(validate.errors?.some((e) => e.instancePath === '/services/api/ports'), describeErrors(validate.errors));

  const unknownTopLevel = { ...structuredClone(compose), servces: {} };
  assert.equal(validate(unknownTopLevel), false, 'an unknown top-level key must be rejected');
  assert.ok(validate.errors?.some((e) => e.keyword === 'additionalProperties' && e.instancePath === ''), describeErrors(validate.errors));

  const badHealthcheck = structuredClone(compose);
  obj(obj(obj(badHealthcheck['services'], 'services')['kafka'], 'kafka')['healthcheck'], 'healthcheck')['interval'] = ['10s'];
  assert.equal(validate(badHealthcheck), false, 'a list-valued healthcheck interval must be rejected');
});

test('every service has an enabled healthcheck', () => {
  for (const [name, value] of Object.entries(services)) {
    const svc = obj(value, `services.${name}`);
    const hc = obj(svc['healthcheck'], `services.${name}.healthcheck`);
    assert.notEqual(hc['disable'], true, `${name}: healthcheck disabled`);
    const testCmd = hc['test'];
    assert.ok(
      (typeof testCmd === 'string' && testCmd.length > 0) ||
        (Array.isArray(testCmd) && (testCmd[0] === 'CMD' || testCmd[0] === 'CMD-SHELL') && testCmd.length > 1),
      `${name}: healthcheck.test must be a command`,
    );
  }
});

test('Kafka runs 3.9.x in single-node KRaft mode (DESIGN.md §9)', () => {
  const kafka = service('kafka');
  assert.match(String(kafka['image']), /^apache\/kafka:3\.9\.\d+$/);
  const env = envOf(kafka);
  assert.deepEqual(env.get('KAFKA_PROCESS_ROLES')?.split(',').sort(), ['broker', 'controller']);
  assert.ok(env.get('CLUSTER_ID'), 'CLUSTER_ID must be fixed');
  assert.match(env.get('KAFKA_CONTROLLER_QUORUM_VOTERS') ?? '', new RegExp(`^${env.get('KAFKA_NODE_ID')}@[^:]+:\\d+$`));
  const listenerNames = (env.get('KAFKA_LISTENERS') ?? '').split(',').map((l) => l.split(':')[0] ?? '');
  const protocolMap = new Map((env.get('KAFKA_LISTENER_SECURITY_PROTOCOL_MAP') ?? '').split(',').map((p) => p.split(':') as [string, string]));
  for (const name of listenerNames) assert.ok(protocolMap.has(name), `listener ${name} missing from the security protocol map`);
  assert.ok(listenerNames.includes(env.get('KAFKA_CONTROLLER_LISTENER_NAMES') ?? ''), 'controller listener not defined');
  assert.ok(listenerNames.includes(env.get('KAFKA_INTER_BROKER_LISTENER_NAME') ?? ''), 'inter-broker listener not defined');
  const advertised = (env.get('KAFKA_ADVERTISED_LISTENERS') ?? '').split(',');
  assert.ok(advertised.includes('PLAINTEXT://kafka:9092'), 'in-network listener must be advertised as kafka:9092');
  assert.ok(advertised.includes('EXTERNAL://localhost:29092'), 'host listener must be advertised as localhost:29092');
  assert.ok(portsOf(kafka).some((p) => p.hostPort === 29092 && p.containerPort === 29092), 'host port 29092 must be published');
  for (const key of ['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR']) {
    assert.equal(env.get(key), '1', `${key} must be 1 on a single node`);
  }
  const brokers = envOf(service('collector')).get('KAFKA_BROKERS') ?? '';
  for (const broker of brokers.split(',')) {
    assert.ok(advertised.some((a) => a.endsWith(`://${broker}`)), `collector broker ${broker} is not an advertised Kafka listener`);
  }
});

test('ClickHouse server: pinned 25.x image, loopback-only ports, plexus database and user', () => {
  const ch = service('clickhouse');
  assert.match(String(ch['image']), /^clickhouse\/clickhouse-server:25\.\d+/);
  const env = envOf(ch);
  assert.equal(env.get('CLICKHOUSE_DB'), 'plexus');
  assert.equal(env.get('CLICKHOUSE_USER'), 'plexus');
  assert.equal(env.get('CLICKHOUSE_DEFAULT_ACCESS_MANAGEMENT'), '1');
  const ports = portsOf(ch);
  assert.deepEqual(ports.map((p) => p.containerPort).sort(), [8123, 9000]);
  for (const p of ports) assert.ok(p.hostIp !== undefined && LOOPBACK.has(p.hostIp), `ClickHouse port ${p.containerPort} must bind to loopback only`);
});

test('collector and api are built from the repository Dockerfile and run in server mode', () => {
  const built = Object.entries(services)
    .filter(([, value]) => isObj(value) && value['build'] !== undefined)
    .map(([name]) => name)
    .sort();
  assert.deepEqual(built, [...PLEXUS_SERVICES].sort());
  const chEnv = envOf(service('clickhouse'));
  for (const name of PLEXUS_SERVICES) {
    const svc = service(name);
    const build = svc['build'];
    const context = typeof build === 'string' ? build : String(obj(build, `${name}.build`)['context'] ?? '.');
    const dockerfile = isObj(build) && typeof build['dockerfile'] === 'string' ? build['dockerfile'] : 'Dockerfile';
    assert.equal(resolve(root, context), root, `${name}: build context must be the repository root`);
    assert.equal(resolve(root, context, dockerfile), join(root, 'Dockerfile'), `${name}: must build from the repository Dockerfile`);
    assert.ok(existsSync(join(root, 'Dockerfile')));
    assert.deepEqual(svc['command'], ['node', 'cli/plexus.ts', name]);

    const env = envOf(svc);
    const url = new URL(env.get('CLICKHOUSE_URL') ?? 'missing:');
    assert.equal(url.protocol, 'http:', `${name}: CLICKHOUSE_URL must be set (server mode, never chDB in a container)`);
    assert.ok(url.hostname in services, `${name}: CLICKHOUSE_URL host ${url.hostname} is not a compose service`);
    assert.equal(url.port, '8123');
    assert.equal(env.get('CLICKHOUSE_USER'), chEnv.get('CLICKHOUSE_USER'), `${name}: ClickHouse user mismatch`);
    assert.equal(env.get('CLICKHOUSE_PASSWORD'), chEnv.get('CLICKHOUSE_PASSWORD'), `${name}: ClickHouse password mismatch`);
    assert.equal(env.get('CLICKHOUSE_DATABASE'), chEnv.get('CLICKHOUSE_DB'), `${name}: ClickHouse database mismatch`);
    assert.equal(obj(obj(svc['depends_on'], `${name}.depends_on`)['clickhouse'], 'depends_on.clickhouse')['condition'], 'service_healthy');
  }
  const collectorDeps = obj(service('collector')['depends_on'], 'collector.depends_on');
  assert.equal(obj(collectorDeps['kafka'], 'depends_on.kafka')['condition'], 'service_healthy');
  assert.ok(envOf(service('collector')).get('KAFKA_BROKERS'), 'collector must get KAFKA_BROKERS');
});

test('published ports match DESIGN.md §4', () => {
  const everywhere = new Set<number>();
  for (const [name, value] of Object.entries(services)) {
    for (const p of portsOf(obj(value, name))) {
      assert.equal(p.protocol, 'tcp');
      if (p.hostIp === undefined || !LOOPBACK.has(p.hostIp)) {
        assert.ok(p.hostPort !== undefined, `${name}: publish ${p.containerPort} on a fixed host port`);
        everywhere.add(p.hostPort);
      }
    }
  }
  assert.deepEqual([...everywhere].sort(), [...DESIGN_PORTS].sort(), 'ports published beyond loopback');

  for (const name of PLEXUS_SERVICES) {
    for (const p of portsOf(service(name))) {
      assert.ok(DESIGN_PORTS.has(p.containerPort), `${name}: container port ${p.containerPort} is not a DESIGN.md §4 port`);
    }
  }
  const samePort = (name: string, port: number): boolean =>
    portsOf(service(name)).some((p) => p.containerPort === port && p.hostPort === port && (p.hostIp === undefined || !LOOPBACK.has(p.hostIp)));
  for (const port of [4317, 4318, 9411]) assert.ok(samePort('collector', port), `collector must publish ${port}`);
  assert.ok(samePort('api', 8080), 'api must publish 8080');
});

// ---------------------------------------------------------------- Dockerfile

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

/** Enough of the Dockerfile grammar for this file: comments, line continuations, stages. */
function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue; // comments (and parser directives), also inside continuations
    if (line.trimEnd().endsWith('\\')) {
      current += line.trimEnd().slice(0, -1) + ' ';
      continue;
    }
    current += line;
    if (current.trim() !== '') logical.push(current.trim());
    current = '';
  }
  if (current.trim() !== '') logical.push(current.trim());

  const stages: Stage[] = [];
  for (const line of logical) {
    const match = /^(\S+)\s*(.*)$/s.exec(line);
    assert.ok(match, `unparsable Dockerfile line: ${line}`);
    const keyword = (match[1] ?? '').toUpperCase();
    const args = (match[2] ?? '').replace(/\s+/g, ' ').trim();
    if (keyword === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      assert.ok(from, `unparsable FROM: ${args}`);
      stages.push({ name: from[2] ?? String(stages.length), from: from[1] ?? '', instructions: [] });
    } else {
      const stage = stages.at(-1);
      assert.ok(stage || keyword === 'ARG', `${keyword} before the first FROM`);
      stage?.instructions.push({ keyword, args });
    }
  }
  return stages;
}

const dockerfileText = readFileSync(join(root, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(dockerfileText);
const finalStage = stages.at(-1);
const byName = new Map(stages.map((s) => [s.name, s]));

function lineage(stage: Stage): Stage[] {
  const chain = [stage];
  let parent = byName.get(stage.from);
  while (parent) {
    chain.push(parent);
    parent = byName.get(parent.from);
  }
  return chain;
}

function npmInstalls(stage: Stage): string[] {
  return stage.instructions
    .filter((i) => i.keyword === 'RUN' && /\bnpm (ci|install|i)\b/.test(i.args))
    .map((i) => i.args);
}

function copyFroms(stage: Stage): { from: string; args: string }[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY' && /--from=/.test(i.args))
    .map((i) => ({ from: /--from=(\S+)/.exec(i.args)?.[1] ?? '', args: i.args }));
}

function execForm(args: string): unknown {
  return JSON.parse(args);
}

test('Dockerfile: node:24-bookworm-slim base, non-root, ports, env, CMD', () => {
  assert.ok(finalStage, 'no stage');
  assert.ok(stages.length >= 3, 'multi-stage build expected');
  for (const s of stages) {
    if (!byName.has(s.from)) assert.equal(s.from, 'node:24-bookworm-slim', `stage ${s.name} base image`);
  }
  const final = lineage(finalStage).flatMap((s) => s.instructions);
  const user = final.filter((i) => i.keyword === 'USER').at(-1)?.args;
  assert.ok(user && !/^(root|0)(:|$)/.test(user), 'the final stage must run as a non-root user');
  const exposed = new Set(final.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(' ')).map((p) => Number(p.split('/')[0])));
  assert.deepEqual([...exposed].sort(), [...DESIGN_PORTS].sort());
  const env = final.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
  assert.match(env, /\bNODE_ENV=production\b/);
  assert.match(env, /\bPLEXUS_PORT=8080\b/);
  // Plexus binds loopback by default: the image must listen on every interface.
  assert.match(env, /\bPLEXUS_HOST=0\.0\.0\.0\b/);
  assert.deepEqual(execForm(final.filter((i) => i.keyword === 'CMD').at(-1)?.args ?? 'null'), ['node', 'cli/plexus.ts', 'start']);
  for (const dir of ['store', 'collector', 'catalog', 'query-api', 'cli']) {
    assert.ok(finalStage.instructions.some((i) => i.keyword === 'COPY' && i.args === `${dir}/ ${dir}/`), `final stage must copy ${dir}/`);
  }
});

test('Dockerfile: HEALTHCHECK probes /healthz with node (no curl in slim)', () => {
  assert.ok(finalStage);
  const hc = lineage(finalStage).flatMap((s) => s.instructions).filter((i) => i.keyword === 'HEALTHCHECK').at(0);
  assert.ok(hc, 'HEALTHCHECK missing');
  const cmd = /\bCMD\s+(\[.*\])$/.exec(hc.args);
  assert.ok(cmd, 'HEALTHCHECK must use the exec form');
  const argv = execForm(cmd[1] ?? '');
  assert.ok(Array.isArray(argv) && argv[0] === 'node', 'HEALTHCHECK must run node');
  const script = argv.join(' ');
  assert.match(script, /fetch\(/);
  assert.match(script, /http:\/\/127\.0\.0\.1:/);
  assert.match(script, /\/healthz/);
  assert.match(script, /PLEXUS_PORT\|\|8080|:8080\//);
});

test('Dockerfile: the image gets production dependencies without optional ones (no chdb)', () => {
  assert.ok(finalStage);
  // The UI build stage contributes ui/dist only.
  const copies = copyFroms(finalStage);
  const sources = new Set<Stage>(lineage(finalStage));
  for (const { from, args } of copies) {
    const stage = byName.get(from);
    assert.ok(stage, `COPY --from=${from}: unknown stage`);
    if (/\/ui\/dist\/? ui\/dist\/?$/.test(args)) continue;
    for (const s of lineage(stage)) sources.add(s);
  }
  const installs = [...sources].flatMap(npmInstalls);
  assert.ok(installs.length > 0, 'the final stage must get node_modules from an npm install');
  for (const cmd of installs) {
    assert.match(cmd, /\bnpm ci\b/, 'use npm ci (lockfile) for the image');
    assert.match(cmd, /--omit=optional\b/, `final-stage install must omit optional dependencies: ${cmd}`);
    assert.match(cmd, /--omit=dev\b/, `final-stage install must omit dev dependencies: ${cmd}`);
  }
  assert.ok(
    finalStage.instructions.some((i) => i.keyword === 'COPY' && /--from=\S+ \/app\/ui\/dist\/? ui\/dist\/?$/.test(i.args)),
    'the final stage must copy the built ui/dist',
  );
});

test('Dockerfile: no install anywhere can pull in chdb, and every workspace manifest is copied', () => {
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] };
  const withChdb = new Set<string>();
  for (const ws of rootPkg.workspaces) {
    const manifest = join(root, ws, 'package.json');
    assert.ok(
      dockerfileText.includes(`COPY ${ws}/package.json ${ws}/package.json`),
      `Dockerfile must copy ${ws}/package.json before npm ci (npm ci needs every workspace manifest)`,
    );
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, Record<string, string> | undefined>;
    if (pkg['optionalDependencies']?.['chdb']) withChdb.add(ws);
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
      assert.equal(pkg[field]?.['chdb'], undefined, `${ws}: chdb must stay an optional dependency (DESIGN.md §3)`);
    }
  }
  for (const stage of stages) {
    for (const cmd of npmInstalls(stage)) {
      if (/--omit=optional\b/.test(cmd)) continue;
      // Without --omit=optional, the install must be limited to workspaces that do not
      // declare chdb (the UI toolchain needs its platform-specific optional binaries).
      const selected = [...cmd.matchAll(/(?:--workspace|-w)[= ](\S+)/g)].map((m) => m[1] ?? '');
      assert.ok(selected.length > 0, `stage ${stage.name}: an install with optional dependencies must select workspaces: ${cmd}`);
      for (const ws of selected) assert.ok(!withChdb.has(ws), `stage ${stage.name}: installs ${ws}, which brings chdb`);
    }
  }
});

test('compose healthchecks for the plexus services probe /healthz like the image does', () => {
  for (const name of PLEXUS_SERVICES) {
    const hc = obj(service(name)['healthcheck'], `${name}.healthcheck`);
    const argv = hc['test'];
    assert.ok(Array.isArray(argv) && argv[0] === 'CMD' && argv[1] === 'node', `${name}: healthcheck must run node`);
    assert.match(argv.join(' '), /http:\/\/127\.0\.0\.1:.*\/healthz/);
  }
});
