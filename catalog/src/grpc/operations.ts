import protobuf from 'protobufjs';
import type { ApiOperation } from '../openapi/operations.ts';

/** How an rpc streams, kept as its one tag: traffic names a call the same way whatever it streams. */
export type StreamingKind = 'unary' | 'client-streaming' | 'server-streaming' | 'bidi-streaming';

/**
 * What one .proto file yields, or why it could not be read. Each rpc is an
 * operation with method `RPC`, path and full path `package.Service/Method`
 * (the gRPC wire path without its leading `/`, and OpenTelemetry's rpc span
 * name), operation id `Method`, and its streaming kind as its only tag.
 */
export type GrpcResult = { ok: true; package: string; operations: ApiOperation[] } | { ok: false; error: string };

/**
 * Lists the rpcs of every service in a .proto file (proto2, proto3 or
 * editions). Imports are not followed: an rpc's name does not depend on them.
 * `//` comments count as documentation, as protoc and most style guides have
 * it; `option deprecated = true` on a service deprecates all its rpcs.
 */
export function grpcOperations(text: string): GrpcResult {
  let parsed: protobuf.IParserResult;
  try {
    parsed = protobuf.parse(text, { alternateCommentMode: true });
  } catch (err) {
    // protobufjs puts "(line N)" in syntax errors; duplicate names come without one.
    return { ok: false, error: (err as Error).message.split('\n')[0]! };
  }
  const operations: ApiOperation[] = [];
  for (const service of services(parsed.root)) {
    const name = service.fullName.replace(/^\./, '');
    const serviceDeprecated = service.options?.['deprecated'] === true;
    for (const m of service.methodsArray) {
      const path = `${name}/${m.name}`;
      operations.push({
        method: 'RPC',
        path,
        fullPath: path,
        operationId: m.name,
        summary: m.comment?.trim().split('\n')[0] || undefined,
        tags: [streamingKind(m)],
        deprecated: serviceDeprecated || m.options?.['deprecated'] === true,
        statusCodes: [],
      });
    }
  }
  return { ok: true, package: parsed.package ?? '', operations };
}

function streamingKind(m: protobuf.Method): StreamingKind {
  if (m.requestStream && m.responseStream) return 'bidi-streaming';
  if (m.requestStream) return 'client-streaming';
  return m.responseStream ? 'server-streaming' : 'unary';
}

// Services in declaration order; a package `a.b` nests namespaces a > b.
function services(ns: protobuf.NamespaceBase): protobuf.Service[] {
  return ns.nestedArray.flatMap((o) => (o instanceof protobuf.Service ? [o] : o instanceof protobuf.Namespace ? services(o) : []));
}
