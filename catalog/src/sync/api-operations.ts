import { parse as parseYaml } from 'yaml';
import type { CatalogError, LocatedEntity } from '../model/entity.ts';
import { openApiOperations, type ApiOperation } from '../openapi/operations.ts';
import { asyncApiOperations } from '../asyncapi/operations.ts';
import { graphqlOperations } from '../graphql/operations.ts';
import { grpcOperations } from '../grpc/operations.ts';

/**
 * An API operation as stored: HTTP method and path template, SEND/RECEIVE and a
 * channel address, QUERY/MUTATION/SUBSCRIPTION and a root field, or RPC and
 * `package.Service/Method`.
 */
export interface StoredOperation {
  apiRef: string;
  method: string;
  path: string;
  fullPath: string;
  operationId: string;
  summary: string;
  tags: string[];
  deprecated: boolean;
  statusCodes: string[];
}

/** The operations an API entity's definition declares, and located problems reading it. */
export async function apiOperationsOf(api: LocatedEntity, opts: { allowedHosts?: readonly string[] } = {}): Promise<{ operations: StoredOperation[]; problems: CatalogError[] }> {
  const spec = (api.entity.spec ?? {}) as { type?: string; definition?: string };
  const problem = (message: string): CatalogError => ({ ...api.source, field: 'spec.definition', message });
  if (!spec.definition) return { operations: [], problems: [] };
  const type = (spec.type ?? '').toLowerCase();
  if (type === 'openapi') {
    let document: unknown;
    try {
      document = parseYaml(spec.definition);
    } catch (err) {
      return { operations: [], problems: [problem(`OpenAPI definition is not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`)] };
    }
    if (typeof document !== 'object' || document === null) return { operations: [], problems: [problem('OpenAPI definition is not an object')] };
    const r = await openApiOperations({ document, baseFile: api.source.file }, { allowRemoteRefs: false });
    if (!r.ok) return { operations: [], problems: [problem(`OpenAPI definition: ${r.error}`)] };
    return {
      operations: r.operations.map((o) => stored(api.ref, o)),
      problems: [],
    };
  }
  if (type === 'asyncapi') {
    const r = await asyncApiOperations({ text: spec.definition, baseFile: api.source.file }, { allowedHosts: opts.allowedHosts ?? [] });
    const problems = r.problems.map(problem);
    if (!r.ok) return { operations: [], problems: [...problems, problem(`AsyncAPI definition: ${r.error}`)] };
    return {
      operations: r.operations.map((o) => ({ apiRef: api.ref, method: o.action.toUpperCase(), path: o.address, fullPath: o.address, operationId: o.operationId, summary: o.messages.join(', '), tags: [], deprecated: false, statusCodes: [] })),
      problems,
    };
  }
  if (type === 'graphql' || type === 'grpc') {
    // Lines in these errors count from the definition's first line, not the catalog file's.
    const r = type === 'graphql' ? graphqlOperations(spec.definition) : grpcOperations(spec.definition);
    if (!r.ok) return { operations: [], problems: [problem(`${type === 'graphql' ? 'GraphQL' : 'gRPC'} definition: ${r.error}`)] };
    return {
      operations: r.operations.map((o) => stored(api.ref, o)),
      problems: [],
    };
  }
  return { operations: [], problems: [] };
}

function stored(apiRef: string, o: ApiOperation): StoredOperation {
  return { apiRef, method: o.method, path: o.path, fullPath: o.fullPath, operationId: o.operationId ?? '', summary: o.summary ?? '', tags: o.tags, deprecated: o.deprecated, statusCodes: o.statusCodes };
}
