import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { ApiContext } from '../context.ts';
import { userError } from '../analytics/window.ts';
import { readTrace } from '../analytics/trace.ts';

const TRACE_ID = /^[0-9a-fA-F]{32}$/;
const DETAIL_FIELDS = new Set(['attributes', 'resourceAttributes', 'events', 'links']);

/** Whether a selection asks for any of `names` under `path` (through fragments too). */
function selects(set: SelectionSetNode | undefined, path: readonly string[], names: ReadonlySet<string>, info: GraphQLResolveInfo): boolean {
  if (!set) return false;
  return set.selections.some((sel) => {
    if (sel.kind === Kind.INLINE_FRAGMENT) return selects(sel.selectionSet, path, names, info);
    if (sel.kind === Kind.FRAGMENT_SPREAD) return selects(info.fragments[sel.name.value]?.selectionSet, path, names, info);
    if (path.length === 0) return names.has(sel.name.value);
    return sel.name.value === path[0] && selects(sel.selectionSet, path.slice(1), names, info);
  });
}

export const tracesResolvers = {
  Query: {
    trace(_: unknown, args: { id: string }, ctx: ApiContext, info: GraphQLResolveInfo) {
      if (!TRACE_ID.test(args.id)) throw userError(`trace id must be 32 hex characters, got ${JSON.stringify(args.id)}`, 'BAD_USER_INPUT');
      // The waterfall's first request wants the tree only; attributes, events and links come in a second one.
      const details = info.fieldNodes.some((f) => selects(f.selectionSet, ['spans'], DETAIL_FIELDS, info));
      return readTrace(ctx.store, args.id, { details });
    },
  },
};
