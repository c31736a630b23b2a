import { GraphQLError, Kind, parse, type DocumentNode, type FieldDefinitionNode, type NamedTypeNode } from 'graphql';
import type { ApiOperation } from '../openapi/operations.ts';

/**
 * What one GraphQL SDL document yields, or why it could not be read. Each root
 * field is an operation: method `QUERY`, `MUTATION` or `SUBSCRIPTION`, and the
 * field name as path, full path and operation id.
 */
export type GraphQLResult = { ok: true; operations: ApiOperation[] } | { ok: false; error: string };

const METHOD = { query: 'QUERY', mutation: 'MUTATION', subscription: 'SUBSCRIPTION' } as const;
type RootKind = keyof typeof METHOD;

/**
 * Lists the root fields of a GraphQL SDL document, one operation each.
 *
 * Reads the parsed AST rather than `buildASTSchema`'s schema: a catalog often
 * holds partial SDL (a federation subgraph that `extend type Query`s a type
 * defined elsewhere, or refers to types it does not define). buildASTSchema
 * throws on such references without a location, and with `assumeValidSDL`
 * silently drops the fields of an extended type it has no definition for.
 * Root types follow the spec: named by `schema { … }` (and `extend schema`),
 * or `Query` / `Mutation` / `Subscription` when there is no schema definition.
 */
export function graphqlOperations(text: string): GraphQLResult {
  let doc: DocumentNode;
  try {
    doc = parse(text);
  } catch (err) {
    return { ok: false, error: describe(err) };
  }
  const roots = rootTypes(doc);
  const fields = new Map<string, FieldDefinitionNode[]>();
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    fields.set(def.name.value, [...(fields.get(def.name.value) ?? []), ...(def.fields ?? [])]);
  }
  const operations: ApiOperation[] = [];
  for (const [kind, named] of roots) {
    const declared = fields.get(named.name.value);
    if (!declared) {
      // Only an explicit `schema { query: Root }` promises a type; a missing default `Mutation` is just absent.
      if (named.loc) return { ok: false, error: `${kind} root type "${named.name.value}" is not defined${at(named.loc.startToken.line, named.loc.startToken.column)}` };
      continue;
    }
    const seen = new Set<string>();
    for (const f of declared) {
      if (seen.has(f.name.value)) continue; // a field declared twice is one operation; the first declaration describes it
      seen.add(f.name.value);
      operations.push({
        method: METHOD[kind],
        path: f.name.value,
        fullPath: f.name.value,
        operationId: f.name.value,
        summary: f.description?.value.trim().split('\n')[0] || undefined,
        tags: [],
        deprecated: f.directives?.some((d) => d.name.value === 'deprecated') ?? false,
        statusCodes: [],
      });
    }
  }
  return { ok: true, operations };
}

// Root operation types, from the schema definition and its extensions; defaults
// (nodes without a location) when the document has no schema definition.
function rootTypes(doc: DocumentNode): Map<RootKind, NamedTypeNode> {
  const roots = new Map<RootKind, NamedTypeNode>();
  if (!doc.definitions.some((d) => d.kind === Kind.SCHEMA_DEFINITION)) {
    for (const [kind, name] of [['query', 'Query'], ['mutation', 'Mutation'], ['subscription', 'Subscription']] as const) {
      roots.set(kind, { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: name } });
    }
  }
  for (const def of doc.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const op of def.operationTypes ?? []) roots.set(op.operation as RootKind, op.type);
  }
  return roots;
}

function describe(err: unknown): string {
  const where = err instanceof GraphQLError && err.locations?.[0] ? at(err.locations[0].line, err.locations[0].column) : '';
  return `${(err as Error).message.split('\n')[0]}${where}`;
}

function at(line: number, column: number): string {
  return ` (line ${line}, column ${column})`;
}
