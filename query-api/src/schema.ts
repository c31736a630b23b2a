import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GraphQLScalarType, Kind } from 'graphql';
import { createSchema } from 'graphql-yoga';
import type { ApiContext } from './context.ts';
import { servicesResolvers } from './resolvers/services.ts';
import { graphResolvers } from './resolvers/graph.ts';
import { tracesResolvers } from './resolvers/traces.ts';
import { aboutResolvers } from './resolvers/about.ts';
import { catalogResolvers } from './resolvers/catalog.ts';
import { ownershipResolvers } from './resolvers/ownership.ts';
import { governanceResolvers } from './resolvers/governance.ts';
import { reuseResolvers } from './resolvers/reuse.ts';
import { topicsResolvers } from './resolvers/topics.ts';
import { adminResolvers } from './resolvers/admin.ts';
import { sourcesResolvers } from './resolvers/sources.ts';
import { investigateResolvers } from './resolvers/investigate.ts';
import { traceSearchResolvers } from './resolvers/trace-search.ts';

const schemaDir = fileURLToPath(new URL('./schema/', import.meta.url));
/** The SDL, one file per domain, base first. */
export const typeDefs = readdirSync(schemaDir)
  .filter((f) => f.endsWith('.graphql'))
  .sort((a, b) => (a === 'base.graphql' ? -1 : b === 'base.graphql' ? 1 : a.localeCompare(b)))
  .map((f) => readFileSync(schemaDir + f, 'utf8'));

const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'ISO-8601 date-time string',
  serialize: (v) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString()),
  parseValue: (v) => String(v),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? ast.value : null),
});

/** The executable schema: SDL files plus resolvers merged per domain. */
export function buildSchema() {
  return createSchema<ApiContext>({
    typeDefs,
    resolvers: [{ DateTime }, aboutResolvers, servicesResolvers, graphResolvers, tracesResolvers, catalogResolvers, ownershipResolvers, governanceResolvers, reuseResolvers, topicsResolvers, adminResolvers, sourcesResolvers, investigateResolvers, traceSearchResolvers],
  });
}
