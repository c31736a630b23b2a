// A synthetic company catalog for the catalog bench: domains, systems, teams,
// people, components, APIs with OpenAPI definitions and resources, written as
// Backstage YAML files (one per system, plus org and domains). Deterministic.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { prng } from './otlp-bodies.ts';

/** How many entities of each kind to write. */
export interface CatalogShape {
  domains: number;
  systems: number;
  groups: number;
  users: number;
  components: number;
  apis: number;
  resources: number;
}

/** A shape of `total` entities in proportions seen in large Backstage installations. */
export function shapeFor(total: number): CatalogShape {
  const domains = Math.max(1, Math.round(total * 0.004));
  const systems = Math.max(1, Math.round(total * 0.02));
  const groups = Math.max(1, Math.round(total * 0.03));
  const users = Math.round(total * 0.06);
  const apis = Math.round(total * 0.42);
  const resources = Math.round(total * 0.066);
  return { domains, systems, groups, users, apis, resources, components: total - domains - systems - groups - users - apis - resources };
}

const RESOURCES = ['orders', 'invoices', 'customers', 'accounts', 'shipments', 'products', 'prices', 'payments', 'claims', 'policies', 'tickets', 'devices'];

/** An OpenAPI 3.0 definition of a small REST resource API; a few operations are deprecated. */
function openApi(name: string, resource: string, rnd: () => number): string {
  const ok = { '200': { description: 'OK' } };
  const paths: Record<string, Record<string, unknown>> = {
    [`/${resource}`]: { get: { operationId: `list-${resource}`, tags: [resource], responses: ok }, post: { operationId: `create-${resource}`, tags: [resource], responses: { '201': { description: 'Created' } } } },
    [`/${resource}/{id}`]: {
      get: { operationId: `get-${resource}`, tags: [resource], responses: ok },
      put: { operationId: `update-${resource}`, tags: [resource], responses: ok },
      delete: { operationId: `delete-${resource}`, tags: [resource], deprecated: rnd() < 0.2, responses: { '204': { description: 'Deleted' } } },
    },
    [`/${resource}/{id}/history`]: { get: { operationId: `history-${resource}`, tags: ['audit'], responses: ok } },
  };
  return stringify({ openapi: '3.0.3', info: { title: name, version: '1.0.0' }, paths });
}

/** Writes the catalog into `dir`; returns the files (import roots) and the entity count. */
export function writeCatalogLandscape(dir: string, total: number, seed = 7): { files: string[]; entities: number; shape: CatalogShape } {
  const shape = shapeFor(total);
  const rnd = prng(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const doc = (kind: string, name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    ({ apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name, description: `${kind} ${name}`, ...extra }, spec });
  const files: string[] = [];
  const write = (file: string, docs: unknown[]) => {
    const path = join(dir, file);
    writeFileSync(path, docs.map((d) => stringify(d)).join('---\n'));
    files.push(path);
  };

  const groups = Array.from({ length: shape.groups }, (_, i) => `team-${i}`);
  const org = [
    ...groups.map((g, i) => doc('Group', g, { type: 'team', children: [], ...(i > 0 ? { parent: groups[pick(i)] } : {}) })),
    ...Array.from({ length: shape.users }, (_, i) => doc('User', `person-${i}`, { memberOf: [groups[pick(groups.length)]] })),
  ];
  write('org.yaml', org);
  write('domains.yaml', Array.from({ length: shape.domains }, (_, i) => doc('Domain', `domain-${i}`, { owner: groups[pick(groups.length)] })));

  const apiName = (i: number) => `api-${i}`;
  let component = 0;
  let api = 0;
  let resource = 0;
  for (let s = 0; s < shape.systems; s++) {
    const system = `system-${s}`;
    const owner = groups[pick(groups.length)]!;
    const docs: unknown[] = [doc('System', system, { owner, domain: `domain-${pick(shape.domains)}` })];
    // Spread what is left evenly over the systems that are left.
    const left = shape.systems - s;
    const nComponents = Math.round((shape.components - component) / left);
    const nApis = Math.round((shape.apis - api) / left);
    const nResources = Math.round((shape.resources - resource) / left);
    const systemApis: string[] = [];
    for (let k = 0; k < nApis; k++, api++) {
      const name = apiName(api);
      systemApis.push(name);
      docs.push(doc('API', name, { type: 'openapi', lifecycle: rnd() < 0.1 ? 'deprecated' : 'production', owner, system, definition: openApi(name, RESOURCES[pick(RESOURCES.length)]!, rnd) }));
    }
    const systemResources: string[] = [];
    for (let k = 0; k < nResources; k++, resource++) {
      systemResources.push(`resource-${resource}`);
      docs.push(doc('Resource', `resource-${resource}`, { type: 'database', owner, system }));
    }
    for (let k = 0; k < nComponents; k++, component++) {
      const provides = systemApis.filter((_, j) => j % Math.max(1, nComponents) === k);
      const consumes = Array.from({ length: 1 + pick(4) }, () => apiName(pick(shape.apis)));
      docs.push(doc('Component', `component-${component}`, {
        type: 'service', lifecycle: 'production', owner, system, providesApis: provides, consumesApis: [...new Set(consumes)],
        ...(systemResources.length > 0 ? { dependsOn: [`resource:${systemResources[pick(systemResources.length)]}`] } : {}),
      }));
    }
    write(`system-${s}.yaml`, docs);
  }
  return { files, entities: shape.domains + shape.systems + shape.groups + shape.users + component + api + resource, shape };
}
