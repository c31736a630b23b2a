import type { ApiContext } from '../context.ts';
import { userError } from '../analytics/window.ts';
import { readTrace } from '../analytics/trace.ts';

const TRACE_ID = /^[0-9a-fA-F]{32}$/;

export const tracesResolvers = {
  Query: {
    trace(_: unknown, args: { id: string }, ctx: ApiContext) {
      if (!TRACE_ID.test(args.id)) throw userError(`trace id must be 32 hex characters, got ${JSON.stringify(args.id)}`, 'BAD_USER_INPUT');
      return readTrace(ctx.store, args.id);
    },
  },
};
