import { z } from 'zod';

// Backstage's name rule: 1-63 characters, [a-zA-Z0-9] separated by [-_.].
const name = z.string().regex(/^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$/, 'must be 1-63 letters or digits, separated by - _ or .').max(63);
const ref = z.string().min(1);
const refs = z.array(ref);
const text = z.string().min(1);

const metadata = z.object({
  name,
  namespace: name.optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  tags: z.array(z.string()).optional(),
  links: z.array(z.object({ url: z.string(), title: z.string().optional(), icon: z.string().optional() })).optional(),
});

/** Spec schema per kind; unknown spec keys are kept (Backstage allows them). */
const SPECS: Record<string, z.ZodType> = {
  component: z.looseObject({ type: text, lifecycle: text, owner: ref, system: ref.optional(), subcomponentOf: ref.optional(), providesApis: refs.optional(), consumesApis: refs.optional(), dependsOn: refs.optional() }),
  api: z.looseObject({ type: text, lifecycle: text, owner: ref, system: ref.optional(), definition: z.string() }),
  resource: z.looseObject({ type: text, owner: ref, system: ref.optional(), dependsOn: refs.optional(), dependencyOf: refs.optional() }),
  system: z.looseObject({ owner: ref, domain: ref.optional() }),
  domain: z.looseObject({ owner: ref, subdomainOf: ref.optional() }),
  group: z.looseObject({ type: text, parent: ref.optional(), children: refs, members: refs.optional() }),
  user: z.looseObject({ memberOf: refs.optional() }),
  location: z.looseObject({ type: z.string().optional(), target: z.string().optional(), targets: z.array(z.string()).optional() }),
};

const envelope = z.object({
  apiVersion: z.string().regex(/^[a-z0-9.-]+\/[a-z0-9]+$/i, 'must look like backstage.io/v1alpha1'),
  kind: z.string().min(1),
  metadata,
  spec: z.record(z.string(), z.unknown()).optional(),
});

/** One problem found by a validator, at a path inside the document. */
export interface ValidationIssue {
  path: Array<string | number>;
  message: string;
}

// zod says "Invalid input: expected string, received undefined" for a missing field.
const message = (m: string) => (/received undefined$/.test(m) ? 'is required' : m);

/** Validates an entity's envelope and, for known kinds, its spec; returns every issue found. */
export function validateEntity(doc: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const env = envelope.safeParse(doc);
  if (!env.success) issues.push(...env.error.issues.map((i) => ({ path: i.path as Array<string | number>, message: message(i.message) })));
  const kind = typeof (doc as { kind?: unknown })?.kind === 'string' ? (doc as { kind: string }).kind.toLowerCase() : undefined;
  const spec = kind ? SPECS[kind] : undefined;
  if (spec) {
    const s = spec.safeParse((doc as { spec?: unknown }).spec ?? {});
    if (!s.success) issues.push(...s.error.issues.map((i) => ({ path: ['spec', ...(i.path as Array<string | number>)], message: message(i.message) })));
  }
  return issues;
}
