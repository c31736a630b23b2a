/**
 * The kinds Plexus models (after Backstage's catalog model) and, for each, the
 * spec fields that declare relations: field -> (relation, reverse relation,
 * default kind of the target). One table instead of code per kind.
 */
export interface RelationField {
  field: string;
  relation: string;
  reverse: string;
  defaultKind?: string;
  many: boolean;
}

const owner: RelationField = { field: 'owner', relation: 'ownedBy', reverse: 'ownerOf', defaultKind: 'group', many: false };
const system: RelationField = { field: 'system', relation: 'partOf', reverse: 'hasPart', defaultKind: 'system', many: false };
const dependsOn: RelationField = { field: 'dependsOn', relation: 'dependsOn', reverse: 'dependencyOf', many: true };

export const RELATION_FIELDS: Record<string, readonly RelationField[]> = {
  component: [
    owner, system, dependsOn,
    { field: 'subcomponentOf', relation: 'partOf', reverse: 'hasPart', defaultKind: 'component', many: false },
    { field: 'providesApis', relation: 'providesApi', reverse: 'apiProvidedBy', defaultKind: 'api', many: true },
    { field: 'consumesApis', relation: 'consumesApi', reverse: 'apiConsumedBy', defaultKind: 'api', many: true },
  ],
  api: [owner, system],
  resource: [owner, system, dependsOn, { field: 'dependencyOf', relation: 'dependencyOf', reverse: 'dependsOn', many: true }],
  system: [owner, { field: 'domain', relation: 'partOf', reverse: 'hasPart', defaultKind: 'domain', many: false }],
  domain: [owner, { field: 'subdomainOf', relation: 'partOf', reverse: 'hasPart', defaultKind: 'domain', many: false }],
  group: [
    { field: 'parent', relation: 'childOf', reverse: 'parentOf', defaultKind: 'group', many: false },
    { field: 'children', relation: 'parentOf', reverse: 'childOf', defaultKind: 'group', many: true },
    { field: 'members', relation: 'hasMember', reverse: 'memberOf', defaultKind: 'user', many: true },
  ],
  user: [{ field: 'memberOf', relation: 'memberOf', reverse: 'hasMember', defaultKind: 'group', many: true }],
  location: [],
};

/** Kinds with a model; others are kept as given, without relations. */
export const KNOWN_KINDS = Object.keys(RELATION_FIELDS);

/** Lifecycles with a meaning in Plexus; others are kept as given. */
export const LIFECYCLES = ['experimental', 'production', 'deprecated'] as const;
