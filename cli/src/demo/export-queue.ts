// A span processor that holds ended spans until drained, then sends them in batches and keeps
// retrying while Plexus is down. The SDK's BatchSpanProcessor drops a batch after one failed
// export, which would leave holes in the demo's charts every time the server restarts.
import type { Context } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { setTimeout as sleep } from 'node:timers/promises';
import { notAnsweringMessage } from './wait-for-plexus.ts';

export interface ExportQueueOptions {
  exporter: SpanExporter;
  endpoint: string;
  log: (line: string) => void;
  /** Once aborted, each batch gets one more attempt and is dropped if it fails. */
  signal?: AbortSignal;
  batchSize?: number;
  /** Backoff bounds between attempts, in milliseconds. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/** What to do about a failed export: wait and try again, or give the batch up. */
type Verdict = { retry: true; reason: string } | { retry: false; reason: string };

function judge(error: Error | undefined, endpoint: string): Verdict {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'number') {
    const body = (error as { data?: unknown }).data;
    const detail = `Plexus answered HTTP ${code} at ${endpoint}${typeof body === 'string' && body !== '' ? ` (${body.slice(0, 200)})` : ''}`;
    // 429 and 5xx are load or restarts; any other 4xx means this batch will never be accepted.
    return code === 429 || code >= 500 ? { retry: true, reason: detail } : { retry: false, reason: detail };
  }
  const cause = typeof code === 'string' ? code : (error?.message ?? 'unknown error');
  return { retry: true, reason: notAnsweringMessage(endpoint, cause) };
}

/** Buffers ended spans and exports them on drain(), retrying with exponential backoff. */
export class ExportQueue implements SpanProcessor {
  #buffer: ReadableSpan[] = [];
  #draining: Promise<void> | undefined;
  #options: ExportQueueOptions;
  #shutDown = false;
  sent = 0;
  dropped = 0;

  constructor(options: ExportQueueOptions) {
    this.#options = options;
  }

  get pending(): number {
    return this.#buffer.length;
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    this.#buffer.push(span);
  }

  /** Sends everything buffered so far; concurrent callers share one drain. */
  async drain(): Promise<void> {
    while (this.#draining !== undefined) await this.#draining;
    if (this.#buffer.length === 0) return;
    this.#draining = this.#drainAll().finally(() => {
      this.#draining = undefined;
    });
    await this.#draining;
  }

  forceFlush(): Promise<void> {
    return this.drain();
  }

  async shutdown(): Promise<void> {
    // Every provider shares this processor and calls shutdown on it; only the first does the work.
    if (this.#shutDown) return;
    this.#shutDown = true;
    await this.drain();
    await this.#options.exporter.shutdown();
  }

  async #drainAll(): Promise<void> {
    const size = this.#options.batchSize ?? 1000;
    while (this.#buffer.length > 0) {
      const batch = this.#buffer.splice(0, size);
      if (await this.#send(batch)) {
        this.sent += batch.length;
      } else {
        this.dropped += batch.length;
      }
    }
  }

  async #send(batch: ReadableSpan[]): Promise<boolean> {
    const { signal, log, endpoint } = this.#options;
    const minBackoff = this.#options.minBackoffMs ?? 1000;
    const maxBackoff = this.#options.maxBackoffMs ?? 30_000;
    let backoff = minBackoff;
    let failures = 0;
    for (;;) {
      const result = await this.#export(batch);
      if (result.code === ExportResultCode.SUCCESS) {
        if (failures > 0) log(`Plexus is answering again at ${endpoint}; sending resumed.`);
        return true;
      }
      const verdict = judge(result.error, endpoint);
      if (!verdict.retry) {
        log(`${verdict.reason}; dropped a batch of ${batch.length} spans.`);
        return false;
      }
      if (signal?.aborted === true) {
        // No more waiting once the run is over: give up this batch and everything behind it.
        log(`${verdict.reason}; stopping, ${batch.length + this.#buffer.length} spans not sent.`);
        this.dropped += this.#buffer.length;
        this.#buffer.length = 0;
        return false;
      }
      failures++;
      // Say it on the first failure, then now and then, so a long outage does not flood the terminal.
      if (failures === 1 || failures % 10 === 0) log(`${verdict.reason}; retrying in ${Math.round(backoff / 1000)} s.`);
      try {
        await sleep(backoff, undefined, signal === undefined ? undefined : { signal });
      } catch {
        // Aborted while waiting: the loop makes one last attempt.
      }
      backoff = Math.min(maxBackoff, backoff * 2);
    }
  }

  #export(batch: ReadableSpan[]): Promise<ExportResult> {
    return new Promise((resolve) => {
      try {
        this.#options.exporter.export(batch, resolve);
      } catch (error) {
        resolve({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      }
    });
  }
}
