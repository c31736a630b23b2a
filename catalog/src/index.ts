export { loadCatalog, type CatalogSnapshot, type LoadOptions } from './backstage/load-catalog.ts';
export { parseRef, stringifyRef, DEFAULT_NAMESPACE, type EntityRef } from './model/ref.ts';
export { RELATION_FIELDS, KNOWN_KINDS, LIFECYCLES } from './model/kinds.ts';
export { formatError, type Entity, type CatalogError, type LocatedEntity, type Relation, type SourceLocation } from './model/entity.ts';
export { openApiOperations, type ApiOperation, type OpenApiResult } from './openapi/operations.ts';
export { matchOperation, compileTemplate, normalizeTemplate, templatePath, type CompiledTemplate } from './match/path-template.ts';
export { asyncApiOperations, type EventOperation, type AsyncApiResult } from './asyncapi/operations.ts';
