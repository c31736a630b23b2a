// Test helper: the query-api schema as the server assembles it, so the UI's queries can be
// validated against it under `node --test`. Never imported by the app.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, type GraphQLSchema } from 'graphql';

/** The server's GraphQL schema, built from query-api/src/schema in the server's file order. */
export function serverSchema(): GraphQLSchema {
  const dir = fileURLToPath(new URL('../../../query-api/src/schema/', import.meta.url));
  // The server's order: base.graphql (type Query, scalars) first, then the extensions.
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort((a, b) => (a === 'base.graphql' ? -1 : b === 'base.graphql' ? 1 : a.localeCompare(b)));
  return buildSchema(files.map((f) => readFileSync(dir + f, 'utf8')).join('\n'));
}
