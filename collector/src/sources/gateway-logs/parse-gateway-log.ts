import { GATEWAY_FORMATS, type ApiCallRecord, type GatewayFormat, type GatewayParseResult, type LineReject } from './api-call.ts';
import type { GatewayParseOptions, ParserFactory, RecordOutcome, RecordParser } from './format-parser.ts';
import { frameBody, frameBytes, notJsonReason, where, type Framed } from './framing.ts';
import { kongParser } from './kong/parse.ts';
import { envoyParser } from './envoy/parse.ts';
import { awsParser } from './aws-apigateway/parse.ts';
import { traefikParser } from './traefik/parse.ts';

export type { GatewayParseOptions } from './format-parser.ts';

const PARSERS: Record<GatewayFormat, ParserFactory> = {
  kong: kongParser,
  envoy: envoyParser,
  istio: envoyParser,
  'aws-apigateway': awsParser,
  traefik: traefikParser,
};

function read(parser: RecordParser, f: Exclude<Framed, { kind: 'reject' }>): RecordOutcome {
  // A parser bug must cost one record, not the whole body.
  try {
    if (f.kind === 'object') return parser.object(f.value);
    return parser.text ? parser.text(f.text) : notJsonReason(f.text);
  } catch (e) {
    return `could not be read (${(e as Error).message})`;
  }
}

/**
 * Reads one body of gateway access logs (text, or UTF-8 bytes) record by record, in order: each call
 * goes to `onCall` as soon as it is read (so a caller can encode and drop it),
 * each unreadable record to `onReject` with where and why (`line 7: not JSON (...)`).
 * Never throws.
 */
export function readGatewayLog(format: GatewayFormat, body: string | Uint8Array, opts: GatewayParseOptions, onCall: (call: ApiCallRecord) => void, onReject: (reject: LineReject) => void): void {
  const factory = Object.hasOwn(PARSERS, format) ? PARSERS[format] : undefined;
  if (!factory) {
    onReject({ line: 0, reason: `unknown gateway format ${JSON.stringify(format)} (one of ${GATEWAY_FORMATS.join(', ')})` });
    return;
  }
  const parser = factory(format, opts);
  const visit = (f: Framed) => {
    const out = f.kind === 'reject' ? f.reason : read(parser, f);
    if (typeof out === 'string') onReject({ line: f.line, reason: `${where(f)}: ${out}` });
    else onCall(out);
  };
  if (typeof body === 'string') frameBody(body, visit);
  else frameBytes(body, visit);
}

/** Parses one body of gateway access logs into api_calls rows and per-record rejects (`line 7: not JSON (...)`). Pure; never throws. */
export function parseGatewayLog(format: GatewayFormat, text: string, opts: GatewayParseOptions = {}): GatewayParseResult {
  const result: GatewayParseResult = { calls: [], rejects: [] };
  readGatewayLog(format, text, opts, (call) => result.calls.push(call), (reject) => result.rejects.push(reject));
  return result;
}
