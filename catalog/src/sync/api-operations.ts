import { parse as parseYaml } from 'yaml';
import type { CatalogError, LocatedEntity } from '../model/entity.ts';
import { openApiOperations } from '../openapi/operations.ts';
import { asyncApiOperations } from '../asyncapi/operations.ts';

/** An API operation as stored: HTTP method and path template, or SEND/RECEIVE and a channel address. */
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
      operations: r.operations.map((o) => ({ apiRef: api.ref, method: o.method, path: o.path, fullPath: o.fullPath, operationId: o.operationId ?? '', summary: o.summary ?? '', tags: o.tags, deprecated: o.deprecated, statusCodes: o.statusCodes })),
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
  // graphql and grpc definitions are kept as text; their operations come in a later step.
  return { operations: [], problems: [] };
}
