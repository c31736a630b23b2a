import type { ApiContext } from '../context.ts';
import { userError } from '../analytics/window.ts';
import { searchCatalog, facetCounts, findEntity, relationsOf, operationsOf, type CatalogFilter, type EntityRow, type Facet } from '../analytics/catalog.ts';

const cursor = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');
function offsetOf(after: string | null | undefined): number {
  if (!after) return 0;
  const m = /^offset:(\d+)$/.exec(Buffer.from(after, 'base64url').toString());
  if (!m) throw userError(`"after" is not a cursor from this API: ${JSON.stringify(after)}`, 'BAD_USER_INPUT');
  return Number(m[1]) + 1;
}
const orNull = (v: string) => (v === '' ? null : v);

export const catalogResolvers = {
  Query: {
    async catalog(_: unknown, args: CatalogFilter & { first?: number | null; after?: string | null }, ctx: ApiContext) {
      const first = args.first ?? 50;
      if (first < 0 || first > 500) throw userError(`first must be between 0 and 500, got ${first}`, 'BAD_USER_INPUT');
      const start = offsetOf(args.after);
      const { total, rows } = await searchCatalog(ctx.store, args, first, start);
      return {
        totalCount: total,
        edges: rows.map((node, i) => ({ cursor: cursor(start + i), node })),
        pageInfo: { hasNextPage: start + rows.length < total, endCursor: rows.length > 0 ? cursor(start + rows.length - 1) : null },
        filter: args,
      };
    },
    entity: (_: unknown, args: { ref: string }, ctx: ApiContext) => findEntity(ctx.store, args.ref),
  },
  CatalogConnection: {
    facets: (parent: { filter: CatalogFilter }) => parent.filter,
  },
  CatalogFacets: Object.fromEntries((['kind', 'owner', 'lifecycle', 'type', 'system'] as Facet[]).map((facet) => [facet, (filter: CatalogFilter, _: unknown, ctx: ApiContext) => facetCounts(ctx.store, facet, filter)])),
  Entity: {
    title: (e: EntityRow) => orNull(e.title),
    description: (e: EntityRow) => orNull(e.description),
    owner: (e: EntityRow) => orNull(e.owner),
    lifecycle: (e: EntityRow) => orNull(e.lifecycle),
    type: (e: EntityRow) => orNull(e.type),
    system: (e: EntityRow) => orNull(e.system),
    relations: (e: EntityRow, _: unknown, ctx: ApiContext) => relationsOf(ctx.store, e.ref),
    source: (e: EntityRow) => ({ file: e.file, document: e.document, line: e.line }),
    operations: (e: EntityRow, _: unknown, ctx: ApiContext) => (e.kind === 'api' ? operationsOf(ctx.store, e.ref) : []),
  },
};
