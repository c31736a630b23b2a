import { GATEWAY_FORMATS, type GatewayFormat, type GatewayParseResult } from './api-call.ts';
import type { GatewayParseOptions, ParserFactory, RecordOutcome, RecordParser } from './format-parser.ts';
import { frameBody, notJsonReason, where, type Framed } from './framing.ts';
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

/** Parses one body of gateway access logs into api_calls rows and per-record rejects (`line 7: not JSON (...)`). Pure; never throws. */
export function parseGatewayLog(format: GatewayFormat, text: string, opts: GatewayParseOptions = {}): GatewayParseResult {
  const factory = Object.hasOwn(PARSERS, format) ? PARSERS[format] : undefined;
  if (!factory) return { calls: [], rejects: [{ line: 0, reason: `unknown gateway format ${JSON.stringify(format)} (one of ${GATEWAY_FORMATS.join(', ')})` }] };
  const parser = factory(format, opts);
  const result: GatewayParseResult = { calls: [], rejects: [] };
  frameBody(text, (f) => {
    const out = f.kind === 'reject' ? f.reason : read(parser, f);
    if (typeof out === 'string') result.rejects.push({ line: f.line, reason: `${where(f)}: ${out}` });
    else result.calls.push(out);
  });
  return result;
}
