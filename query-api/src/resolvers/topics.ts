import type { ApiContext } from '../context.ts';
import { parseWindow, userError, windowKey, type TimeWindow } from '../analytics/window.ts';
import { seriesStep } from '../analytics/red.ts';
import { bindObserved } from '../analytics/api-match.ts';
import { topicSummaries, consumerGroupsOf, lagSeries, eventTypesOf, topicThroughput, topicEvents, type TopicSummary } from '../analytics/topics.ts';
import { indexOf, catalogOfNodes } from './shared-reads.ts';
import { nodeId } from '../analytics/graph.ts';

type TopicParent = TopicSummary & { w: TimeWindow };
type GroupParent = { groupId: string; topic: string; w: TimeWindow };

export const topicsResolvers = {
  Query: {
    async topics(_: unknown, args: { from: string; to: string }, ctx: ApiContext) {
      const w = parseWindow(args.from, args.to, ctx.retentionDays);
      return (await ctx.once(`topics:${windowKey(w)}`, () => topicSummaries(ctx.store, w))).map((t) => ({ ...t, w }));
    },
    async topic(_: unknown, args: { name: string; from: string; to: string }, ctx: ApiContext) {
      const w = parseWindow(args.from, args.to, ctx.retentionDays);
      const [t] = await topicSummaries(ctx.store, w, args.name);
      return t ? { ...t, w } : null;
    },
  },
  TopicStats: {
    async consumerGroups(t: TopicParent, _: unknown, ctx: ApiContext) {
      return (await consumerGroupsOf(ctx.store, t.w, t.name)).map((g) => ({ ...g, topic: t.name, w: t.w }));
    },
    eventTypes: (t: TopicParent, _: unknown, ctx: ApiContext) => eventTypesOf(ctx.store, t.w, t.name),
    async channel(t: TopicParent, _: unknown, ctx: ApiContext) {
      const hit = bindObserved([{ topic: t.name }], await indexOf(ctx)).get(`topic:${t.name}`);
      return hit ? { api: hit.api, address: hit.path } : null;
    },
    resource: async (t: TopicParent, _: unknown, ctx: ApiContext) => (await catalogOfNodes(ctx)).get(nodeId('TOPIC', t.name))?.component ?? null,
    owner: async (t: TopicParent, _: unknown, ctx: ApiContext) => (await catalogOfNodes(ctx)).get(nodeId('TOPIC', t.name))?.owner ?? null,
    throughput: (t: TopicParent, args: { step?: number | null }, ctx: ApiContext) => topicThroughput(ctx.store, t.w, t.name, seriesStep(args.step, t.w)),
    events(t: TopicParent, args: { traceId?: string | null; first?: number | null }, ctx: ApiContext) {
      const first = args.first ?? 50;
      if (first < 1 || first > 1000) throw userError(`first must be between 1 and 1000, got ${first}`, 'BAD_USER_INPUT');
      if (args.traceId && !/^[0-9a-fA-F]{32}$/.test(args.traceId)) throw userError(`traceId must be 32 hex digits, got ${JSON.stringify(args.traceId)}`, 'BAD_USER_INPUT');
      return topicEvents(ctx.store, t.w, t.name, args.traceId, first);
    },
  },
  ConsumerGroupLag: {
    series(g: GroupParent, args: { step?: number | null; partition?: number | null }, ctx: ApiContext) {
      if (args.partition != null && args.partition < 0) throw userError(`partition must be 0 or more, got ${args.partition}`, 'BAD_USER_INPUT');
      return lagSeries(ctx.store, g.w, g.topic, g.groupId, seriesStep(args.step, g.w), args.partition);
    },
  },
};
