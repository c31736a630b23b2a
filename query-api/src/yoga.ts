import { createYoga } from 'graphql-yoga';
import type { Store } from '@plexus/store';
import { buildSchema } from './schema.ts';
import { createContext, type ApiContext } from './context.ts';
import { SharedCache } from './shared-cache.ts';
import { errorMasker } from './plugins/use-error-codes.ts';
import { useDepthLimit } from './plugins/use-depth-limit.ts';
import { useSelfTracing } from './plugins/use-self-tracing.ts';
import { useAuth } from './plugins/use-auth.ts';
import { createAuthenticator, type Authenticator } from './auth/authenticate.ts';

export interface YogaOptions {
  store: Store;
  retentionDays: number;
  version: string;
  maxDepth?: number;
  log?: (msg: string, err?: unknown) => void;
  /** Bearer tokens; absent or empty means auth is off. */
  auth?: Authenticator;
}

/** What the HTTP server hands yoga per request (node:http passes `{ req, res }`); tests pass a fake socket address. */
export interface ServerContext {
  req?: { socket?: { remoteAddress?: string | undefined } };
}

/** The GraphQL server; tests call `yoga.fetch()` on it in-process. */
export function createPlexusYoga(opts: YogaOptions) {
  const log = opts.log ?? ((msg, err) => console.error(msg, err));
  const auth = opts.auth ?? createAuthenticator([]);
  const shared = new SharedCache();
  return createYoga<ServerContext, ApiContext>({
    schema: buildSchema(),
    graphqlEndpoint: '/graphql',
    graphiql: { title: 'Plexus GraphQL' },
    landingPage: false,
    cors: false,
    logging: false,
    maskedErrors: { maskError: errorMasker(log) },
    context: ({ req }) => createContext({
      store: opts.store, retentionDays: opts.retentionDays, version: opts.version, authEnabled: auth.enabled, remoteAddress: req?.socket?.remoteAddress, shared,
    }),
    plugins: [useAuth(auth), useDepthLimit(opts.maxDepth ?? 12), useSelfTracing()],
  });
}
