import { sql } from '@plexus/store';
import type { ApiContext } from '../context.ts';
import { catalogIndex, catalogByNode, type CatalogIndex, type ServiceCatalogInfo } from '../analytics/catalog.ts';
import { observedOperations } from '../analytics/api-usage.ts';
import { bindObserved, type Binding } from '../analytics/api-match.ts';
import { windowKey, type TimeWindow } from '../analytics/window.ts';
import { readEdges, type EdgeStats } from '../analytics/edges.ts';
import { readServiceRed, type Red } from '../analytics/red.ts';
import { readSourceEdgeRows, sourceEdges, sourceRed, withSourceRed, type SourceEdgeRow } from '../analytics/source-edges.ts';

// Reads many resolvers need, shared within a request (ctx.once) and across
// requests (ctx.shared) under the catalog's generation: every import writes a
// new Version, so a re-import is seen by the next request.

const CATALOG_TTL_MS = 60_000;
// New routes in traffic show up in consumers and reuse within this long.
const BINDINGS_TTL_MS = 15_000;
const DAY_MS = 86_400_000;

/** The newest catalog version written: changes with every import or edit. */
function generation(ctx: ApiContext): Promise<string> {
  return ctx.once('catalog-generation', async () => {
    const [row] = await ctx.store.query<{ v: string }>(sql`SELECT toString(max(Version)) AS v FROM catalog_entities`);
    return row?.v ?? '0';
  });
}

/** Every minute still in retention, up to now. */
export function retentionWindow(ctx: ApiContext): TimeWindow {
  const to = Math.ceil(Date.now() / 60_000) * 60_000;
  return { from: new Date(to - ctx.retentionDays * DAY_MS), to: new Date(to), seconds: ctx.retentionDays * 86_400 };
}

/** The catalog index (components, providers, operations, refs). */
export function indexOf(ctx: ApiContext): Promise<CatalogIndex> {
  return ctx.once('catalog-index', async () => ctx.shared.get(`catalog-index:${await generation(ctx)}`, CATALOG_TTL_MS, () => catalogIndex(ctx.store)));
}

/** The catalog entity behind each map node, keyed by node id (`service:checkout`, `topic:orders`). */
export function catalogOfNodes(ctx: ApiContext): Promise<Map<string, ServiceCatalogInfo>> {
  return ctx.once('catalog-by-node', async () => ctx.shared.get(`catalog-by-node:${await generation(ctx)}`, CATALOG_TTL_MS, () => catalogByNode(ctx.store)));
}

/**
 * The retention's observed operations bound to the catalog. A binding depends
 * on the catalog only, so one set serves every window of every request.
 */
export function bindingsOf(ctx: ApiContext): Promise<Map<string, Binding>> {
  return ctx.once('bindings', async () => ctx.shared.get(`bindings:${await generation(ctx)}`, BINDINGS_TTL_MS, async () => {
    const [observed, index] = await Promise.all([observedOperations(ctx.store, retentionWindow(ctx)), indexOf(ctx)]);
    return bindObserved(observed, index);
  }));
}

/** Every edge in the window from traces, gateways and meshes, read once per request. */
export function edgesOf(ctx: ApiContext, w: TimeWindow): Promise<EdgeStats[]> {
  return ctx.once(`edges:${windowKey(w)}`, async () => {
    const [traces, rows] = await Promise.all([readEdges(ctx.store, w), sourceRowsOf(ctx, w)]);
    return [...traces, ...sourceEdges(rows, w)];
  });
}

/** RED per service over the window: entry spans where a service has them, else what gateways and meshes saw. */
export function redOf(ctx: ApiContext, w: TimeWindow): Promise<Map<string, Red>> {
  return ctx.once(`red:${windowKey(w)}`, async () => {
    const [traces, rows] = await Promise.all([readServiceRed(ctx.store, w), sourceRowsOf(ctx, w)]);
    return withSourceRed(traces, sourceRed(rows, w));
  });
}

/** What gateways and meshes saw in the window, read once per request. */
function sourceRowsOf(ctx: ApiContext, w: TimeWindow): Promise<SourceEdgeRow[]> {
  return ctx.once(`source-edges:${windowKey(w)}`, () => readSourceEdgeRows(ctx.store, w));
}
