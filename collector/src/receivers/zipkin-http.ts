import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ZipkinEncoding } from '../sources/zipkin/parse.ts';
import type { NamingRule } from '../sources/naming.ts';
import { readBody } from './read-body.ts';
import { HttpError } from './http-error.ts';
import { checkAuthorized, cors, toHttpError, type OtlpHttpOptions } from './otlp-http.ts';
import { replyJson as reply } from './reply-json.ts';
import { collectorMetrics, tracer } from '../telemetry.ts';
import { countDecoded } from './decoded-spans.ts';

/** The same pool, pipeline, limits, auth and push-back as OTLP/HTTP, plus the naming rule for endpoint names. */
export interface ZipkinHttpOptions extends OtlpHttpOptions {
  naming?: NamingRule | undefined;
}

/** What `POST /api/v2/spans` answers with 202: counts, and why spans were rejected (the first few). */
export interface ZipkinAccepted {
  accepted: number;
  rejected: number;
  errors?: string[];
}

export const ZIPKIN_SPANS_PATH = '/api/v2/spans';

const CONTENT_TYPES: Record<string, ZipkinEncoding> = { 'application/json': 'json', 'application/x-protobuf': 'protobuf', 'application/protobuf': 'protobuf' };

/** Handles `POST /api/v2/spans` as a Zipkin server does (202), with Plexus' limits and push-back. */
export function createZipkinSpansHandler(opts: ZipkinHttpOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const m = collectorMetrics();
  return (req, res) =>
    tracer.startActiveSpan(`POST ${ZIPKIN_SPANS_PATH}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'http.route': ZIPKIN_SPANS_PATH } }, async (span) => {
      try {
        cors(req, res, opts.corsOrigins);
        checkAuthorized(opts.authorize, req);
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        // Zipkin's server reads anything that is not protobuf as JSON; reporters that send no type rely on it.
        const encoding = type === '' ? 'json' : CONTENT_TYPES[type];
        if (!encoding) throw new HttpError(415, `unsupported Content-Type "${type}": send Zipkin v2 spans as application/json or application/x-protobuf`);
        const body = await readBody(req, opts.limits);
        const decoded = await tracer.startActiveSpan('zipkin.decode', async (s) => {
          try {
            return await opts.pool.decode({ body, encoding, limits: opts.limits, format: 'zipkin', naming: opts.naming });
          } finally {
            s.end();
          }
        });
        if (!decoded.ok) throw new HttpError(400, decoded.error);
        countDecoded(decoded, 'zipkin_http');
        span.setAttributes({ 'plexus.spans.accepted': decoded.accepted, 'plexus.spans.rejected': decoded.rejected });
        await opts.pipeline.submit(decoded.tsv, decoded.accepted);
        m.spansAccepted.add(decoded.accepted, { receiver: 'zipkin_http' });
        const answer: ZipkinAccepted = { accepted: decoded.accepted, rejected: decoded.rejected };
        if (decoded.rejected > 0) answer.errors = decoded.rejects.map((r) => `${r.path}: ${r.reason}`);
        reply(res, 202, answer);
      } catch (err) {
        const e = toHttpError(err, opts.retryAfterSeconds);
        if (e.status >= 500 && !(err instanceof HttpError)) span.recordException(err as Error);
        if (e.status === 500) opts.log?.('Zipkin request failed', err);
        span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
        reply(res, e.status, { error: e.message }, e.headers);
      } finally {
        m.requests.add(1, { receiver: 'zipkin_http', status: String(res.statusCode) });
        span.setAttribute('http.response.status_code', res.statusCode);
        span.end();
      }
    });
}

/** An HTTP server with the Zipkin v2 span endpoint only (the Zipkin port, 9411 by default). */
export function createZipkinServer(opts: ZipkinHttpOptions): Server {
  const spans = createZipkinSpansHandler(opts);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'OPTIONS' && cors(req, res, opts.corsOrigins)) return;
    if (path === ZIPKIN_SPANS_PATH && req.method === 'POST') return void spans(req, res);
    if (path === ZIPKIN_SPANS_PATH) return reply(res, 405, { error: `use POST ${ZIPKIN_SPANS_PATH}` }, { Allow: 'POST' });
    const hint = path === '/api/v1/spans' ? 'Zipkin v1 is not supported: send v2 spans to' : 'Zipkin v2 spans go to';
    reply(res, 404, { error: `no receiver at ${path}; ${hint} POST ${ZIPKIN_SPANS_PATH}` });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
