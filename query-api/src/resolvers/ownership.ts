import type { ApiContext } from '../context.ts';
import { nodeId } from '../analytics/graph.ts';
import { catalogOfNodes } from './shared-reads.ts';

/** Catalog fields of a map node, shared by ServiceStats and nodes on the map. */
const fields = (idOf: (parent: never) => string) => ({
  component: async (p: never, _: unknown, ctx: ApiContext) => (await catalogOfNodes(ctx)).get(idOf(p))?.component ?? null,
  owner: async (p: never, _: unknown, ctx: ApiContext) => (await catalogOfNodes(ctx)).get(idOf(p))?.owner ?? null,
  system: async (p: never, _: unknown, ctx: ApiContext) => (await catalogOfNodes(ctx)).get(idOf(p))?.system ?? null,
  domain: async (p: never, _: unknown, ctx: ApiContext) => (await catalogOfNodes(ctx)).get(idOf(p))?.domain ?? null,
});

export const ownershipResolvers = {
  ServiceStats: fields((s: { name: string }) => nodeId('SERVICE', s.name)),
  Node: fields((n: { id: string }) => n.id),
};
