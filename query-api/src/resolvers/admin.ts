import { GraphQLError } from 'graphql';
import { apiOperationsOf, parseRef, stringifyRef, type StoredOperation } from '@plexus/catalog';
import type { ApiContext } from '../context.ts';
import { userError } from '../analytics/window.ts';
import { findEntity } from '../analytics/catalog.ts';
import { entityFromInput, withSpecField, describeProblems, type RegisterInput, type InputProblem } from '../admin/entity-input.ts';
import { GRAPHQL_SOURCE, definitionsOf, readGraphqlSource, writeGraphqlSource, serialized } from '../admin/graphql-source.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Admins only when tokens are configured; without tokens, this machine only (the default bind is loopback too). */
function requireAdmin(ctx: ApiContext): void {
  if (ctx.authEnabled) {
    if (ctx.principal?.role === 'admin') return;
    throw userError(`catalog edits need the admin role; token "${ctx.principal?.name ?? '?'}" has role ${ctx.principal?.role ?? 'none'}`, 'FORBIDDEN');
  }
  if (!LOOPBACK.has(ctx.remoteAddress ?? '')) throw userError('catalog edits are accepted from this machine only while no tokens are configured (see auth in plexus.yaml)', 'FORBIDDEN');
}

function invalid(what: string, problems: readonly InputProblem[]): GraphQLError {
  return new GraphQLError(`${what}: ${describeProblems(problems)}`, { extensions: { code: 'BAD_USER_INPUT', problems } });
}

function canonical(ref: string): string {
  const parsed = parseRef(ref, {});
  if (typeof parsed === 'string') throw userError(parsed, 'BAD_USER_INPUT');
  return stringifyRef(parsed);
}

/** Refuses to touch an entity a file defines: the file is the truth, and the next import would undo the edit. */
async function refuseFileDefined(ctx: ApiContext, ref: string): Promise<boolean> {
  const defs = await definitionsOf(ctx.store, ref);
  const file = defs.find((d) => d.source !== GRAPHQL_SOURCE);
  if (file) throw userError(`${ref} is defined in ${file.file}:${file.line}; change it there`, 'BAD_USER_INPUT');
  return defs.length > 0;
}

async function stored(ctx: ApiContext, ref: string) {
  const entity = await findEntity(ctx.store, ref);
  // Only a concurrent file import defining the same ref could hide it; say so rather than return null for a non-null field.
  if (!entity) throw userError(`${ref} was written but is not in the catalog now`, 'CONFLICT');
  return { entity };
}

/** Changes one spec field of an entity registered through GraphQL. */
async function setField(ctx: ApiContext, rawRef: string, field: 'owner' | 'lifecycle', value: string) {
  requireAdmin(ctx);
  const ref = canonical(rawRef);
  await serialized(ctx.store, async () => {
    if (!(await refuseFileDefined(ctx, ref))) throw userError(`no entity ${ref} in the catalog`, 'BAD_USER_INPUT');
    const state = await readGraphqlSource(ctx.store);
    const current = state.entities.find((e) => e.ref === ref)!;
    const changed = withSpecField(current, field, value);
    if (!changed.ok) throw invalid(`cannot set ${field} of ${ref}`, changed.problems);
    await writeGraphqlSource(ctx.store, state.entities.map((e) => (e.ref === ref ? { ...changed.entity, source: e.source } : e)), state.operations, state.version);
  });
  return stored(ctx, ref);
}

export const adminResolvers = {
  Mutation: {
    async registerEntity(_: unknown, args: { input: RegisterInput }, ctx: ApiContext) {
      requireAdmin(ctx);
      const built = entityFromInput(args.input);
      if (!built.ok) throw invalid(`cannot register ${built.ref ?? 'the entity'}`, built.problems);
      const { ref } = built.entity;
      let operations: StoredOperation[] = [];
      if (built.entity.entity.kind === 'API') {
        // A file import keeps an API whose definition cannot be read; an edit made by hand is refused instead, so it can be fixed now.
        // Parsers name the document by its file; "definition" reads better in the message than the source name.
        const r = await apiOperationsOf({ ...built.entity, source: { ...built.entity.source, file: 'definition' } });
        if (r.problems.length > 0) throw userError(`cannot register ${ref}: ${r.problems.map((p) => p.message).join('; ')}`, 'BAD_USER_INPUT');
        operations = r.operations;
      }
      await serialized(ctx.store, async () => {
        await refuseFileDefined(ctx, ref);
        const state = await readGraphqlSource(ctx.store);
        await writeGraphqlSource(
          ctx.store,
          [...state.entities.filter((e) => e.ref !== ref), built.entity],
          [...state.operations.filter((o) => o.apiRef !== ref), ...operations],
          state.version,
        );
      });
      return stored(ctx, ref);
    },
    setOwner: (_: unknown, args: { ref: string; owner: string }, ctx: ApiContext) => setField(ctx, args.ref, 'owner', args.owner),
    setLifecycle: (_: unknown, args: { ref: string; lifecycle: string }, ctx: ApiContext) => setField(ctx, args.ref, 'lifecycle', args.lifecycle),
    async deleteEntity(_: unknown, args: { ref: string }, ctx: ApiContext) {
      requireAdmin(ctx);
      const ref = canonical(args.ref);
      await serialized(ctx.store, async () => {
        if (!(await refuseFileDefined(ctx, ref))) throw userError(`no entity ${ref} in the catalog`, 'BAD_USER_INPUT');
        const state = await readGraphqlSource(ctx.store);
        await writeGraphqlSource(ctx.store, state.entities.filter((e) => e.ref !== ref), state.operations.filter((o) => o.apiRef !== ref), state.version);
      });
      return ref;
    },
  },
};
