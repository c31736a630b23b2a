import { createYoga } from 'graphql-yoga';
import type { Store } from '@plexus/store';
import { buildSchema } from './schema.ts';
import { createContext, type ApiContext } from './context.ts';
import { errorMasker } from './plugins/use-error-codes.ts';
import { useDepthLimit } from './plugins/use-depth-limit.ts';
import { useSelfTracing } from './plugins/use-self-tracing.ts';

export interface YogaOptions {
  store: Store;
  retentionDays: number;
  version: string;
  maxDepth?: number;
  log?: (msg: string, err?: unknown) => void;
}

/** The GraphQL server; tests call `yoga.fetch()` on it in-process. */
export function createPlexusYoga(opts: YogaOptions) {
  const log = opts.log ?? ((msg, err) => console.error(msg, err));
  return createYoga<object, ApiContext>({
    schema: buildSchema(),
    graphqlEndpoint: '/graphql',
    graphiql: { title: 'Plexus GraphQL' },
    landingPage: false,
    cors: false,
    logging: false,
    maskedErrors: { maskError: errorMasker(log) },
    context: () => createContext({ store: opts.store, retentionDays: opts.retentionDays, version: opts.version }),
    plugins: [useDepthLimit(opts.maxDepth ?? 12), useSelfTracing()],
  });
}
