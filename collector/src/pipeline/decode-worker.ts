// Runs in a worker thread so protobuf/JSON decoding and row encoding never
// stall the event loop that answers HTTP.
import { parseOtlpTraces, OtlpDecodeError, type OtlpEncoding } from '../sources/otlp/parse.ts';
import { parseZipkinSpans, ZipkinDecodeError } from '../sources/zipkin/parse.ts';
import type { NamingRule } from '../sources/naming.ts';
import { encodeSpanRow } from '../spans/encode-tsv.ts';
import type { SpanLimits, SpanReject } from '../spans/span-record.ts';
import { readGatewayLog, type GatewayParseOptions } from '../sources/gateway-logs/parse-gateway-log.ts';
import { RowBuffer } from './row-buffer.ts';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { encodeApiCallRow } from '../sources/gateway-logs/encode-tsv.ts';
import type { GatewayFormat } from '../sources/gateway-logs/api-call.ts';

export interface DecodeTask {
  body: Uint8Array;
  encoding: OtlpEncoding;
  limits: SpanLimits;
  /** What the body holds; absent means OTLP. */
  format?: 'otlp' | 'zipkin' | undefined;
  /** The service-naming rule for Zipkin endpoint names; absent means the default rule. */
  naming?: NamingRule | undefined;
}

export type DecodeOutput =
  | { ok: true; tsv: Uint8Array; accepted: number; rejected: number; rejects: SpanReject[]; truncatedValues: number; droppedAttributes: number }
  | { ok: false; error: string };

const MAX_REPORTED_REJECTS = 10;

/** Decodes one OTLP or Zipkin body and encodes its valid spans as otel_traces TSV rows. */
export function decode(task: DecodeTask): DecodeOutput {
  try {
    const r = task.format === 'zipkin' ? parseZipkinSpans(task.body, task.encoding, task.limits, task.naming) : parseOtlpTraces(task.body, task.encoding, task.limits);
    const rows = new RowBuffer(task.body.byteLength);
    for (const span of r.spans) rows.append(encodeSpanRow(span));
    return {
      ok: true,
      tsv: rows.bytes(),
      accepted: r.spans.length,
      rejected: r.rejects.length,
      rejects: r.rejects.slice(0, MAX_REPORTED_REJECTS),
      truncatedValues: r.truncatedValues,
      droppedAttributes: r.droppedAttributes,
    };
  } catch (err) {
    if (err instanceof OtlpDecodeError || err instanceof ZipkinDecodeError) return { ok: false, error: err.message };
    throw err;
  }
}

export interface GatewayLogTask {
  format: GatewayFormat;
  body: Uint8Array;
  options: GatewayParseOptions;
  /** Line number of the body's first line in the sender's file (a client cutting a file into chunks); absent: 1. */
  firstLine?: number | undefined;
}

/** Gateway records as api_calls TSV rows, with where and why records were rejected (the first few). */
export interface GatewayLogOutput {
  tsv: Uint8Array;
  accepted: number;
  rejected: number;
  rejects: string[];
}

/** Parses one body of gateway access logs and encodes its calls as api_calls TSV rows. */
export function gatewayLog(task: GatewayLogTask): GatewayLogOutput {
  // A row is about a sixth of a Kong JSON line and a third of an Envoy text line.
  const rows = new RowBuffer(task.body.byteLength >> 2);
  let accepted = 0;
  let rejected = 0;
  const rejects: string[] = [];
  readGatewayLog(task.format, task.body, task.options, (call) => {
    rows.append(encodeApiCallRow(call));
    accepted++;
  }, (reject) => {
    if (rejected++ < MAX_REPORTED_REJECTS) rejects.push(renumberReason(reject.reason, task.firstLine ?? 1));
  });
  return { tsv: rows.bytes(), accepted, rejected, rejects };
}

/** `line 7: ...` of a body that starts at line `firstLine` of its file, as that file's line; `element 3: ...` stays (arrays are sent whole). */
export function renumberReason(reason: string, firstLine: number): string {
  if (firstLine === 1) return reason;
  const m = /^line (\d+)(?=:)/.exec(reason);
  return m ? `line ${Number(m[1]) + firstLine - 1}${reason.slice(m[0].length)}` : reason;
}

/**
 * A task's answer with its row bytes transferred to the pool's thread: a
 * cloned answer is copied twice (into the message, out of it), megabytes per
 * body. The bytes own their ArrayBuffer (RowBuffer.bytes).
 */
function transferRows<T extends { tsv: Uint8Array }>(answer: T): T {
  return move({
    get [transferableSymbol]() {
      return [answer.tsv.buffer];
    },
    get [valueSymbol]() {
      return answer;
    },
  }) as unknown as T;
}

/** decode, as the pool runs it. */
export function decodeTask(task: DecodeTask): DecodeOutput {
  const out = decode(task);
  return out.ok ? transferRows(out) : out;
}

/** gatewayLog, as the pool runs it. */
export function gatewayLogTask(task: GatewayLogTask): GatewayLogOutput {
  return transferRows(gatewayLog(task));
}
