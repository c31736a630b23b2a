// Kong route paths as OpenAPI path templates. Kong 3 paths are prefixes
// (`/orders`) or, marked with `~`, regular expressions. A regex becomes a
// template only when each capture is named and stays within one segment,
// e.g. `~/orders/(?<id>\d+)$` -> `/orders/{id}`; anything else is refused with
// a reason rather than guessed at.

/** A path parameter of a template, with the regex its capture used (anchored). */
export interface TemplateParam {
  name: string;
  pattern: string;
}

/** A Kong path as a template, or why it cannot be one. */
export type KongPathResult = { ok: true; template: string; params: TemplateParam[] } | { ok: false; error: string };

const REGEX_CHARS = /[()[\]\\^$*+?|{}]/;

/** Converts one Kong route path to an OpenAPI path template. */
export function kongPathTemplate(path: string): KongPathResult {
  if (!path.startsWith('~')) {
    if (!path.startsWith('/')) return { ok: false, error: `"${path}" must start with / (or ~/ for a regex)` };
    if (REGEX_CHARS.test(path)) return { ok: false, error: `"${path}" looks like a regex, but Kong 3 treats it as a literal prefix: mark regex paths with ~ (decK file convert does it)` };
    return { ok: true, template: path, params: [] };
  }
  let re = path.slice(1);
  if (re.startsWith('^')) re = re.slice(1);
  if (re.endsWith('$') && !re.endsWith('\\$')) re = re.slice(0, -1);
  // An optional trailing slash (`…/?$`) is common and changes nothing a template says.
  if (re.endsWith('/?') && re.length > 2) re = re.slice(0, -2);
  if (!re.startsWith('/')) return { ok: false, error: `regex path "${path}" must start with ~/` };
  const unsupported = (why: string): KongPathResult => ({ ok: false, error: `regex path "${path}" cannot be an OpenAPI path template: ${why}` });
  let template = '';
  const params: TemplateParam[] = [];
  for (let i = 0; i < re.length; ) {
    const c = re[i]!;
    if (c === '\\') {
      const next = re[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return unsupported(`\\${next ?? ''} outside a named capture`);
      template += next;
      i += 2;
    } else if (re.startsWith('(?<', i) && re[i + 3] !== '=' && re[i + 3] !== '!') {
      const close = re.indexOf('>', i);
      const name = re.slice(i + 3, close);
      if (close < 0 || !/^[A-Za-z_]\w*$/.test(name)) return unsupported(`capture name "${name}" is not an identifier`);
      const end = captureEnd(re, close + 1);
      if (end < 0) return unsupported(`capture "${name}" is not closed`);
      const inner = re.slice(close + 1, end);
      const why = segmentPatternProblem(inner);
      if (why) return unsupported(`capture "${name}" ${why}`);
      if (params.some((p) => p.name === name)) return unsupported(`capture "${name}" appears twice`);
      params.push({ name, pattern: `^${inner}$` });
      template += `{${name}}`;
      i = end + 1;
    } else if (c === '(') {
      return unsupported(`the group at position ${i + 1} has no name: write (?<name>…)`);
    } else if (REGEX_CHARS.test(c) || c === '.') {
      return unsupported(`"${c}" at position ${i + 1} is not a literal or a named capture`);
    } else {
      template += c;
      i += 1;
    }
  }
  return { ok: true, template, params };
}

// Index of the `)` closing a group whose body starts at `from`, or -1; nested groups are refused later.
function captureEnd(re: string, from: number): number {
  let inClass = false;
  for (let i = from; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === ')') return i;
  }
  return -1;
}

const QUANTIFIER = /^(?:[+*?]|\{\d+(?:,\d*)?\})\??/;

// A capture becomes one `{param}`, so its pattern must not match `/`: only
// \d, \w, escaped literals, plain characters and classes that exclude `/`, each maybe quantified.
function segmentPatternProblem(inner: string): string | undefined {
  if (inner === '') return 'is empty';
  for (let i = 0; i < inner.length; ) {
    const c = inner[i]!;
    if (c === '\\') {
      const next = inner[i + 1] ?? '';
      if (!/^[dw]$/.test(next) && /[A-Za-z0-9]/.test(next)) return `uses \\${next}, which may match /`;
      if (next === '/') return 'matches /';
      i += 2;
    } else if (c === '[') {
      const end = captureClassEnd(inner, i + 1);
      if (end < 0) return 'has an unclosed [';
      const body = inner.slice(i + 1, end);
      const negated = body.startsWith('^');
      if (negated !== /\//.test(body)) return `has the class [${body}], which may match /`;
      if (!negated && /\\[DSWs]/.test(body)) return `has the class [${body}], which may match /`;
      i = end + 1;
    } else if (/[()|.^$]/.test(c) || QUANTIFIER.test(inner.slice(i))) {
      return `uses "${c}": only \\d, \\w, classes without / and literals are converted`;
    } else if (c === '/') {
      return 'matches /';
    } else {
      i += 1;
    }
    const q = QUANTIFIER.exec(inner.slice(i));
    if (q) i += q[0].length;
  }
  return undefined;
}

function captureClassEnd(re: string, from: number): number {
  for (let i = from + (re[from] === ']' ? 1 : 0); i < re.length; i++) {
    if (re[i] === '\\') i++;
    else if (re[i] === ']') return i;
  }
  return -1;
}
