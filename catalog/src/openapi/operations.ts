import SwaggerParser from '@apidevtools/swagger-parser';

/** One operation an API declares: the unit traffic is matched against. */
export interface ApiOperation {
  method: string;
  /** The path template as written in the spec, e.g. `/pets/{petId}`. */
  path: string;
  /** The template with the server's base path, as requests see it, e.g. `/v1/pets/{petId}`. */
  fullPath: string;
  operationId: string | undefined;
  summary: string | undefined;
  tags: string[];
  deprecated: boolean;
  /** Response codes the spec declares (`200`, `404`, `default`, …). */
  statusCodes: string[];
}

/** What one OpenAPI definition yields, or why it could not be read. */
export type OpenApiResult = { ok: true; version: string; title: string; operations: ApiOperation[] } | { ok: false; error: string };

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Operation = { operationId?: string; summary?: string; tags?: string[]; deprecated?: boolean; responses?: Record<string, unknown> };
type Document = {
  swagger?: string;
  openapi?: string;
  info?: { title?: string };
  basePath?: string;
  servers?: Array<{ url?: string }>;
  paths?: Record<string, Partial<Record<(typeof METHODS)[number], Operation>> | undefined>;
};

/**
 * Reads an OpenAPI 2.0, 3.0 or 3.1 definition (a file path, or a parsed
 * document with the file it came from) and lists its operations. `$ref`s are
 * resolved by swagger-parser; remote ones only when `allowRemoteRefs` is set.
 */
export async function openApiOperations(source: string | { document: object; baseFile: string }, opts: { allowRemoteRefs?: boolean } = {}): Promise<OpenApiResult> {
  const options = { resolve: { http: opts.allowRemoteRefs ? {} : false, external: true }, validate: { schema: false, spec: false } } as const;
  let doc: Document;
  try {
    doc = (typeof source === 'string'
      ? await SwaggerParser.dereference(source, options as never)
      : await SwaggerParser.dereference(source.baseFile, structuredClone(source.document) as never, options as never)) as unknown as Document;
  } catch (err) {
    return { ok: false, error: (err as Error).message.split('\n')[0]! };
  }
  const version = doc.swagger ?? doc.openapi;
  if (!version) return { ok: false, error: 'not an OpenAPI document: neither "swagger" nor "openapi" is set' };
  const base = basePath(doc);
  const operations: ApiOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      operations.push({
        method: method.toUpperCase(),
        path,
        fullPath: joinPath(base, path),
        operationId: op.operationId,
        summary: op.summary,
        tags: op.tags ?? [],
        deprecated: op.deprecated === true,
        statusCodes: Object.keys(op.responses ?? {}),
      });
    }
  }
  return { ok: true, version, title: doc.info?.title ?? '', operations };
}

// 2.0 has basePath; 3.x has servers[0].url, absolute or relative, maybe templated.
function basePath(doc: Document): string {
  if (doc.basePath) return doc.basePath;
  const url = doc.servers?.[0]?.url;
  if (!url) return '';
  try {
    return new URL(url.replace(/\{[^}]+\}/g, 'x'), 'http://base').pathname.replace(/\/$/, '');
  } catch {
    return '';
  }
}

function joinPath(base: string, path: string): string {
  const b = base === '/' ? '' : base.replace(/\/$/, '');
  return `${b}${path.startsWith('/') ? '' : '/'}${path}`;
}
