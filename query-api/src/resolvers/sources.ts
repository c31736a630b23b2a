import { sql } from '@plexus/store';
import type { ApiContext } from '../context.ts';
import { parseWindow } from '../analytics/window.ts';
import { minutesIn } from '../analytics/window-rows.ts';

const date = (v: string | null): Date | null => (v === null ? null : new Date(Number(v) * 1000));

export const sourcesResolvers = {
  Query: {
    sources(_: unknown, args: { from: string; to: string }, ctx: ApiContext) {
      return { window: parseWindow(args.from, args.to, ctx.retentionDays) };
    },
  },
  Sources: {
    async meshTargets(_: unknown, __: unknown, ctx: ApiContext) {
      const rows = await ctx.store.query<{ name: string; url: string; mesh: string; up: number; last: string | null; error: string; series: number; rejects: number; updated: string }>(sql`
        SELECT Name AS name, Url AS url, Mesh AS mesh, Up AS up, toUnixTimestamp64Milli(LastScrape) / 1000 AS last, LastError AS error,
          Series AS series, Rejects AS rejects, toUnixTimestamp64Milli(UpdatedAt) / 1000 AS updated
        FROM mesh_targets FINAL ORDER BY up, name`);
      return rows.map((r) => ({ name: r.name, url: r.url, mesh: r.mesh, up: Number(r.up) === 1, lastScrape: date(r.last), lastError: r.error || null, series: Number(r.series), rejects: Number(r.rejects), updatedAt: date(r.updated) }));
    },
    async gateways(parent: { window: ReturnType<typeof parseWindow> }, _: unknown, ctx: ApiContext) {
      const rows = await ctx.store.query<{ name: string; format: string; calls: string; errors: string; upstreams: string[]; consumers: string }>(sql`
        SELECT Caller AS name, Detail AS format, sum(Calls) AS calls, sum(Errors) AS errors,
          arraySort(groupUniqArrayIf(Callee, Callee != '')) AS upstreams, uniqExactIf(Consumer, Consumer != '') AS consumers
        FROM source_edges
        WHERE Source = 'gateway' AND ${minutesIn(sql`Minute`, parent.window)}
        GROUP BY name, format ORDER BY calls DESC, name`);
      return rows.map((r) => ({ name: r.name, format: r.format, calls: Number(r.calls), errors: Number(r.errors), upstreams: r.upstreams, consumers: Number(r.consumers) }));
    },
  },
};
