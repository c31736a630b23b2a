import { Piscina } from 'piscina';
import { availableParallelism } from 'node:os';
import type { DecodeOutput, DecodeTask, GatewayLogTask, GatewayLogOutput } from './decode-worker.ts';
import { ConcurrencyGate } from './concurrency-gate.ts';

/** Thrown when the decode pool's queue is full: the caller should push back. */
export class DecodePoolFullError extends Error {
  override name = 'DecodePoolFullError';
}

/** A bounded pool of decode workers. */
export interface DecodePool {
  decode(task: DecodeTask): Promise<DecodeOutput>;
  /** Parses a body of gateway access logs into api_calls rows. */
  parseGatewayLog(task: GatewayLogTask): Promise<GatewayLogOutput>;
  readonly queued: number;
  /** Worker threads. */
  readonly threads: number;
  close(): Promise<void>;
}

/** How many threads decode, and how many of them may decode spans at once. */
export interface DecodePoolOptions {
  /** Worker threads; default: one per core. */
  threads?: number | undefined;
  /** OTLP and Zipkin bodies decoded at once; default: threads − 1 (at least 1). */
  spanThreads?: number | undefined;
  /** Tasks waiting per thread before new work is refused; default 16. */
  queuePerThread?: number | undefined;
}

const QUEUE_PER_THREAD = 16;

/**
 * Starts the worker threads that decode OTLP and Zipkin bodies and parse
 * gateway logs. Every thread parses gateway logs, which stream rows out and
 * hold little; span decodes hold a whole body's spans at once, so fewer run at
 * once (by default all threads but one, leaving a core to chDB), which keeps
 * OTLP ingest within its memory bound (BENCHMARKS.md).
 */
export function createDecodePool(opts: DecodePoolOptions = {}): DecodePool {
  const threads = opts.threads ?? availableParallelism();
  const spanThreads = Math.min(threads, opts.spanThreads ?? Math.max(1, threads - 1));
  const perThread = opts.queuePerThread ?? QUEUE_PER_THREAD;
  const pool = new Piscina<DecodeTask | GatewayLogTask, DecodeOutput | GatewayLogOutput>({
    filename: new URL('./decode-worker.ts', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    maxQueue: threads * perThread,
  });
  const spans = new ConcurrencyGate(spanThreads, spanThreads * perThread, () => new DecodePoolFullError('decode queue is full'));
  const run = async <T>(task: DecodeTask | GatewayLogTask, name: string): Promise<T> => {
    try {
      // Small Buffers share Node's allocation pool, which cannot be transferred: copy those.
      // Shared memory (a body slot) reaches the worker as it is.
      const owned = task.body.buffer instanceof ArrayBuffer && task.body.byteOffset === 0 && task.body.byteLength === task.body.buffer.byteLength;
      return (await pool.run(task, { name, ...(owned ? { transferList: [task.body.buffer as ArrayBuffer] } : {}) })) as T;
    } catch (err) {
      if ((err as Error).message?.includes('Task queue is at limit')) throw new DecodePoolFullError('decode queue is full');
      throw err;
    }
  };
  return {
    decode: (task) => spans.run(() => run<DecodeOutput>(task, 'decodeTask')),
    parseGatewayLog: (task) => run<GatewayLogOutput>(task, 'gatewayLogTask'),
    get queued() {
      return pool.queueSize + spans.waiting;
    },
    threads,
    close: () => pool.destroy(),
  };
}
