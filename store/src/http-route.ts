import { sql, join, type Sql } from './sql.ts';
import { spanAttr } from './semconv.ts';

// The operation a server span served, resolved once at insert so per-minute
// aggregates can key on it. Paths are templated twice over: in SQL for spans
// (templatePathSql, at insert) and in TypeScript for gateway calls (in the
// decode worker, off the insert's path) and the catalog. A parity test
// (catalog/src/match/template-parity.test.ts) runs both on the same paths:
// ClickHouse's RE2 has no lookahead, so the token rule is split into two matches.

const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT'];

// Segments that are values, not names: numbers, UUIDs, long hex hashes, ULIDs, base64-ish tokens with digits.
const ID = /^\d+$/;
const VALUE_SEGMENTS: ReadonlyArray<readonly [RegExp, string]> = [
  [ID, '{id}'],
  [/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, '{uuid}'],
  [/^[0-9a-f]{16,}$/i, '{hash}'],
  [/^[0-9A-HJKMNP-TV-Z]{26}$/, '{ulid}'],
  [/^(?=.*\d)[A-Za-z0-9_-]{20,}$/, '{token}'],
];
// Every rule but {id} needs 16 characters or more.
const SHORTEST_NON_ID = 16;

function templateSegment(segment: string): string {
  if (segment.length < SHORTEST_NON_ID) return ID.test(segment) ? '{id}' : segment;
  for (const [re, name] of VALUE_SEGMENTS) if (re.test(segment)) return name;
  return segment;
}

const SLASH = 47;
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/**
 * templatePath's common case in one pass: paths whose segments are all short,
 * where only the {id} rule can apply. Undefined when a segment is long enough
 * for another rule. Hand-written because it runs on every gateway log line.
 */
function templateShortSegments(path: string): string | undefined {
  let out = '';
  let copied = 0;
  let start = 0;
  let digits = true;
  for (let i = 0; i <= path.length; i++) {
    const c = i < path.length ? path.charCodeAt(i) : SLASH;
    if (c === SLASH) {
      if (i > start && digits) {
        out += path.slice(copied, start) + '{id}';
        copied = i;
      }
      start = i + 1;
      digits = true;
    } else {
      if (i - start >= SHORTEST_NON_ID - 1) return undefined;
      if (c < DIGIT_0 || c > DIGIT_9) digits = false;
    }
  }
  return copied === 0 ? path : out + path.slice(copied);
}

/** Turns a raw path into a template: `/orders/42/items/3fa85f64-…` becomes `/orders/{id}/items/{uuid}`. */
export function templatePath(rawPath: string): string {
  const q = rawPath.indexOf('?');
  const path = q < 0 ? rawPath : rawPath.slice(0, q);
  const short = templateShortSegments(path);
  if (short !== undefined) return short;
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) if (segments[i] !== '') segments[i] = templateSegment(segments[i]!);
  return segments.join('/');
}

/** SQL turning a raw path into a template: numbers, UUIDs, hashes, ULIDs and tokens become `{id}`, `{uuid}`… */
export function templatePathSql(path: Sql): Sql {
  return sql`arrayStringConcat(arrayMap(s -> multiIf(
      s = '', s,
      match(s, '^[0-9]+$'), '{id}',
      match(s, '(?i)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'), '{uuid}',
      match(s, '(?i)^[0-9a-f]{16,}$'), '{hash}',
      match(s, '^[0-9A-HJKMNP-TV-Z]{26}$'), '{ulid}',
      match(s, '^[A-Za-z0-9_-]{20,}$') AND match(s, '[0-9]'), '{token}',
      s), splitByChar('/', ${path})), '/')`;
}

/** SQL for a server span's HTTP method: the attribute, else the first word of a `GET /x` span name; '' for other spans. */
export function httpMethodSql(): Sql {
  const fromName = sql`upper(splitByChar(' ', SpanName)[1])`;
  return sql`multiIf(${spanAttr('httpMethod')} != '', upper(${spanAttr('httpMethod')}),
    ${fromName} IN ${HTTP_METHODS} AND position(SpanName, ' /') > 0, ${fromName}, '')`;
}

/**
 * SQL for the operation a server span served: `http.route`; else the path of a
 * `GET /x` span name, templated; else the templated `url.path` without its
 * query; for non-HTTP spans (gRPC `pkg.Service/Method`, GraphQL…) the span name.
 */
export function routeSql(): Sql {
  const namePath = sql`extract(SpanName, '^[A-Za-z]+ (/[^ ?]*)')`;
  const urlPath = sql`splitByChar('?', ${spanAttr('urlPath')})[1]`;
  const arms = [
    sql`${spanAttr('httpRoute')} != '', ${spanAttr('httpRoute')}`,
    sql`${namePath} != '', ${templatePathSql(namePath)}`,
    sql`${urlPath} != '', ${templatePathSql(urlPath)}`,
  ];
  // An HTTP span with neither route nor path names no operation; other spans are named by their operation.
  return sql`multiIf(${join(arms)}, ${spanAttr('httpMethod')} != '', '', SpanName)`;
}
