import type { ApiContext } from '../context.ts';
import { componentsOf } from './shared-reads.ts';

const lookup = componentsOf;

/** Catalog fields of a service or topic, shared by ServiceStats and nodes on the map. */
const fields = (serviceOf: (parent: never) => string | undefined) => ({
  component: async (p: never, _: unknown, ctx: ApiContext) => (await lookup(ctx)).get(serviceOf(p) ?? '')?.component ?? null,
  owner: async (p: never, _: unknown, ctx: ApiContext) => (await lookup(ctx)).get(serviceOf(p) ?? '')?.owner ?? null,
  system: async (p: never, _: unknown, ctx: ApiContext) => (await lookup(ctx)).get(serviceOf(p) ?? '')?.system ?? null,
  domain: async (p: never, _: unknown, ctx: ApiContext) => (await lookup(ctx)).get(serviceOf(p) ?? '')?.domain ?? null,
});

export const ownershipResolvers = {
  ServiceStats: fields((s: { name: string }) => s.name),
  Node: fields((n: { name: string; kind: string }) => (n.kind === 'SERVICE' ? n.name : n.kind === 'TOPIC' ? `topic:${n.name}` : undefined)),
};
