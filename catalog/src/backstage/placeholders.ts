import { parse as parseYaml } from 'yaml';

/** How placeholder and location targets are read. */
export interface SourceReader {
  /** Reads a local file; relative targets are resolved against the including file first. */
  readFile(path: string): Promise<string>;
  /** Fetches a remote URL; called only for hosts on the allow-list. */
  fetchText(url: URL): Promise<string>;
  /** Hosts remote targets may come from; everything else is refused (no SSRF). */
  allowedHosts: readonly string[];
}

/** A placeholder that could not be resolved, at its path in the document. */
export interface PlaceholderProblem {
  path: Array<string | number>;
  message: string;
}

const KINDS = { $text: (t: string) => t, $json: (t: string) => JSON.parse(t) as unknown, $yaml: (t: string) => parseYaml(t) as unknown } as const;

/** Resolves `{ $text | $json | $yaml: target }` objects anywhere in a document, in place. */
export async function resolvePlaceholders(value: unknown, baseFile: string, reader: SourceReader, path: Array<string | number> = []): Promise<{ value: unknown; problems: PlaceholderProblem[] }> {
  const problems: PlaceholderProblem[] = [];
  const visit = async (v: unknown, p: Array<string | number>): Promise<unknown> => {
    if (Array.isArray(v)) return Promise.all(v.map((x, i) => visit(x, [...p, i])));
    if (v === null || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    const key = keys.length === 1 ? (keys[0] as keyof typeof KINDS) : undefined;
    if (key && key in KINDS) {
      const target = (v as Record<string, unknown>)[key];
      if (typeof target !== 'string') return problems.push({ path: p, message: `${key} needs a string target` }), '';
      try {
        return KINDS[key](await readTarget(target, baseFile, reader));
      } catch (err) {
        problems.push({ path: [...p, key], message: (err as Error).message });
        return key === '$text' ? '' : undefined;
      }
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = await visit((v as Record<string, unknown>)[k], [...p, k]);
    return out;
  };
  return { value: await visit(value, path), problems };
}

/** Reads a location or placeholder target: a path relative to `baseFile`, or an allowed URL. */
export async function readTarget(target: string, baseFile: string, reader: SourceReader): Promise<string> {
  const url = resolveTarget(target, baseFile);
  if (url.protocol === 'file:') return reader.readFile(decodeURIComponent(url.pathname));
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`unsupported target ${target}`);
  if (!reader.allowedHosts.includes(url.hostname)) throw new Error(`remote target ${url.href} is not allowed: add ${url.hostname} to catalog.allowedHosts to import it`);
  return reader.fetchText(url);
}

/** Resolves a target against the file (or URL) that names it. */
export function resolveTarget(target: string, baseFile: string): URL {
  const base = /^[a-z]+:\/\//i.test(baseFile) ? baseFile : `file://${baseFile}`;
  return new URL(target, base);
}
