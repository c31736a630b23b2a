import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { otlpTypes, type OtlpEncoding } from '../sources/otlp/parse.ts';
import type { SpanLimits } from '../spans/span-record.ts';
import type { DecodePool } from '../pipeline/decode-pool.ts';
import { DecodePoolFullError } from '../pipeline/decode-pool.ts';
import { QueueFullError, type WritePipeline } from '../pipeline/write-pipeline.ts';
import { readBody, type BodyLimits } from './read-body.ts';
import { HttpError } from './http-error.ts';
import { StoreError } from '@plexus/store';
import { collectorMetrics, tracer } from '../telemetry.ts';
import { countDecoded, rejectSummary } from './decoded-spans.ts';

export interface OtlpHttpOptions {
  pool: DecodePool;
  pipeline: WritePipeline;
  limits: SpanLimits & BodyLimits;
  /** Origins allowed to export from a browser; empty means CORS is off. */
  corsOrigins: readonly string[];
  /** Seconds a client should wait before retrying when Plexus is full. */
  retryAfterSeconds: number;
  /** Checks the caller before the body is read (the server injects its token check); absent means no auth. */
  authorize?: Authorize | undefined;
  log?: (msg: string, err?: unknown) => void;
}

/** A request check: go ahead, or the status (401/403) and message to answer with. */
export type Authorize = (req: IncomingMessage) => 'ok' | { status: number; message: string };

/** Throws the HttpError `authorize` answers with (401 asks for a Bearer token); does nothing without a check. */
export function checkAuthorized(authorize: Authorize | undefined, req: IncomingMessage): void {
  const allowed = authorize?.(req) ?? 'ok';
  if (allowed !== 'ok') throw new HttpError(allowed.status, allowed.message, allowed.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {});
}

const CONTENT_TYPES: Record<string, OtlpEncoding> = { 'application/x-protobuf': 'protobuf', 'application/protobuf': 'protobuf', 'application/json': 'json' };
const GRPC_CODES: Record<number, number> = { 400: 3, 401: 16, 403: 7, 413: 8, 415: 3, 429: 8, 503: 14, 500: 13 };

/** Handles `POST /v1/traces` as the OTLP/HTTP specification says. */
export function createOtlpTracesHandler(opts: OtlpHttpOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const m = collectorMetrics();
  return (req, res) =>
    tracer.startActiveSpan('POST /v1/traces', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'http.route': '/v1/traces' } }, async (span) => {
      const encoding = CONTENT_TYPES[(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()];
      try {
        cors(req, res, opts.corsOrigins);
        checkAuthorized(opts.authorize, req);
        if (!encoding) throw new HttpError(415, `unsupported Content-Type "${req.headers['content-type'] ?? ''}": send application/x-protobuf or application/json`);
        const body = await readBody(req, opts.limits);
        const decoded = await tracer.startActiveSpan('otlp.decode', async (s) => {
          try {
            return await opts.pool.decode({ body, encoding, limits: opts.limits });
          } finally {
            s.end();
          }
        });
        if (!decoded.ok) throw new HttpError(400, decoded.error);
        countDecoded(decoded, 'otlp_http');
        span.setAttributes({ 'plexus.spans.accepted': decoded.accepted, 'plexus.spans.rejected': decoded.rejected });
        await opts.pipeline.submit(decoded.tsv, decoded.accepted);
        m.spansAccepted.add(decoded.accepted, { receiver: 'otlp_http' });
        const partial = decoded.rejected > 0
          ? { rejectedSpans: decoded.rejected, errorMessage: rejectSummary(decoded) }
          : undefined;
        reply(res, 200, encoding, otlpTypes.response, partial ? { partialSuccess: partial } : {});
      } catch (err) {
        const e = toHttpError(err, opts.retryAfterSeconds);
        if (e.status >= 500 && !(err instanceof HttpError)) span.recordException(err as Error);
        if (e.status === 500) opts.log?.('OTLP request failed', err);
        span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
        reply(res, e.status, encoding ?? 'json', otlpTypes.rpcStatus, { code: GRPC_CODES[e.status] ?? 2, message: e.message }, e.headers);
      } finally {
        m.requests.add(1, { receiver: 'otlp_http', status: String(res.statusCode) });
        span.setAttribute('http.response.status_code', res.statusCode);
        span.end();
      }
    });
}

/** Maps a failure to its HTTP answer: 429 when full, 503 when the store failed (both with Retry-After), else 500. */
export function toHttpError(err: unknown, retryAfter: number): HttpError {
  if (err instanceof HttpError) return err;
  const wait = { 'Retry-After': String(retryAfter) };
  if (err instanceof QueueFullError || err instanceof DecodePoolFullError) return new HttpError(429, `Plexus is at capacity (${err.message}); retry later`, wait);
  // The store failed: nothing from this request was acknowledged, so a retry loses nothing.
  if (err instanceof StoreError) return new HttpError(503, `could not write spans: ${err.message}`, wait);
  return new HttpError(500, `internal error: ${(err as Error).message}`);
}

type Encodable = { fromObject(o: Record<string, unknown>): unknown; encode(m: unknown): { finish(): Uint8Array }; toObject(m: unknown, o: object): Record<string, unknown> };

function reply(res: ServerResponse, status: number, encoding: OtlpEncoding, type: Encodable, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const message = type.fromObject(body);
  const payload = encoding === 'protobuf' ? type.encode(message).finish() : JSON.stringify(type.toObject(message, { longs: String, defaults: false }));
  res.writeHead(status, { 'Content-Type': encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json', ...headers });
  res.end(payload);
}

/** Answers CORS for browser exporters when origins are configured; returns true if the request was a preflight. */
export function cors(req: IncomingMessage, res: ServerResponse, origins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin || origins.length === 0) return false;
  if (!origins.includes('*') && !origins.includes(origin)) return false;
  res.setHeader('Access-Control-Allow-Origin', origins.includes('*') ? '*' : origin);
  res.setHeader('Vary', 'Origin');
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
      'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? 'Content-Type, Content-Encoding',
      'Access-Control-Max-Age': '86400',
    });
    res.end();
    return true;
  }
  return false;
}
