// TabSeparated encoding for the fast insert path (chDB's raw insert parses it
// multi-threaded; a server takes the same bytes). Top-level strings use TSV
// escapes; strings inside arrays and maps are single-quoted with the same escapes.

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0', "'": "\\'", '\b': '\\b', '\f': '\\f' };
const TOP_LEVEL = /[\\\t\n\r\0\b\f]/;
const TOP_LEVEL_ALL = new RegExp(TOP_LEVEL.source, 'g');
const QUOTED = /[\\\t\n\r\0\b\f']/;
const QUOTED_ALL = new RegExp(QUOTED.source, 'g');
const escapeChar = (c: string): string => ESCAPES[c] ?? c;

/** A top-level TSV string field. */
export function tsvString(value: string): string {
  return TOP_LEVEL.test(value) ? value.replace(TOP_LEVEL_ALL, escapeChar) : value;
}

/** A string inside an array or map: single-quoted. */
export function tsvQuoted(value: string): string {
  return "'" + (QUOTED.test(value) ? value.replace(QUOTED_ALL, escapeChar) : value) + "'";
}

/** A Map(String, String) field. */
export function tsvMap(entries: ReadonlyArray<readonly [string, string]>): string {
  let out = '{';
  for (let i = 0; i < entries.length; i++) {
    const [k, v] = entries[i]!;
    if (i > 0) out += ',';
    out += tsvQuoted(k) + ':' + tsvQuoted(v);
  }
  return out + '}';
}

/** An Array field from already-encoded elements. */
export function tsvArray(elements: readonly string[]): string {
  return '[' + elements.join(',') + ']';
}

/** Joins encoded fields into one TSV line (with the trailing newline). */
export function encodeTsvRow(fields: readonly string[]): string {
  return fields.join('\t') + '\n';
}
