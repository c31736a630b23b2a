/** A reference to an entity: `kind:namespace/name`, compared case-insensitively (as Backstage does). */
export interface EntityRef {
  kind: string;
  namespace: string;
  name: string;
}

export const DEFAULT_NAMESPACE = 'default';

/**
 * Parses `[kind:][namespace/]name`, filling what is missing from the context.
 * Returns an error message instead of throwing, so callers can report it with a location.
 */
export function parseRef(text: string, context: { defaultKind?: string | undefined; defaultNamespace?: string | undefined }): EntityRef | string {
  const trimmed = text.trim();
  const m = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(trimmed);
  if (!m) return `"${text}" is not an entity reference ([kind:][namespace/]name)`;
  const kind = m[1] ?? context.defaultKind;
  if (!kind) return `"${text}" needs a kind (e.g. component:${trimmed})`;
  return { kind: kind.toLowerCase(), namespace: (m[2] ?? context.defaultNamespace ?? DEFAULT_NAMESPACE).toLowerCase(), name: m[3]!.toLowerCase() };
}

/** The canonical string form, lower-case: `component:default/artist-lookup`. */
export function stringifyRef(ref: EntityRef): string {
  return `${ref.kind.toLowerCase()}:${ref.namespace.toLowerCase()}/${ref.name.toLowerCase()}`;
}
