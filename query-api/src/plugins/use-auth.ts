import type { Plugin } from 'graphql-yoga';
import { decide, type Authenticator, type Principal } from '../auth/authenticate.ts';

/**
 * With auth on, answers GraphQL requests without a valid token 401 (with
 * `WWW-Authenticate: Bearer`) and ingest-only tokens 403, before anything is
 * parsed; otherwise puts the caller on the context as `principal`. GraphiQL's
 * page is served by an earlier plugin, so a browser can still open it and
 * send the token from its headers tab.
 */
export function useAuth(auth: Authenticator): Plugin<{ principal?: Principal | undefined }> {
  const principals = new WeakMap<Request, Principal>();
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      const d = decide(auth, request.headers.get('authorization'), 'read');
      if (d.ok) {
        if (d.principal) principals.set(request, d.principal);
        return;
      }
      const code = d.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN';
      endResponse(new fetchAPI.Response(JSON.stringify({ errors: [{ message: d.message, extensions: { code } }] }), {
        status: d.status,
        headers: { 'Content-Type': 'application/json', ...(d.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {}) },
      }));
    },
    onContextBuilding({ context, extendContext }) {
      extendContext({ principal: principals.get(context.request) });
    },
  };
}
