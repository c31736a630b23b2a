import type { Entity, Relation } from './entity.ts';
import { RELATION_FIELDS } from './kinds.ts';
import { parseRef, stringifyRef, DEFAULT_NAMESPACE } from './ref.ts';

/** A relation field whose value is not a valid reference. */
export interface RelationProblem {
  field: string;
  message: string;
}

/**
 * The relations an entity's spec declares, each in both directions
 * (ownedBy and ownerOf, …), per the RELATION_FIELDS table.
 */
export function relationsOf(ref: string, entity: Entity): { relations: Relation[]; problems: RelationProblem[] } {
  const relations: Relation[] = [];
  const problems: RelationProblem[] = [];
  const spec = entity.spec ?? {};
  const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
  for (const f of RELATION_FIELDS[entity.kind.toLowerCase()] ?? []) {
    const value = spec[f.field];
    if (value == null) continue;
    const targets = Array.isArray(value) ? value : [value];
    targets.forEach((t, i) => {
      const field = `spec.${f.field}${f.many ? `[${i}]` : ''}`;
      const parsed = typeof t === 'string' ? parseRef(t, { defaultKind: f.defaultKind, defaultNamespace: namespace }) : `must be a string, got ${JSON.stringify(t)}`;
      if (typeof parsed === 'string') return void problems.push({ field, message: parsed });
      const target = stringifyRef(parsed);
      relations.push({ source: ref, type: f.relation, target }, { source: target, type: f.reverse, target: ref });
    });
  }
  return { relations, problems };
}

/** De-duplicates relations (a pair may be declared from both ends, e.g. parent and children). */
export function uniqueRelations(relations: Relation[]): Relation[] {
  const seen = new Map<string, Relation>();
  for (const r of relations) seen.set(`${r.source} ${r.type} ${r.target}`, r);
  return [...seen.values()];
}
