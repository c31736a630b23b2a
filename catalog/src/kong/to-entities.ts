/*
 * Kong's view of the APIs it serves, as catalog entities.
 *
 * - Each Kong service becomes an API entity:
 *     name       the Kong service name, lower-cased and made a valid entity name
 *                (`Orders API` -> `orders-api`); title keeps the Kong name
 *     namespace  from a `namespace:<x>` tag, else `default`
 *     spec.type  `openapi`, with `spec.definition` an OpenAPI 3.0 document (JSON
 *                text) synthesized from the service's routes, so operation
 *                extraction, path matching and governance treat it like any other
 *     lifecycle  from a `lifecycle:<x>` tag, else `production` (it is live on the gateway)
 *     owner      from an `owner:<ref>` tag, else `group:default/unknown`: the
 *                catalog model requires an owner, and a named placeholder makes
 *                governance say "owned by group:default/unknown, which is not in
 *                the catalog" instead of hiding the gap
 *     annotations plexus.dev/kong-service (Kong name), plexus.dev/service-name
 *                (upstream host without port: the telemetry service that serves
 *                it), plexus.dev/source: kong
 *   Other tags are kept as metadata.tags.
 * - Route paths become OpenAPI paths: prefix paths as written (`/orders`), `~`
 *   regex paths when each capture is named and within one segment
 *   (`~/orders/(?<id>\d+)$` -> `/orders/{id}`), otherwise a located problem and
 *   the path is skipped. A route without paths matches every path under `/`,
 *   so it is written as `/`. One operation per method (a route without methods
 *   gets GET, POST, PUT, PATCH, DELETE); operationId is `<route name>-<method>`.
 * - Each Kong consumer becomes a Component with spec.type `gateway-consumer`
 *   (named after its username, else custom_id; owner, lifecycle and namespace
 *   from tags as above) and the annotation plexus.dev/kong-consumer. Consumers
 *   get no relations to APIs: gateway logs will tell which APIs they call.
 * - Problems are located results: a route naming an unknown service, a
 *   duplicate service name, a path or method OpenAPI cannot express.
 */
import type { CatalogError, Entity, LocatedEntity, Relation } from '../model/entity.ts';
import { validateEntity } from '../model/validate.ts';
import { relationsOf, uniqueRelations } from '../model/relations.ts';
import { DEFAULT_NAMESPACE, parseRef, stringifyRef } from '../model/ref.ts';
import type { KongAt, KongConfig, KongConsumer, KongRoute, KongService } from './deck-types.ts';
import { kongPathTemplate } from './route-paths.ts';

/** Entities and relations Kong's config yields, with located problems. */
export interface KongEntities {
  entities: LocatedEntity[];
  relations: Relation[];
  errors: CatalogError[];
}

/** Owner of Kong objects without an `owner:` tag. */
export const UNKNOWN_OWNER = 'group:default/unknown';
const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const OPENAPI_METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE']);
const HTTP_PROTOCOLS = new Set(['http', 'https', 'ws', 'wss']);

/** Makes a Kong name a valid entity name: lower-case, `[a-z0-9]` runs joined by one of `-_.`, at most 63 characters. */
export function entityName(kongName: string): string {
  return kongName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[._-]*([._-])[._-]*/g, '$1')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, 63)
    .replace(/[._-]+$/, '');
}

// `owner:team-a`, `lifecycle:experimental`, `namespace:payments`: directives, not tags.
const DIRECTIVES = ['owner', 'lifecycle', 'namespace'] as const;
function readTags(tags: readonly string[]): { directives: Partial<Record<(typeof DIRECTIVES)[number], string>>; rest: string[] } {
  const directives: Partial<Record<(typeof DIRECTIVES)[number], string>> = {};
  const rest: string[] = [];
  for (const t of tags) {
    const d = DIRECTIVES.find((k) => t.startsWith(`${k}:`));
    if (d) directives[d] = t.slice(d.length + 1);
    else rest.push(t);
  }
  return { directives, rest };
}

const problem = (at: KongAt, field: string, message: string): CatalogError => ({ file: at.file, document: at.document, line: at.line, field: [at.field, field].filter(Boolean).join('.'), message });
const where = (at: KongAt) => `${at.file}${at.line ? `:${at.line}` : ''}`;

/** Maps parsed Kong config (one or more decK files, or an Admin API) to catalog entities. */
export function kongToEntities(config: KongConfig): KongEntities {
  const errors: CatalogError[] = [...config.problems];
  const entities: LocatedEntity[] = [];
  const relations: Relation[] = [];
  const byRef = new Map<string, KongAt>();

  // Services by name and id; skipped ones are remembered so their routes are dropped without a second report.
  const byName = new Map<string, KongService>();
  const byId = new Map<string, KongService>();
  const skipped = new Set<KongService>();
  for (const s of config.services) {
    if (s.id) byId.set(s.id, s);
    if (!s.name) {
      errors.push(problem(s.at, 'name', 'is required: the API entity is named after the Kong service'));
      skipped.add(s);
      continue;
    }
    const first = byName.get(s.name);
    if (first) {
      errors.push(problem(s.at, 'name', `service "${s.name}" is already defined at ${where(first.at)}`));
      skipped.add(s);
      continue;
    }
    byName.set(s.name, s);
  }

  const routesOf = new Map<KongService, KongRoute[]>();
  for (const r of config.routes) {
    const ref = r.service ?? {};
    const service = (ref.name ? byName.get(ref.name) : undefined) ?? (ref.id ? byId.get(ref.id) : undefined);
    if (!service) {
      // A route nested under a service without name or id was reported with its service.
      if (ref.name || ref.id) errors.push(problem(r.at, 'service', `names service "${ref.name ?? ref.id}", which is not defined`));
      continue;
    }
    if (skipped.has(service)) continue;
    const list = routesOf.get(service);
    if (list) list.push(r);
    else routesOf.set(service, [r]);
  }

  const add = (entity: Entity, at: KongAt) => {
    const issues = validateEntity(entity);
    if (issues.length > 0) {
      for (const i of issues) errors.push(problem(at, '', `the ${entity.kind} entity would be invalid: ${i.path.join('.')} ${i.message}`));
      return;
    }
    const parsed = parseRef(entity.metadata.name, { defaultKind: entity.kind, defaultNamespace: entity.metadata.namespace });
    if (typeof parsed === 'string') return void errors.push(problem(at, 'name', parsed));
    const ref = stringifyRef(parsed);
    const first = byRef.get(ref);
    if (first) return void errors.push(problem(at, 'name', `becomes ${ref}, which ${where(first)} already is`));
    byRef.set(ref, at);
    entities.push({ ref, entity, source: { file: at.file, document: at.document, line: at.line } });
    const r = relationsOf(ref, entity);
    relations.push(...r.relations);
    for (const p of r.problems) errors.push(problem(at, 'tags', `${p.field}: ${p.message}`));
  };

  for (const s of byName.values()) {
    const name = entityName(s.name!);
    if (!name) {
      errors.push(problem(s.at, 'name', `"${s.name}" has no letters or digits to name an entity with`));
      continue;
    }
    if (!s.host) errors.push(problem(s.at, 'host', 'is required (or url): it names the telemetry service behind the API'));
    const { directives, rest } = readTags(s.tags);
    const definition = openApiDefinition(s, routesOf.get(s) ?? [], errors);
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: {
        name,
        namespace: directives.namespace?.toLowerCase() ?? DEFAULT_NAMESPACE,
        title: s.name!,
        annotations: { 'plexus.dev/kong-service': s.name!, ...(s.host ? { 'plexus.dev/service-name': s.host } : {}), 'plexus.dev/source': 'kong' },
        ...(rest.length ? { tags: rest } : {}),
      },
      spec: { type: 'openapi', lifecycle: directives.lifecycle ?? 'production', owner: directives.owner ?? UNKNOWN_OWNER, definition },
    };
    add(entity, s.at);
  }

  for (const c of config.consumers) {
    const entity = consumerEntity(c);
    if (typeof entity === 'string') errors.push(problem(c.at, 'username', entity));
    else add(entity, c.at);
  }
  return { entities, relations: uniqueRelations(relations), errors };
}

function consumerEntity(c: KongConsumer): Entity | string {
  const kongName = c.username ?? c.customId;
  if (!kongName) return 'a consumer needs a username or custom_id to be named in the catalog';
  const name = entityName(kongName);
  if (!name) return `"${kongName}" has no letters or digits to name an entity with`;
  const { directives, rest } = readTags(c.tags);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: directives.namespace?.toLowerCase() ?? DEFAULT_NAMESPACE,
      title: kongName,
      annotations: {
        ...(c.username ? { 'plexus.dev/kong-consumer': c.username } : {}),
        ...(c.customId ? { 'plexus.dev/kong-consumer-custom-id': c.customId } : {}),
        'plexus.dev/source': 'kong',
      },
      ...(rest.length ? { tags: rest } : {}),
    },
    spec: { type: 'gateway-consumer', lifecycle: directives.lifecycle ?? 'production', owner: directives.owner ?? UNKNOWN_OWNER },
  };
}

type Operation = Record<string, unknown>;

/** The OpenAPI 3.0 document (JSON text) a service's routes declare; what cannot be expressed is reported. */
function openApiDefinition(service: KongService, routes: readonly KongRoute[], errors: CatalogError[]): string {
  const paths: Record<string, Record<string, Operation>> = {};
  const declaredBy = new Map<string, KongRoute>();
  for (const route of routes) {
    const label = route.name ?? route.id;
    if (route.expression) {
      errors.push(problem(route.at, 'expression', 'expression routes are not converted to OpenAPI paths; the route is skipped'));
      continue;
    }
    if (route.protocols && !route.protocols.some((p) => HTTP_PROTOCOLS.has(p))) {
      errors.push(problem(route.at, 'protocols', `${route.protocols.join(', ')} routes are not HTTP; only HTTP routes become OpenAPI operations`));
      continue;
    }
    const methods = (route.methods ?? ALL_METHODS).filter((m) => {
      if (OPENAPI_METHODS.has(m)) return true;
      errors.push(problem(route.at, 'methods', `${m} is not an OpenAPI method; skipped`));
      return false;
    });
    const routePaths = route.paths.length > 0 ? route.paths : [{ path: '/', at: route.at }];
    for (const { path, at } of routePaths) {
      const t = kongPathTemplate(path);
      if (!t.ok) {
        errors.push(problem(at, '', t.error));
        continue;
      }
      const item = (paths[t.template] ??= {});
      for (const method of methods) {
        const key = `${method} ${t.template}`;
        const earlier = declaredBy.get(key);
        if (earlier) {
          errors.push(problem(at, '', `${key} is already declared by route "${earlier.name ?? earlier.id ?? where(earlier.at)}"; skipped`));
          continue;
        }
        declaredBy.set(key, route);
        item[method.toLowerCase()] = {
          ...(label ? { operationId: `${label}-${method.toLowerCase()}` } : {}),
          ...(t.params.length ? { parameters: t.params.map((p) => ({ name: p.name, in: 'path', required: true, schema: { type: 'string', pattern: p.pattern } })) } : {}),
          // Kong does not know what the upstream answers.
          responses: { default: { description: `proxied by Kong to ${service.host ?? 'the upstream'}` } },
          ...(route.name ? { 'x-kong-route': route.name } : {}),
          ...(route.hosts.length ? { 'x-kong-hosts': route.hosts } : {}),
          'x-kong-strip-path': route.stripPath,
        };
      }
      if (Object.keys(item).length === 0) delete paths[t.template];
    }
  }
  const upstream = service.host ? `${service.protocol ?? 'http'}://${service.host}${service.port ? `:${service.port}` : ''}${service.path ?? ''}` : undefined;
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: service.name, version: 'unversioned', description: `Routes of the Kong service ${service.name}${upstream ? `, proxied to ${upstream}` : ''}.` },
    paths,
  }, null, 2);
}
