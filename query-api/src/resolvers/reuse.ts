import { normalizeTemplate } from '@plexus/catalog';
import type { ApiContext } from '../context.ts';
import { parseWindow, windowKey, userError, type TimeWindow } from '../analytics/window.ts';
import { defaultStep, seriesStep } from '../analytics/red.ts';
import { rate } from '../analytics/latency.ts';
import { ownedBy, searchCatalog, type CatalogIndex, type EntityRow } from '../analytics/catalog.ts';
import { indexOf, bindingsOf, retentionWindow } from './shared-reads.ts';
import { consumersOf, apiTraffic, apiTotals, lastCallOf, consumedPerService } from '../analytics/api-usage.ts';

const DAY_MS = 86_400_000;

interface WindowArgs {
  from?: string | null;
  to?: string | null;
  step?: number | null;
}

/** The field's window; the last 24 hours when none is given. */
function windowOf(args: WindowArgs, ctx: ApiContext): TimeWindow {
  if (!args.from !== !args.to) throw userError('give both "from" and "to", or neither (the last 24 hours)', 'BAD_USER_INPUT');
  const to = args.to ?? new Date(Math.ceil(Date.now() / 60_000) * 60_000).toISOString();
  const from = args.from ?? new Date(new Date(to).getTime() - DAY_MS).toISOString();
  return parseWindow(from, to, ctx.retentionDays);
}

/** About 48 points: whole hours from 12 hours up, so hour rollups serve the series. */
const apiDefaultStep = (w: TimeWindow) => (w.seconds >= 12 * 3600 ? Math.ceil(w.seconds / 48 / 3600) * 3600 : defaultStep(w));
const stepOf = (args: WindowArgs, w: TimeWindow) => seriesStep(args.step, w, apiDefaultStep);

const index = indexOf;
const bindings = bindingsOf;
const totals = (ctx: ApiContext, w: TimeWindow) => ctx.once(`api-totals:${windowKey(w)}`, async () => apiTotals(ctx.store, w, await bindings(ctx)));
const consumers = (ctx: ApiContext, w: TimeWindow, api: string) => ctx.once(`consumers:${windowKey(w)}:${api}`, async () => consumersOf(ctx.store, w, await bindings(ctx), api));
const traffic = (ctx: ApiContext, w: TimeWindow, api: string, step: number) => ctx.once(`api-traffic:${windowKey(w)}:${api}:${step}`, async () => apiTraffic(ctx.store, w, await bindings(ctx), api, step));

/** Distinct owning teams of a set of services (uncataloged or ownerless ones count as none). */
function teamsOf(services: readonly string[], idx: CatalogIndex): number {
  return new Set(services.map((s) => idx.components.get(s)?.owner).filter(Boolean)).size;
}

/** Every cataloged API (ref and entity), for ranking. */
async function allApis(ctx: ApiContext): Promise<EntityRow[]> {
  return ctx.once('all-apis', async () => (await searchCatalog(ctx.store, { kind: 'api' }, 100_000, 0)).rows);
}

export const reuseResolvers = {
  Query: {
    async reuse(_: unknown, args: { from: string; to: string }, ctx: ApiContext) {
      const w = parseWindow(args.from, args.to, ctx.retentionDays);
      const [apis, byApi, idx] = await Promise.all([allApis(ctx), totals(ctx, w), index(ctx)]);
      const ranked = apis
        .map((api) => {
          const t = byApi.get(api.ref);
          const consumers = t?.consumers ?? [];
          return { api, consumers: consumers.length, teams: teamsOf(consumers, idx), calls: t?.calls ?? 0, consumerServices: consumers };
        })
        .sort((a, b) => b.consumers - a.consumers || b.calls - a.calls || a.api.ref.localeCompare(b.api.ref));
      // Same method and template shape (parameter names ignored) in two APIs: one of them is likely redundant.
      const shapes = new Map<string, { method: string; path: string; apis: Set<string> }>();
      for (const [api, ops] of idx.apiOperations) {
        for (const op of ops) {
          if (!op.fullPath.startsWith('/')) continue;
          const path = normalizeTemplate(op.fullPath).replace(/\{[^}]+\}/g, '{}');
          const key = `${op.method} ${path}`;
          const entry = shapes.get(key) ?? { method: op.method, path, apis: new Set<string>() };
          entry.apis.add(api);
          shapes.set(key, entry);
        }
      }
      const byRef = new Map(apis.map((a) => [a.ref, a]));
      const duplicates = [...shapes.values()]
        .filter((d) => d.apis.size > 1)
        .map((d) => ({ method: d.method, path: d.path, apis: [...d.apis].sort().map((r) => byRef.get(r)).filter(Boolean) }))
        .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
      return { apis: ranked, singleConsumer: ranked.filter((r) => r.consumers === 1), duplicates };
    },
  },
  Entity: {
    definition: (e: EntityRow) => (e.kind === 'api' && e.definition !== '' ? e.definition : null),
    serviceName: (e: EntityRow) => (e.kind === 'component' || e.kind === 'api' ? e.serviceName : null),
    async consumers(e: EntityRow, args: WindowArgs, ctx: ApiContext) {
      if (e.kind !== 'api') return [];
      const w = windowOf(args, ctx);
      const [rows, idx] = await Promise.all([consumers(ctx, w, e.ref), index(ctx)]);
      return rows.map((r) => ({ ...r, component: idx.components.get(r.service)?.ref ?? null, team: idx.components.get(r.service)?.owner ?? null }));
    },
    async reuse(e: EntityRow, args: WindowArgs, ctx: ApiContext) {
      if (e.kind !== 'api') return null;
      const w = windowOf(args, ctx);
      const before: TimeWindow = { from: new Date(w.from.getTime() - w.seconds * 1000), to: w.from, seconds: w.seconds };
      const [now, prev, { series: points }, idx] = await Promise.all([consumers(ctx, w, e.ref), consumers(ctx, before, e.ref), traffic(ctx, w, e.ref, stepOf(args, w)), index(ctx)]);
      return {
        consumers: now.length,
        previousConsumers: prev.length,
        teams: teamsOf(now.map((c) => c.service), idx),
        trend: points.map((p) => ({ time: p.time, consumers: p.consumers, calls: p.calls })),
      };
    },
    async traffic(e: EntityRow, args: WindowArgs, ctx: ApiContext) {
      if (e.kind !== 'api') return null;
      const w = windowOf(args, ctx);
      const { total, series } = await traffic(ctx, w, e.ref, stepOf(args, w));
      return {
        calls: total.calls, errors: total.errors, errorRate: total.calls > 0 ? total.errors / total.calls : 0, callRate: rate(total.calls, w.seconds),
        latency: total.latency,
        series: series.map((p) => ({ ...p, errorRate: p.calls > 0 ? p.errors / p.calls : 0 })),
      };
    },
    async lastSeen(e: EntityRow, _: unknown, ctx: ApiContext) {
      if (e.kind !== 'api') return null;
      return lastCallOf(ctx.store, retentionWindow(ctx), await bindings(ctx), e.ref);
    },
    async providesApis(e: EntityRow, args: WindowArgs, ctx: ApiContext) {
      return apiUsage(e, args, ctx, 'provides');
    },
    async consumesApis(e: EntityRow, args: WindowArgs, ctx: ApiContext) {
      return apiUsage(e, args, ctx, 'consumes');
    },
    owns: (e: EntityRow, args: { kind?: string | null }, ctx: ApiContext) => ownedBy(ctx.store, e.ref, args.kind),
  },
  ApiUsage: {
    entity: async (u: { api: string }, _: unknown, ctx: ApiContext) => (await ctx.once(`api-entities`, async () => new Map((await allApis(ctx)).map((a) => [a.ref, a])))).get(u.api) ?? null,
  },
};

/** Declared (catalog relations) and observed (matched traffic) APIs of a component, one row per API. */
async function apiUsage(e: EntityRow, args: WindowArgs, ctx: ApiContext, side: 'provides' | 'consumes') {
  if (e.kind !== 'component') return [];
  const w = windowOf(args, ctx);
  const idx = await index(ctx);
  const service = idx.serviceOf.get(e.ref) ?? e.serviceName;
  const component = idx.components.get(service);
  const declared = new Set(component?.[side] ?? []);
  const observed = new Map<string, number>();
  for (const t of (await totals(ctx, w)).values()) {
    if (side === 'provides' && (idx.providedBy.get(service) ?? []).includes(t.api) && t.calls > 0) observed.set(t.api, t.calls);
  }
  if (side === 'consumes') {
    const rows = await consumedBy(ctx, w, service);
    for (const [api, calls] of rows) observed.set(api, calls);
  }
  return [...new Set([...declared, ...observed.keys()])].sort().map((api) => ({ api, declared: declared.has(api), observed: observed.has(api), calls: observed.get(api) ?? 0 }));
}

/** Matched calls per API made by one service in the window. */
async function consumedBy(ctx: ApiContext, w: TimeWindow, service: string): Promise<Map<string, number>> {
  const all = await ctx.once(`consumed:${windowKey(w)}`, async () => consumedPerService(ctx.store, w, await bindings(ctx)));
  return all.get(service) ?? new Map();
}

