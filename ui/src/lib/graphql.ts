// Minimal GraphQL-over-HTTP client for the same-origin /graphql endpoint.
// Errors always come back as GraphQLRequestError with a message fit to show the user.
import { authHeaders, reportUnauthorized } from './auth-token.ts';

export const GRAPHQL_ENDPOINT = '/graphql';

export interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; [k: string]: unknown };
  path?: (string | number)[];
}

export class GraphQLRequestError extends Error {
  readonly code: string | undefined;
  readonly status: number | undefined;
  constructor(message: string, code?: string, status?: number) {
    super(message);
    this.name = 'GraphQLRequestError';
    this.code = code;
    this.status = status;
  }
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface RequestOptions {
  signal?: AbortSignal;
  fetch?: FetchLike;
  endpoint?: string;
}

function firstError(errors: unknown): GraphQLErrorBody | undefined {
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const e = errors[0] as Partial<GraphQLErrorBody> | null;
  if (!e || typeof e.message !== 'string') return { message: 'The server reported an error without a message' };
  return e as GraphQLErrorBody;
}

/** Runs one query; resolves to `data`, rejects with GraphQLRequestError (or AbortError when aborted). */
export async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  opts: RequestOptions = {},
): Promise<T> {
  const doFetch: FetchLike = opts.fetch ?? ((input, init) => fetch(input, init));
  const endpoint = opts.endpoint ?? GRAPHQL_ENDPOINT;
  let res: Response;
  try {
    res = await doFetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...authHeaders() },
      body: JSON.stringify({ query, variables }),
      signal: opts.signal ?? null,
    });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new GraphQLRequestError(
      `Cannot reach the Plexus API at ${endpoint} (${err instanceof Error ? err.message : String(err)}). Is the server running?`,
      'NETWORK',
    );
  }

  let body: { data?: T | null; errors?: unknown } | undefined;
  const text = await res.text();
  if (text) {
    try {
      body = JSON.parse(text) as { data?: T | null; errors?: unknown };
    } catch {
      body = undefined;
    }
  }

  if (res.status === 401) reportUnauthorized();
  const err = firstError(body?.errors);
  if (err) {
    const more = Array.isArray(body?.errors) && body.errors.length > 1 ? ` (and ${body.errors.length - 1} more)` : '';
    throw new GraphQLRequestError(err.message + more, err.extensions?.code, res.status);
  }
  if (!res.ok) {
    const hint = res.status === 401 || res.status === 403 ? ': this view needs an API token with the read role' : '';
    throw new GraphQLRequestError(
      `The Plexus API answered ${res.status} ${res.statusText || ''}`.trim() + hint,
      'HTTP_' + res.status,
      res.status,
    );
  }
  if (!body || body.data === undefined || body.data === null) {
    throw new GraphQLRequestError('The Plexus API returned no data', 'NO_DATA', res.status);
  }
  return body.data;
}

export function isAbort(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'name' in err &&
    ((err as { name: unknown }).name === 'AbortError' || (err as { name: unknown }).name === 'TimeoutError')
  );
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
