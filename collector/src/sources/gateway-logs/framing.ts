// How a body is cut into records before any format looks at it. A body is a
// JSON array (Kong's batched http-log), one JSON object (possibly
// pretty-printed), or lines: NDJSON or text, each possibly wrapped by the
// container runtime (CRI `<time> stdout F <log>`, `kubectl logs --timestamps`,
// or Docker's json-file `{"log": ...}`).
import { isObject } from './fields.ts';

/** One record of a body: a JSON object, a text line, or why the framing could not read it. */
export type Framed =
  | { kind: 'object'; line: number; inArray: boolean; value: Record<string, unknown> }
  | { kind: 'text'; line: number; inArray: false; text: string }
  | { kind: 'reject'; line: number; inArray: boolean; reason: string };

/** Where a record was: `line 7` (1-based) or `element 3` (0-based index in a JSON array body). */
export function where(f: { line: number; inArray: boolean }): string {
  return f.inArray ? `element ${f.line}` : `line ${f.line}`;
}

function jsonKind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Why a line that is not JSON cannot be read by a JSON-only format: `not JSON (Unexpected token ...)`. */
export function notJsonReason(line: string): string {
  const r = parseJson(line);
  return 'error' in r ? `not JSON (${r.error})` : `not a JSON object (${jsonKind(r.value)})`;
}

const DIGIT_0 = 48;
const DIGIT_9 = 57;

// An RFC 3339 time at the start of a line: `2025-01-30T12:10:13.68Z`.
function startsWithTimestamp(line: string): boolean {
  const c = line.charCodeAt(0);
  return c >= DIGIT_0 && c <= DIGIT_9 && line.charCodeAt(4) === 45 && line.charCodeAt(7) === 45 && line.charCodeAt(10) === 84;
}

/**
 * Offset of the log inside a CRI line (`<RFC3339> stdout|stderr F|P <log>`),
 * or -1 when the line has no CRI prefix. Hand-written because it runs on
 * every line of the hot path.
 */
function criLogStart(line: string): number {
  if (!startsWithTimestamp(line)) return -1;
  const space = line.indexOf(' ', 19);
  if (space < 0) return -1;
  const stream = line.slice(space + 1, space + 8);
  if (stream !== 'stdout ' && stream !== 'stderr ') return -1;
  const tag = line.charCodeAt(space + 8);
  if (tag !== 70 /* F */ && tag !== 80 /* P */) return -1;
  const after = line.charCodeAt(space + 9);
  if (!Number.isNaN(after) && after !== 32) return -1;
  return space + 10;
}

/** One line after another (without its newline), undefined after the last. */
type LineSource = () => string | undefined;

function stringLines(body: string): LineSource {
  let pos = 0;
  return () => {
    if (pos > body.length) return undefined;
    let nl = body.indexOf('\n', pos);
    if (nl < 0) nl = body.length;
    const line = body.slice(pos, nl);
    pos = nl + 1;
    return line;
  };
}

// UTF-8 never has a 0x0A byte inside a character, so lines can be cut before decoding.
function byteLines(buf: Buffer, from: number): LineSource {
  let pos = from;
  return () => {
    if (pos > buf.length) return undefined;
    let nl = buf.indexOf(10, pos);
    if (nl < 0) nl = buf.length;
    const line = buf.toString('utf8', pos, nl);
    pos = nl + 1;
    return line;
  };
}

/**
 * frameBody for a body still in bytes: each line is decoded on its own, so an
 * NDJSON or text body never becomes one string as large as the body. V8 puts
 * such strings straight into its old generation, and a decode worker taking
 * 14 MB bodies then spends its time in full collections. A body that is one
 * JSON value (an array, or an object spread over lines) is decoded whole.
 */
export function frameBytes(bytes: Uint8Array, visit: (f: Framed) => void): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  let first = start;
  while (first < buf.length && (buf[first] === 32 || buf[first] === 9 || buf[first] === 10 || buf[first] === 13)) first++;
  // `{` whose line is a whole JSON value starts NDJSON (or is the only record, which lines read the same way).
  if (buf[first] === 91 /* [ */ || (buf[first] === 123 /* { */ && !isJsonLine(buf, first))) {
    frameBody(buf.toString('utf8', start), visit);
    return;
  }
  frameLines(byteLines(buf, start), visit);
}

function isJsonLine(buf: Buffer, from: number): boolean {
  const nl = buf.indexOf(10, from);
  return 'value' in parseJson(buf.toString('utf8', from, nl < 0 ? buf.length : nl));
}

/**
 * Cuts a body into records and hands each to `visit`, in order. Empty lines
 * are skipped; every other unreadable line is a reject. Partial CRI (`P`) and
 * Docker (no trailing newline) chunks are joined with what follows and
 * reported at the line where the record started. Never throws.
 */
export function frameBody(body: string, visit: (f: Framed) => void): void {
  // Editors on Windows save a byte-order mark, which JSON.parse refuses.
  if (body.charCodeAt(0) === 0xfeff) body = body.slice(1);
  const at = firstNonSpace(body);
  const first = body.charCodeAt(at);
  // A whole-body parse is tried only when the body could be one JSON value; an
  // NDJSON or Envoy text body fails it within its first line, which is cheap.
  if (first === 91 /* [ */ || first === 123 /* { */) {
    const whole = parseJson(body);
    if ('value' in whole) {
      const v = whole.value;
      if (Array.isArray(v)) {
        v.forEach((e, i) =>
          visit(isObject(e) ? { kind: 'object', line: i, inArray: true, value: e } : { kind: 'reject', line: i, inArray: true, reason: `not a JSON object (${jsonKind(e)})` }),
        );
        return;
      }
      if (isObject(v)) {
        if (!isDockerRecord(v)) {
          // At the line it starts on, as the same record sent as NDJSON would be.
          visit({ kind: 'object', line: lineAt(body, at), inArray: false, value: v });
          return;
        }
      }
    }
  }
  frameLines(stringLines(body), visit);
}

// Where the first character that is not white space is, without copying a large body.
function firstNonSpace(body: string): number {
  let i = 0;
  while (i < body.length) {
    const c = body.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    i++;
  }
  return i;
}

// 1-based line of offset `at`.
function lineAt(body: string, at: number): number {
  let line = 1;
  for (let i = body.indexOf('\n'); i >= 0 && i < at; i = body.indexOf('\n', i + 1)) line++;
  return line;
}

function isDockerRecord(v: Record<string, unknown>): v is { log: string } {
  return typeof v.log === 'string' && typeof v.stream === 'string';
}

function frameLines(next: LineSource, visit: (f: Framed) => void): void {
  let pending = '';
  let pendingLine = 0;
  let lineNo = 0;
  for (let line = next(); line !== undefined; line = next()) {
    lineNo++;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (line.trim() === '') continue;

    let content = line;
    let partial = false;
    const cri = criLogStart(line);
    if (cri >= 0) {
      content = line.slice(cri);
      partial = line.charCodeAt(cri - 2) === 80; // P
    } else if (startsWithTimestamp(line)) {
      // `kubectl logs --timestamps`: the time and one space, then the log.
      // A tab instead is a program's own log layout (ztunnel): keep the line whole.
      const space = line.indexOf(' ');
      const tab = line.indexOf('\t');
      if (space > 0 && (tab < 0 || space < tab)) content = line.slice(space + 1);
    }

    let parsed: Record<string, unknown> | undefined;
    if (content.startsWith('{"log":')) {
      const r = parseJson(content);
      if ('error' in r) {
        visit({ kind: 'reject', line: pendingLine || lineNo, inArray: false, reason: `not JSON (${r.error})` });
        pending = '';
        pendingLine = 0;
        continue;
      }
      if (isObject(r.value) && isDockerRecord(r.value)) {
        const log = r.value.log;
        partial = !log.endsWith('\n');
        content = partial ? log : log.slice(0, log.charCodeAt(log.length - 2) === 13 ? -2 : -1);
      } else if (isObject(r.value) && !pending) parsed = r.value;
    }

    if (partial) {
      if (!pending) pendingLine = lineNo;
      pending += content;
      continue;
    }
    let at = lineNo;
    if (pending) {
      content = pending + content;
      at = pendingLine;
      pending = '';
      pendingLine = 0;
    }
    if (parsed) visit({ kind: 'object', line: at, inArray: false, value: parsed });
    else emit(content, at, visit);
  }
  if (pending) emit(pending, pendingLine, visit);
}

function emit(content: string, line: number, visit: (f: Framed) => void): void {
  const c = content.trimStart();
  if (c === '') return;
  if (c.charCodeAt(0) !== 123 /* { */) {
    visit({ kind: 'text', line, inArray: false, text: c });
    return;
  }
  const r = parseJson(c);
  if ('error' in r) visit({ kind: 'reject', line, inArray: false, reason: `not JSON (${r.error})` });
  else if (isObject(r.value)) visit({ kind: 'object', line, inArray: false, value: r.value });
  else visit({ kind: 'reject', line, inArray: false, reason: `not a JSON object (${jsonKind(r.value)})` });
}
