import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { frameBody, frameBytes, type Framed } from './framing.ts';
import { parseGatewayLog } from './parse-gateway-log.ts';
import { codeBlocks } from './doc-samples.ts';
import { fixturePath } from '../../../../test/fixtures.ts';

function frames(body: string): Framed[] {
  const out: Framed[] = [];
  frameBody(body, (f) => out.push(f));
  return out;
}

// One Traefik record, small enough to repeat; the traefik parse test covers its fields.
const T = (path: string) => JSON.stringify({ RequestMethod: 'GET', RequestPath: path, StartUTC: '2026-01-08T14:19:15.980170592Z', DownstreamStatus: 200 });
const paths = (body: string, format: 'traefik' | 'kong' = 'traefik') => parseGatewayLog(format, body).calls.map((c) => c.path);

test('NDJSON: empty and blank lines are skipped silently, CRLF is accepted, line numbers count every line', () => {
  const body = `${T('/a')}\r\n\r\n   \n${T('/b')}\n\n`;
  const r = parseGatewayLog('traefik', body);
  assert.deepEqual(r.calls.map((c) => c.path), ['/a', '/b']);
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(frames(body).map((f) => f.line), [1, 4]);
});

test('malformed lines are rejected with their 1-based line and why; the lines around them are kept', () => {
  const body = [T('/1'), '', '{"RequestMethod": "GET", "RequestPath": "/cut', T('/4'), '{oops}', '[1, 2]', '"a string"', T('/8')].join('\n');
  const r = parseGatewayLog('traefik', body);
  assert.deepEqual(r.calls.map((c) => c.path), ['/1', '/4', '/8']);
  assert.deepEqual(r.rejects, [
    { line: 3, reason: 'line 3: not JSON (Unterminated string in JSON at position 45 (line 1 column 46))' },
    { line: 5, reason: "line 5: not JSON (Expected property name or '}' in JSON at position 1 (line 1 column 2))" },
    { line: 6, reason: "line 6: neither JSON nor Traefik's common access-log format" },
    { line: 7, reason: "line 7: neither JSON nor Traefik's common access-log format" },
  ]);
});

test('a JSON-only format says which JSON error a text line has', () => {
  const r = parseGatewayLog('kong', 'DEBUG: CrowdsecBouncerTraefikPlugin: 2025/09/05 13:53:40 handleStreamCache:updated\n[1]\n');
  assert.deepEqual(r.rejects, [
    { line: 1, reason: `line 1: not JSON (Unexpected token 'D', "DEBUG: Cro"... is not valid JSON)` },
    { line: 2, reason: 'line 2: not a JSON object (an array)' },
  ]);
});

test('a record that fails its format is rejected with the format reason at its line', () => {
  const r = parseGatewayLog('traefik', `${T('/ok')}\n{"RequestPath": "/x", "StartUTC": "2026-01-08T14:19:15Z"}\n{"RequestMethod": "GET", "StartUTC": "2026-01-08T14:19:15Z", "DownstreamStatus": "teapot"}`);
  assert.deepEqual(r.calls.map((c) => c.path), ['/ok']);
  assert.deepEqual(r.rejects, [
    { line: 2, reason: 'line 2: no request method (RequestMethod)' },
    { line: 3, reason: 'line 3: DownstreamStatus is not a number ("teapot")' },
  ]);
});

test('a JSON array body (batched Kong http-log) is read per element; a bad element is rejected by its 0-based index', () => {
  const kong = (uri: string) => ({ request: { method: 'GET', uri }, started_at: 1726783839538, response: { status: 200 } });
  const body = JSON.stringify([kong('/a'), 42, kong('/c'), { request: {} }, null]);
  const r = parseGatewayLog('kong', body);
  assert.deepEqual(r.calls.map((c) => c.path), ['/a', '/c']);
  assert.deepEqual(r.rejects, [
    { line: 1, reason: 'element 1: not a JSON object (a number)' },
    { line: 3, reason: 'element 3: no request method (request.method)' },
    { line: 4, reason: 'element 4: not a JSON object (null)' },
  ]);
});

test('a single pretty-printed JSON object is one record at line 1, with or without a byte-order mark', () => {
  const body = JSON.stringify({ request: { method: 'POST', uri: '/pets?x=1' }, started_at: 1, response: { status: 201 } }, null, 2);
  assert.deepEqual(frames(body).map((f) => [f.kind, f.line]), [['object', 1]]);
  assert.deepEqual(paths(body, 'kong'), ['/pets']);
  assert.deepEqual(paths(`\ufeff${body}`, 'kong'), ['/pets']);
  assert.deepEqual(paths(`\ufeff${T('/bom')}\n${T('/2')}`), ['/bom', '/2']);
});

test('CRI lines are unwrapped; P chunks are joined with the F line and reported at the first chunk', () => {
  const rec = T('/joined');
  const body = [
    `2026-01-08T14:19:16.000000001+01:00 stdout F ${T('/one')}`,
    `2026-01-08T14:19:16.000000002+01:00 stdout P ${rec.slice(0, 20)}`,
    `2026-01-08T14:19:16.000000003+01:00 stdout P ${rec.slice(20, 50)}`,
    `2026-01-08T14:19:16.000000004+01:00 stdout F ${rec.slice(50)}`,
    '2026-01-08T14:19:16.000000005+01:00 stderr F not json at all',
    '2026-01-08T14:19:16.000000006+01:00 stdout F ',
  ].join('\n');
  const r = parseGatewayLog('traefik', body);
  assert.deepEqual(r.calls.map((c) => c.path), ['/one', '/joined']);
  assert.deepEqual(r.rejects, [{ line: 5, reason: "line 5: neither JSON nor Traefik's common access-log format" }]);
  assert.deepEqual(frames(body).map((f) => f.line), [1, 2, 5]);
});

test('Docker json-file records are unwrapped, partial records (no trailing newline) joined', () => {
  const rec = T('/split');
  const docker = (log: string) => JSON.stringify({ log, stream: 'stdout', time: '2026-01-08T14:19:16.123Z' });
  const body = [docker(`${T('/d1')}\n`), docker(rec.slice(0, 30)), docker(`${rec.slice(30)}\n`), docker('plain text\n')].join('\n');
  const r = parseGatewayLog('traefik', body);
  assert.deepEqual(r.calls.map((c) => c.path), ['/d1', '/split']);
  assert.deepEqual(r.rejects, [{ line: 4, reason: "line 4: neither JSON nor Traefik's common access-log format" }]);
  // A body of one Docker record is a line too, not a record with a `log` field.
  assert.deepEqual(paths(docker(`${T('/only')}\n`)), ['/only']);
});

test('a `kubectl logs --timestamps` prefix is removed; a timestamp followed by a tab (a program\'s own layout) is kept', () => {
  assert.deepEqual(frames(`2025-01-30T12:10:13.682034460Z ${T('/k')}`).map((f) => f.kind), ['object']);
  const tabbed = frames('2024-04-12T10:17:44.080629Z\tinfo\taccess\tconnection complete');
  assert.deepEqual(tabbed, [{ kind: 'text', line: 1, inArray: false, text: '2024-04-12T10:17:44.080629Z\tinfo\taccess\tconnection complete' }]);
});

test('an unknown format is one reject, not an exception', () => {
  assert.deepEqual(parseGatewayLog('nginx' as never, T('/x')), {
    calls: [],
    rejects: [{ line: 0, reason: 'unknown gateway format "nginx" (one of kong, envoy, istio, aws-apigateway, traefik)' }],
  });
});

test('an empty body has no calls and no rejects', () => {
  assert.deepEqual(parseGatewayLog('envoy', ''), { calls: [], rejects: [] });
  assert.deepEqual(parseGatewayLog('envoy', '\n\n  \n'), { calls: [], rejects: [] });
});

test('framing bytes line by line gives exactly what framing the decoded body gives, on every fixture and on edge cases', () => {
  const bodies: Array<[string, Uint8Array]> = [];
  const root = fixturePath('gateway-logs/');
  for (const format of readdirSync(root)) {
    for (const file of readdirSync(join(root, format))) {
      const bytes = readFileSync(join(root, format, file));
      if (file.endsWith('.md')) codeBlocks(bytes.toString('utf8')).forEach((b, i) => bodies.push([`${format}/${file} block ${i}`, Buffer.from(b)]));
      else if (!file.startsWith('LICENSE')) bodies.push([`${format}/${file}`, bytes]);
    }
  }
  const rec = T('/split');
  const docker = (log: string) => JSON.stringify({ log, stream: 'stdout', time: '2026-01-08T14:19:16.123Z' });
  const edge: Array<[string, string | Uint8Array]> = [
    ['BOM + NDJSON', `\ufeff${T('/a')}\n${T('/b')}\n`],
    ['CRLF and blank lines', `${T('/a')}\r\n\r\n   \n${T('/b')}`],
    ['pretty-printed object', JSON.stringify({ RequestMethod: 'GET', RequestPath: '/p' }, null, 2)],
    ['array with a non-object', `[${T('/a')}, 3, ${T('/b')}]`],
    ['array body that is not JSON', `[${T('/a')}\n[oops`],
    ['NDJSON whose first line is cut', `{"RequestMethod": "GET", "RequestPath": "/cut\n${T('/b')}\n`],
    ['one record, no newline', T('/one')],
    ['one record after blank lines', `\n\n  ${T('/one')}\n`],
    ['multi-byte UTF-8', `${T('/café/ü/日本')}\n${T('/naïve')}`],
    ['invalid UTF-8', Buffer.concat([Buffer.from(`${T('/a')}\n{"RequestPath": "/`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(`"}\n${T('/b')}`)])],
    ['CRI partial lines', [`2026-01-08T14:19:16.000000002+01:00 stdout P ${rec.slice(0, 20)}`, `2026-01-08T14:19:16.000000004+01:00 stdout F ${rec.slice(20)}`].join('\n')],
    ['Docker partial records', [docker(rec.slice(0, 30)), docker(`${rec.slice(30)}\n`), docker('plain\n')].join('\n')],
    ['text lines', 'GET /a 200\n\nnot json\n'],
    ['empty', ''],
    ['only white space', '\n \r\n\t'],
  ];
  for (const [name, body] of edge) bodies.push([name, typeof body === 'string' ? Buffer.from(body) : body]);
  assert.ok(bodies.length > edge.length + 8, `fixtures found (${bodies.length - edge.length})`);
  assert.deepEqual(frames(`\n\n  ${T('/one')}\n`).map((f) => f.line), [3], 'a lone record is reported at the line it starts on');
  for (const [name, bytes] of bodies) {
    const fromBytes: Framed[] = [];
    frameBytes(bytes, (f) => fromBytes.push(f));
    assert.deepEqual(fromBytes, frames(new TextDecoder().decode(bytes)), name);
  }
});
