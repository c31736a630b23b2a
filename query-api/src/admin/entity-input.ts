import { validateEntity, relationsOf, parseRef, stringifyRef, type Entity, type LocatedEntity } from '@plexus/catalog';

/** The registerEntity input, as GraphQL hands it over (absent optional fields may be null). */
export interface RegisterInput {
  kind: string;
  name: string;
  namespace?: string | null;
  title?: string | null;
  description?: string | null;
  owner?: string | null;
  lifecycle?: string | null;
  type?: string | null;
  system?: string | null;
  providesApis?: string[] | null;
  consumesApis?: string[] | null;
  definition?: string | null;
}

/** A field of the input and what is wrong with it. */
export interface InputProblem {
  field: string;
  message: string;
}

export type Checked = { ok: true; entity: LocatedEntity } | { ok: false; ref: string | undefined; problems: InputProblem[] };

/** Where entities created through GraphQL say they come from (there is no file to point at). */
export const GRAPHQL_LOCATION = { file: 'graphql', document: 0, line: 0 } as const;

// The issue allows ad-hoc registration of these two kinds only; everything else comes from files.
const KINDS: Record<string, string> = { component: 'Component', api: 'API' };
const ONLY_FOR: Record<string, string> = { providesApis: 'component', consumesApis: 'component', definition: 'api' };

const present = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

/**
 * Builds the Backstage entity a registerEntity input describes and checks it
 * with the same validators and relation table a catalog file goes through, so
 * a mutation cannot store what a file could not.
 */
export function entityFromInput(input: RegisterInput): Checked {
  const kind = KINDS[input.kind.toLowerCase()];
  if (!kind) return { ok: false, ref: undefined, problems: [{ field: 'kind', message: `must be Component or API, got ${JSON.stringify(input.kind)}` }] };
  const problems: InputProblem[] = [];
  for (const [field, only] of Object.entries(ONLY_FOR)) {
    if (present(input[field as keyof RegisterInput]) && only !== kind.toLowerCase()) problems.push({ field, message: `is only for kind ${KINDS[only]}` });
  }
  const metadata = Object.fromEntries(Object.entries({ name: input.name, namespace: input.namespace, title: input.title, description: input.description }).filter(([, v]) => present(v)));
  const spec = Object.fromEntries(Object.entries({
    type: input.type, lifecycle: input.lifecycle, owner: input.owner, system: input.system,
    providesApis: input.providesApis, consumesApis: input.consumesApis, definition: input.definition,
  }).filter(([, v]) => present(v)));
  // Typed as an Entity only to be validated as one, next.
  const entity = { apiVersion: 'backstage.io/v1alpha1', kind, metadata, spec } as unknown as Entity;
  const checked = checkEntity(entity);
  return problems.length > 0 ? { ok: false, ref: checked.ok ? checked.entity.ref : checked.ref, problems: [...problems, ...(checked.ok ? [] : checked.problems)] } : checked;
}

/** The entity with one spec field changed, checked again as a whole. */
export function withSpecField(current: LocatedEntity, field: 'owner' | 'lifecycle', value: string): Checked {
  const entity = structuredClone(current.entity);
  entity.spec = { ...entity.spec, [field]: value };
  return checkEntity(entity);
}

/** Validates an entity and its relation references; problems name input fields (`owner`, `providesApis[0]`). */
export function checkEntity(entity: Entity): Checked {
  const problems: InputProblem[] = validateEntity(entity).map((i) => ({ field: fieldName(i.path), message: i.message }));
  const parsed = typeof entity.metadata?.name === 'string' ? parseRef(entity.metadata.name, { defaultKind: entity.kind, defaultNamespace: entity.metadata.namespace }) : undefined;
  if (typeof parsed === 'string' && problems.length === 0) problems.push({ field: 'name', message: parsed });
  const ref = parsed && typeof parsed !== 'string' ? stringifyRef(parsed) : undefined;
  if (ref && problems.length === 0) for (const p of relationsOf(ref, entity).problems) problems.push({ field: p.field.replace(/^spec\./, ''), message: p.message });
  if (problems.length > 0 || !ref) return { ok: false, ref, problems };
  return { ok: true, entity: { ref, entity, source: { ...GRAPHQL_LOCATION } } };
}

// The input is flat: spec.owner and metadata.name are `owner` and `name` to the caller.
function fieldName(path: ReadonlyArray<string | number>): string {
  const [head, ...rest] = path;
  const tail = head === 'spec' || head === 'metadata' ? rest : path;
  return tail.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${p}`)).join('') || 'input';
}

/** `field: message; …` for an error message. */
export function describeProblems(problems: readonly InputProblem[]): string {
  return problems.map((p) => `${p.field}: ${p.message}`).join('; ');
}
