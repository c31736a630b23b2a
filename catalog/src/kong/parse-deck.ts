import type { CatalogError } from '../model/entity.ts';
import { readYamlDocuments } from '../backstage/yaml-documents.ts';
import { DeckFileSchema, type KongConfig } from './deck-types.ts';
import { fieldOf, readConsumer, readRoute, readService, type Locate } from './read-objects.ts';

/**
 * Reads a decK file (YAML or JSON; several `---` documents are read alike).
 * Shape problems are located by file, document, line and field; every object
 * that is well formed is kept. Routes stay unresolved: they may name services
 * from other files of the same import.
 */
export function parseDeck(text: string, file: string): KongConfig {
  const config: KongConfig = { services: [], routes: [], consumers: [], problems: [] };
  const problems: CatalogError[] = config.problems;
  for (const doc of readYamlDocuments(text)) {
    for (const e of doc.errors) problems.push({ file, document: doc.index, line: e.line, field: '', message: `not valid YAML: ${e.message}` });
    if (doc.value === undefined || doc.value === null) continue;
    const locate: Locate = (path) => ({ file, document: doc.index, line: doc.lineOf(path), field: fieldOf(path) });
    const at = (prefix: Array<string | number>): Locate => (path) => locate([...prefix, ...path]);
    if (typeof doc.value !== 'object' || Array.isArray(doc.value)) {
      problems.push({ ...locate([]), message: 'a decK file is a mapping with _format_version, services, routes and consumers' });
      continue;
    }
    const value = doc.value as Record<string, unknown>;
    const top = DeckFileSchema.safeParse(value);
    if (!top.success) {
      for (const i of top.error.issues) {
        const path = i.path as Array<string | number>;
        const missing = path.length === 1 && value[path[0] as string] === undefined;
        problems.push({ ...locate(path), message: missing && path[0] === '_format_version' ? 'is required: decK files start with _format_version: "3.0"' : i.message });
      }
    }
    // Lists with a wrong shape were reported above; the others are still read.
    const items = (key: string) => (Array.isArray(value[key]) ? (value[key] as unknown[]) : []);
    items('services').forEach((raw, i) => {
      const read = readService(raw, at(['services', i]), problems);
      if (!read) return;
      config.services.push(read.service);
      // Nested routes belong to their service; without a name there is nothing to attach them to (reported in to-entities).
      const parent = { ...(read.service.name ? { name: read.service.name } : {}), ...(read.service.id ? { id: read.service.id } : {}) };
      read.routes.forEach((r, j) => {
        const route = readRoute(r, at(['services', i, 'routes', j]), problems, parent);
        if (route) config.routes.push(route);
      });
    });
    items('routes').forEach((raw, i) => {
      const route = readRoute(raw, at(['routes', i]), problems);
      if (!route) return;
      if (!route.service?.name && !route.service?.id) problems.push({ ...route.at, field: `${route.at.field}.service`, message: 'a top-level route needs service: <name> (or nest it under its service)' });
      else config.routes.push(route);
    });
    items('consumers').forEach((raw, i) => {
      const consumer = readConsumer(raw, at(['consumers', i]), problems);
      if (consumer) config.consumers.push(consumer);
    });
  }
  return config;
}
