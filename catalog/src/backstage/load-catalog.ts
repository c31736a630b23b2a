import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CatalogError, Entity, LocatedEntity, Relation } from '../model/entity.ts';
import { validateEntity } from '../model/validate.ts';
import { relationsOf, uniqueRelations } from '../model/relations.ts';
import { parseRef, stringifyRef } from '../model/ref.ts';
import { readYamlDocuments } from './yaml-documents.ts';
import { resolvePlaceholders, resolveTarget, readTarget, type SourceReader } from './placeholders.ts';

/** Everything one import found: entities, their relations both ways, and located problems. */
export interface CatalogSnapshot {
  entities: LocatedEntity[];
  relations: Relation[];
  errors: CatalogError[];
  /** Files and URLs read, in the order they were read. */
  sources: string[];
}

export interface LoadOptions {
  allowedHosts?: readonly string[];
  readFile?: (path: string) => Promise<string>;
  fetchText?: (url: URL) => Promise<string>;
}

/**
 * Reads Backstage catalog files and every Location they reach. A bad file or
 * entity is reported with file, document and line, and everything else is
 * still read: errors are results, never exceptions.
 */
export async function loadCatalog(roots: readonly string[], opts: LoadOptions = {}): Promise<CatalogSnapshot> {
  const reader: SourceReader = {
    readFile: opts.readFile ?? ((p) => readFile(p, 'utf8')),
    fetchText: opts.fetchText ?? (async (url) => {
      const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(15_000) });
      if (!res.ok) throw new Error(`GET ${url.href} answered ${res.status}`);
      return res.text();
    }),
    allowedHosts: opts.allowedHosts ?? [],
  };
  const snapshot: CatalogSnapshot = { entities: [], relations: [], errors: [], sources: [] };
  const byRef = new Map<string, LocatedEntity>();
  const queue = roots.map((r) => ({ source: resolve(r), from: undefined as { file: string; document: number; line: number } | undefined }));
  const seen = new Set<string>();

  while (queue.length > 0) {
    const { source, from } = queue.shift()!;
    if (seen.has(source)) continue;
    seen.add(source);
    let text: string;
    try {
      text = /^https?:\/\//.test(source) ? await readTarget(source, source, reader) : await reader.readFile(source);
    } catch (err) {
      snapshot.errors.push({ ...(from ?? { file: source, document: 0, line: 0 }), field: from ? 'spec.targets' : '', message: `cannot read ${source}: ${(err as Error).message}` });
      continue;
    }
    snapshot.sources.push(source);
    for (const doc of readYamlDocuments(text)) {
      const at = (path: ReadonlyArray<string | number>, message: string) =>
        snapshot.errors.push({ file: source, document: doc.index, line: doc.lineOf(path), field: path.join('.').replace(/\.(\d+)/g, '[$1]'), message });
      for (const e of doc.errors) snapshot.errors.push({ file: source, document: doc.index, line: e.line, field: '', message: `not valid YAML: ${e.message}` });
      if (doc.value === undefined || doc.value === null) continue;
      const { value, problems } = await resolvePlaceholders(doc.value, source, reader);
      for (const p of problems) at(p.path, p.message);
      const issues = validateEntity(value);
      if (issues.length > 0) {
        for (const i of issues) at(i.path, i.message);
        continue;
      }
      const entity = value as Entity;
      const parsed = parseRef(entity.metadata.name, { defaultKind: entity.kind, defaultNamespace: entity.metadata.namespace });
      if (typeof parsed === 'string') {
        at(['metadata', 'name'], parsed);
        continue;
      }
      const ref = stringifyRef(parsed);
      const location = { file: source, document: doc.index, line: doc.lineOf([]) };
      const first = byRef.get(ref);
      if (first) {
        at(['metadata', 'name'], `${ref} is already defined in ${first.source.file} (document ${first.source.document})`);
        continue;
      }
      const located = { ref, entity, source: location };
      byRef.set(ref, located);
      snapshot.entities.push(located);
      const { relations, problems: refProblems } = relationsOf(ref, entity);
      snapshot.relations.push(...relations);
      for (const p of refProblems) at(p.field.replace(/\[(\d+)\]/g, '.$1').split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)), p.message);
      if (entity.kind.toLowerCase() === 'location') {
        const spec = entity.spec as { target?: string; targets?: string[] };
        for (const target of [...(spec.target ? [spec.target] : []), ...(spec.targets ?? [])]) {
          const url = resolveTarget(target, source);
          queue.push({ source: url.protocol === 'file:' ? fileURLToPath(url) : url.href, from: { ...location, line: doc.lineOf(['spec', spec.target ? 'target' : 'targets']) } });
        }
      }
    }
  }
  snapshot.relations = uniqueRelations(snapshot.relations);
  return snapshot;
}
