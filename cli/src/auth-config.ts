import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Roles a token can have: admin can do everything read can; ingest may only send telemetry. */
export const ROLES = ['ingest', 'read', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A configured token: who it is, what it may do, and the sha256 of its value (the value itself is never kept). */
export interface AuthToken {
  name: string;
  role: Role;
  sha256: string;
}

// Short tokens can be guessed; 16 characters is the least a generated secret has.
const MIN_TOKEN_LENGTH = 16;

/** The `auth` section of plexus.yaml. */
export const authSchema = z.strictObject({
  tokens: z.array(z.strictObject({
    name: z.string().min(1),
    role: z.enum(ROLES),
    tokenEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name').optional(),
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the 64 hex digits of the token\'s sha256').optional(),
  }).refine((t) => (t.tokenEnv === undefined) !== (t.sha256 === undefined), 'set exactly one of tokenEnv (preferred) and sha256')).optional(),
});

/** `PLEXUS_ADMIN_TOKEN`, validated without ever echoing its value. */
export const adminTokenEnv = z.string().min(MIN_TOKEN_LENGTH, `must be at least ${MIN_TOKEN_LENGTH} characters`);

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Resolves configured tokens to name, role and hash: `tokenEnv` values are read
 * from the environment and hashed at once. Problems are returned, naming the
 * token and variable but never a token's value. No tokens means auth is off.
 */
export function resolveAuthTokens(section: z.infer<typeof authSchema> | undefined, env: NodeJS.ProcessEnv, adminToken: string | undefined, source: string): { tokens: AuthToken[]; errors: string[] } {
  const tokens: AuthToken[] = [];
  const errors: string[] = [];
  (section?.tokens ?? []).forEach((t, i) => {
    const at = `${source} auth.tokens.${i} (${t.name})`;
    if (t.sha256) return void tokens.push({ name: t.name, role: t.role, sha256: t.sha256.toLowerCase() });
    const value = env[t.tokenEnv!];
    if (!value) return void errors.push(`${at}: environment variable ${t.tokenEnv} is not set`);
    if (value.length < MIN_TOKEN_LENGTH) return void errors.push(`${at}: the token in ${t.tokenEnv} must be at least ${MIN_TOKEN_LENGTH} characters`);
    tokens.push({ name: t.name, role: t.role, sha256: sha256(value) });
  });
  if (adminToken) tokens.push({ name: 'PLEXUS_ADMIN_TOKEN', role: 'admin', sha256: sha256(adminToken) });
  const names = new Map<string, number>();
  const hashes = new Map<string, string>();
  for (const t of tokens) {
    names.set(t.name, (names.get(t.name) ?? 0) + 1);
    const other = hashes.get(t.sha256);
    // One value with two names would make the role a request gets depend on list order.
    if (other !== undefined) errors.push(`${source} auth.tokens: ${other} and ${t.name} have the same token value`);
    hashes.set(t.sha256, t.name);
  }
  for (const [name, n] of names) if (n > 1) errors.push(`${source} auth.tokens: the name ${name} is used ${n} times`);
  return { tokens, errors };
}
