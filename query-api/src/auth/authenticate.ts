import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What a token may do: admin can do everything read can; ingest may only send telemetry. */
export type Role = 'ingest' | 'read' | 'admin';

/** Who sent a request: the configured token's name and role. */
export interface Principal {
  name: string;
  role: Role;
}

/** A configured token, known only by the sha256 (hex) of its value. */
export interface TokenEntry extends Principal {
  sha256: string;
}

/** Maps `Authorization: Bearer <token>` to a principal; with no token configured, auth is off. */
export interface Authenticator {
  readonly enabled: boolean;
  /** The principal the header's bearer token belongs to, or undefined (missing, malformed or unknown). */
  authenticate(authorization: string | null | undefined): Principal | undefined;
}

/** The outcome of checking a request: go ahead (as whom, if auth is on), or the HTTP status and why not. */
export type Decision = { ok: true; principal: Principal | undefined } | { ok: false; status: 401 | 403; message: string };

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/** An authenticator over these tokens; comparisons are constant-time on hashes. */
export function createAuthenticator(tokens: readonly TokenEntry[]): Authenticator {
  const known = tokens.map((t) => ({ principal: { name: t.name, role: t.role }, digest: Buffer.from(t.sha256, 'hex') }));
  return {
    enabled: known.length > 0,
    authenticate(authorization) {
      const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
      if (!m) return undefined;
      // Hashing gives equal lengths for timingSafeEqual, and every entry is compared so timing does not tell which one matched.
      const digest = sha256(m[1]!);
      let found: Principal | undefined;
      for (const k of known) if (k.digest.length === digest.length && timingSafeEqual(k.digest, digest)) found = k.principal;
      return found;
    },
  };
}

/** Whether `role` may do what needs `need`: admin ⊇ read; ingest is separate, and admin may ingest too. */
export function permits(role: Role, need: Role): boolean {
  return role === need || role === 'admin';
}

/** Checks a request's Authorization header for `need`; always ok when auth is off. */
export function decide(auth: Authenticator, authorization: string | null | undefined, need: Role): Decision {
  if (!auth.enabled) return { ok: true, principal: undefined };
  if (!authorization) return { ok: false, status: 401, message: 'authentication required: send Authorization: Bearer <token>' };
  const principal = auth.authenticate(authorization);
  if (!principal) return { ok: false, status: 401, message: 'the bearer token is not valid' };
  if (!permits(principal.role, need)) {
    const allowed = need === 'admin' ? 'admin' : `${need} or admin`;
    return { ok: false, status: 403, message: `token "${principal.name}" has role ${principal.role}; this needs ${allowed}` };
  }
  return { ok: true, principal };
}

/** A node:http check for `need`, in the shape the collector takes as its `authorize` option. */
export function httpAuthorizer(auth: Authenticator, need: Role): (req: IncomingMessage) => 'ok' | { status: number; message: string } {
  return (req) => {
    const d = decide(auth, req.headers.authorization, need);
    return d.ok ? 'ok' : { status: d.status, message: d.message };
  };
}
