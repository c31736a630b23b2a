import { GraphQLError } from 'graphql';
import { randomUUID } from 'node:crypto';
import type { YogaServerOptions } from 'graphql-yoga';

type MaskError = NonNullable<Exclude<YogaServerOptions<object, object>['maskedErrors'], boolean | undefined>>['maskError'];

/**
 * Errors a resolver meant to show (GraphQLError with a code) pass through; any
 * other failure becomes INTERNAL with a reference id, and is logged server-side
 * only, so no stack trace or SQL ever reaches a client.
 */
export function errorMasker(log: (msg: string, err: unknown) => void): MaskError {
  return (error) => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    if (error instanceof GraphQLError && (original === error || original instanceof GraphQLError) && typeof error.extensions?.code === 'string') return error;
    if (original instanceof GraphQLError && typeof original.extensions?.code === 'string') {
      return new GraphQLError(original.message, { ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}), extensions: original.extensions });
    }
    const ref = randomUUID().slice(0, 8);
    log(`graphql error ${ref}`, original);
    return new GraphQLError(`internal error (reference ${ref})`, {
      ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
      extensions: { code: 'INTERNAL' },
    });
  };
}
