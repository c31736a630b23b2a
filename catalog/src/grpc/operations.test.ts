import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { grpcOperations } from './operations.ts';
import { loadCatalog } from '../backstage/load-catalog.ts';
import { apiOperationsOf } from '../sync/api-operations.ts';
import { fixturePath } from '../../../test/fixtures.ts';

const HELLO = fixturePath('catalog/backstage/catalog-model-examples-2021/apis/hello-world-api.yaml');
const CREATE_APP = fixturePath('catalog/backstage/create-app-0.9.2-examples/entities.yaml');

const definitionOf = (doc: unknown) => (doc as { spec: { definition: string } }).spec.definition;

test('hello-world: Greeter.SayHello under package helloworld, as gRPC and OpenTelemetry name it, with its comment', () => {
  const r = grpcOperations(definitionOf(parseYaml(readFileSync(HELLO, 'utf8'))));
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.package, 'helloworld');
  assert.deepEqual(r.operations, [{
    method: 'RPC', path: 'helloworld.Greeter/SayHello', fullPath: 'helloworld.Greeter/SayHello', operationId: 'SayHello',
    summary: 'Sends a greeting', tags: ['unary'], deprecated: false, statusCodes: [],
  }]);
});

test('create-app example: a proto without a package names its rpc Service/Method', () => {
  const doc = parseAllDocuments(readFileSync(CREATE_APP, 'utf8')).map((d) => d.toJS()).find((d) => d?.metadata?.name === 'example-grpc-api');
  const r = grpcOperations(definitionOf(doc));
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.package, '');
  assert.deepEqual(r.operations.map((o) => [o.path, o.operationId, o.summary]), [['Exampler/Example', 'Example', undefined]]);
});

test('streaming kinds, dotted packages, several services and deprecation (rpc and whole service)', () => {
  const r = grpcOperations(`syntax = "proto3";
package acme.inventory.v1;

/* Stock levels. */
service Stock {
  // Watches one item.
  // Sends a message per change.
  rpc Watch (ItemRequest) returns (stream Level);
  rpc Upload (stream Level) returns (Summary);
  rpc Sync (stream Level) returns (stream Level);
  rpc Get (ItemRequest) returns (Level) { option deprecated = true; }
}

service LegacyStock {
  option deprecated = true;
  rpc Get (ItemRequest) returns (Level);
}

message ItemRequest { string id = 1; }
message Level { message Where { string shelf = 1; } int32 count = 1; Where where = 2; }
message Summary { int32 received = 1; }
`);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.deepEqual(r.operations.map((o) => `${o.path} ${o.tags.join(',')}${o.deprecated ? ' deprecated' : ''}`), [
    'acme.inventory.v1.Stock/Watch server-streaming',
    'acme.inventory.v1.Stock/Upload client-streaming',
    'acme.inventory.v1.Stock/Sync bidi-streaming',
    'acme.inventory.v1.Stock/Get unary deprecated',
    'acme.inventory.v1.LegacyStock/Get unary deprecated',
  ]);
  assert.equal(r.operations[0]?.summary, 'Watches one item.');
  assert.ok(r.operations.every((o) => o.method === 'RPC' && o.fullPath === o.path));
});

test('an invalid proto is an error result naming the line', () => {
  assert.deepEqual(grpcOperations('syntax = "proto3";\n\nservice Greeter {\n  rpc SayHello (HelloRequest) returns HelloReply;\n}\n'),
    { ok: false, error: "illegal token 'HelloReply', '(' expected (line 4)" });
  const r = grpcOperations('syntax = "proto3";\nmessage A { string a = 1; }\nservice S {\n  rpc X (A) returns (A);\n  rpc X (A) returns (A);\n}\n');
  assert.equal(r.ok, false, 'a duplicate rpc name is refused (protobufjs gives no line for it)');
});

test('apiOperationsOf reads grpc API entities from both catalogs into stored operations with their apiRefs', async () => {
  const hello = (await loadCatalog([HELLO])).entities.find((e) => e.ref === 'api:default/hello-world');
  const example = (await loadCatalog([CREATE_APP])).entities.find((e) => e.ref === 'api:default/example-grpc-api');
  assert.ok(hello && example);
  const h = await apiOperationsOf(hello);
  assert.deepEqual(h.problems, []);
  assert.deepEqual(h.operations, [{
    apiRef: 'api:default/hello-world', method: 'RPC', path: 'helloworld.Greeter/SayHello', fullPath: 'helloworld.Greeter/SayHello',
    operationId: 'SayHello', summary: 'Sends a greeting', tags: ['unary'], deprecated: false, statusCodes: [],
  }]);
  const x = await apiOperationsOf(example);
  assert.deepEqual(x.operations.map((o) => `${o.apiRef} ${o.fullPath}`), ['api:default/example-grpc-api Exampler/Example']);

  const broken = await apiOperationsOf({ ...hello, entity: { ...hello.entity, spec: { type: 'GRPC', definition: 'syntax = "proto3";\nservice S {\n  rpc X (A) returns B;\n}' } } });
  assert.deepEqual(broken.operations, []);
  assert.deepEqual(broken.problems.map((p) => [p.file, p.field, p.message]), [[HELLO, 'spec.definition', "gRPC definition: illegal token 'B', '(' expected (line 3)"]]);
});
