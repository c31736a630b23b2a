import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { GATEWAY_FORMATS, type GatewayFormat } from '../sources/gateway-logs/api-call.ts';
import type { GatewayParseOptions } from '../sources/gateway-logs/parse-gateway-log.ts';
import type { WritePipeline } from '../pipeline/write-pipeline.ts';
import type { DecodePool } from '../pipeline/decode-pool.ts';
import type { GatewayLogOutput } from '../pipeline/decode-worker.ts';
import { readBody, type BodyLimits } from './read-body.ts';
import type { BodySlots } from './body-slots.ts';
import { HttpError } from './http-error.ts';
import { checkAuthorized, toHttpError, type Authorize } from './otlp-http.ts';
import { replyJson as reply } from './reply-json.ts';
import { collectorMetrics, tracer } from '../telemetry.ts';

export interface GatewayIngestOptions {
  pool: DecodePool;
  /** Shared memory bodies are read into on their way to the pool. */
  slots?: BodySlots | undefined;
  /** The api_calls write queue. */
  pipeline: WritePipeline;
  limits: BodyLimits;
  retryAfterSeconds: number;
  /** Parse options per format: naming rule, gateway node names, AWS fields. */
  parse: (format: GatewayFormat) => GatewayParseOptions;
  authorize?: Authorize | undefined;
  log?: (msg: string, err?: unknown) => void;
}

/** What `POST /ingest/{format}` answers: counts, and where and why records were rejected (the first few). */
export interface GatewayIngestAnswer {
  accepted: number;
  rejected: number;
  errors: string[];
}

export const INGEST_PREFIX = '/ingest/';
const FORMATS = new Set<string>(GATEWAY_FORMATS);

/**
 * Handles `POST /ingest/{format}`: a body of gateway access logs (NDJSON, a
 * JSON array or object, or text lines; gzip), parsed in the worker pool,
 * written to api_calls before it is acknowledged. Bad records are rejected by
 * line with a reason and the rest kept; a full queue answers 429.
 * `?firstLine=N` says the body starts at line N of the sender's file, so the
 * reported lines are that file's (a client sending a big file in chunks).
 */
export function createGatewayIngestHandler(opts: GatewayIngestOptions): (req: IncomingMessage, res: ServerResponse, format: string) => Promise<void> {
  const m = collectorMetrics();
  return (req, res, format) =>
    tracer.startActiveSpan('POST /ingest/{format}', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'http.route': '/ingest/{format}', 'plexus.gateway.format': format } }, async (span) => {
      try {
        checkAuthorized(opts.authorize, req);
        if (!FORMATS.has(format)) throw new HttpError(404, `unknown gateway log format "${format}": use one of ${GATEWAY_FORMATS.map((f) => INGEST_PREFIX + f).join(', ')}`);
        const f = format as GatewayFormat;
        const firstLine = firstLineOf(req);
        // Announced before the body is read, so a busy writer waits for these rows
        // instead of writing a small batch; submitted before the announcement ends.
        const arrived = opts.pipeline.expect();
        const slot = opts.slots?.take();
        let submitted: Promise<void>;
        let parsed: GatewayLogOutput;
        try {
          const body = await readBody(req, opts.limits, slot);
          parsed = await opts.pool.parseGatewayLog({ format: f, body, options: opts.parse(f), firstLine });
          submitted = opts.pipeline.submit(parsed.tsv, parsed.accepted);
        } finally {
          // The worker has answered (or never got the body): nothing reads the slot any more.
          slot?.release();
          arrived();
        }
        span.setAttributes({ 'plexus.records.accepted': parsed.accepted, 'plexus.records.rejected': parsed.rejected });
        await submitted;
        m.gatewayAccepted.add(parsed.accepted, { format: f });
        if (parsed.rejected > 0) m.gatewayRejected.add(parsed.rejected, { format: f });
        const answer: GatewayIngestAnswer = { accepted: parsed.accepted, rejected: parsed.rejected, errors: parsed.rejects };
        reply(res, 200, answer);
      } catch (err) {
        const e = toHttpError(err, opts.retryAfterSeconds);
        if (e.status === 500) opts.log?.('gateway log ingest failed', err);
        span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
        reply(res, e.status, { message: e.message }, e.headers);
      } finally {
        m.requests.add(1, { receiver: `ingest_${FORMATS.has(format) ? format : 'unknown'}`, status: String(res.statusCode) });
        span.setAttribute('http.response.status_code', res.statusCode);
        span.end();
      }
    });
}

/** The `firstLine` query parameter: a positive integer, 1 when absent. */
function firstLineOf(req: IncomingMessage): number {
  const raw = new URL(req.url ?? '/', 'http://x').searchParams.get('firstLine');
  if (raw === null) return 1;
  const n = Number(raw);
  if (/^\d+$/.test(raw) && Number.isSafeInteger(n) && n >= 1) return n;
  req.resume(); // the body is not read: let it drain so the connection stays usable
  throw new HttpError(400, `firstLine must be a positive integer, not ${JSON.stringify(raw)}`);
}
