import { LineCounter, parseAllDocuments, isMap, isScalar, isSeq, type Document } from 'yaml';

/** One YAML document of a file, with a way to find the line of any field in it. */
export interface YamlDocument {
  /** 1-based index in the file. */
  index: number;
  /** The document's value, or undefined for an empty document. */
  value: unknown;
  /** Parse errors, with their lines. */
  errors: Array<{ line: number; message: string }>;
  /** Line of the field at `path`, or of its nearest existing parent. */
  lineOf(path: ReadonlyArray<string | number>): number;
}

/** Splits a file into its documents, keeping positions for error reports. */
export function readYamlDocuments(text: string): YamlDocument[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: true });
  const list: Document[] = Array.isArray(docs) ? docs : [];
  const line = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  return list.map((doc, i) => {
    const start = doc.contents?.range?.[0] ?? doc.range?.[0];
    return {
      index: i + 1,
      value: doc.errors.length > 0 ? undefined : (doc.toJS() as unknown) ?? undefined,
      errors: doc.errors.map((e) => ({ line: e.linePos?.[0]?.line ?? line(start), message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') })),
      // The line of the deepest key on the path that exists: for a missing
      // field that is its parent's key, where the field belongs.
      lineOf(path) {
        let node: unknown = doc.contents;
        let at = line(start);
        for (const segment of path) {
          const pair = isMap(node) ? node.items.find((p) => isScalar(p.key) && p.key.value === segment) : undefined;
          const item = isSeq(node) && typeof segment === 'number' ? node.items[segment] : undefined;
          const keyRange = pair && isScalar(pair.key) ? pair.key.range : undefined;
          const itemRange = (item as { range?: [number, number, number] } | undefined)?.range;
          if (!keyRange && !itemRange) break;
          at = line((keyRange ?? itemRange)![0]);
          node = pair ? pair.value : item;
        }
        return at;
      },
    };
  });
}
