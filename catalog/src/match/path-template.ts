// Matching observed paths and routes to API path templates (DESIGN.md §8).

// Templating raw paths lives in the store, next to its SQL twin (one parity test keeps them equal).
export { templatePath } from '@plexus/store';

/** Normalises a route or template to `{param}` form: `/pets/:id` and `/pets/<id>` become `/pets/{id}`. */
export function normalizeTemplate(route: string): string {
  const path = route.split('?')[0]!.replace(/\/+$/, '') || '/';
  return path.replace(/\/:([A-Za-z_][\w-]*)/g, '/{$1}').replace(/\/<(?:\w+:)?([A-Za-z_][\w-]*)>/g, '/{$1}');
}

/** A compiled template: matches paths and ranks how specific it is. */
export interface CompiledTemplate {
  template: string;
  test(path: string): boolean;
  /** More literal segments win: `/pets/mine` beats `/pets/{petId}`. */
  specificity: number;
}

/** Compiles an OpenAPI-style template (`/pets/{petId}`) for matching. */
export function compileTemplate(template: string): CompiledTemplate {
  const segments = normalizeTemplate(template).split('/');
  // Literal text is escaped; each {param} (whole segment or part of one, e.g. {id}.json) matches one segment's worth.
  const pattern = segments.map((s) => s.split(/(\{[^}]+\})/).map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')).join('/');
  const re = new RegExp(`^${pattern}/?$`);
  return { template, test: (path) => re.test(path.split('?')[0]!), specificity: segments.filter((s) => s !== '' && !s.includes('{')).length };
}

/** Picks the most specific template matching a request's method and path (or route). */
export function matchOperation<T extends { method: string; fullPath: string }>(operations: readonly T[], method: string, pathOrRoute: string): T | undefined {
  const path = normalizeTemplate(pathOrRoute);
  let best: { op: T; specificity: number } | undefined;
  for (const op of operations) {
    if (op.method !== method.toUpperCase()) continue;
    const compiled = compileTemplate(op.fullPath);
    // A route is itself a template: compare templates when the observation is one.
    const hit = path.includes('{') ? normalizeTemplate(op.fullPath).replace(/\{[^}]+\}/g, '{}') === path.replace(/\{[^}]+\}/g, '{}') : compiled.test(path);
    if (hit && (!best || compiled.specificity > best.specificity)) best = { op, specificity: compiled.specificity };
  }
  return best?.op;
}
