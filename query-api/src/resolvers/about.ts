import { sql } from '@plexus/store';
import type { ApiContext } from '../context.ts';

export const aboutResolvers = {
  Query: {
    async about(_: unknown, __: unknown, ctx: ApiContext) {
      const [row] = await ctx.store.query<{ oldest: string | null; newest: string | null }>(sql`
        SELECT if(count() = 0, NULL, toUnixTimestamp(min(Minute))) AS oldest, if(count() = 0, NULL, toUnixTimestamp(max(Minute))) AS newest
        FROM operation_red WHERE ServiceName != ''`);
      const date = (v: string | null | undefined) => (v == null ? null : new Date(Number(v) * 1000));
      return { version: ctx.version, retentionDays: ctx.retentionDays, oldestData: date(row?.oldest), newestData: date(row?.newest) };
    },
  },
};
