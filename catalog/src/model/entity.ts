/** An entity as written in a catalog file (Backstage envelope). */
export interface Entity {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    description?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    tags?: string[];
    links?: Array<{ url: string; title?: string; icon?: string }>;
  };
  spec?: Record<string, unknown>;
}

/** Where an entity or a problem was found: file, 1-based document index in it, 1-based line. */
export interface SourceLocation {
  file: string;
  document: number;
  line: number;
}

/** A problem in a catalog source, located precisely enough to fix it. */
export interface CatalogError extends SourceLocation {
  /** Dotted path of the offending field, e.g. `spec.owner`; empty for a whole document or file. */
  field: string;
  message: string;
}

/** An entity read from a file, with its canonical ref and where it came from. */
export interface LocatedEntity {
  ref: string;
  entity: Entity;
  source: SourceLocation;
}

/** A relation between two entities (targets may not exist in the catalog). */
export interface Relation {
  source: string;
  type: string;
  target: string;
}

/** Formats an error as `file:line (document N) field: message`. */
export function formatError(e: CatalogError): string {
  return `${e.file}:${e.line} (document ${e.document})${e.field ? ` ${e.field}` : ''}: ${e.message}`;
}
