import { Piscina } from 'piscina';
import { availableParallelism } from 'node:os';
import type { DecodeOutput, DecodeTask, GatewayLogTask, GatewayLogOutput } from './decode-worker.ts';

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

/** How many threads decode. */
export interface DecodePoolOptions {
  /** Worker threads; default: one per core but one, left to chDB and the event loop. */
  threads?: number | undefined;
}

const QUEUE_PER_THREAD = 16;

/**
 * Starts the worker threads that decode OTLP and Zipkin bodies and parse
 * gateway logs. One per core but one: on 2 cores a second thread for gateway
 * logs measured no faster (97k against 101k Kong lines/s, BENCHMARKS.md), as
 * it only competes with chDB's insert for the same cores.
 */
export function createDecodePool(opts: DecodePoolOptions = {}): DecodePool {
  const threads = opts.threads ?? Math.max(1, availableParallelism() - 1);
  const pool = new Piscina<DecodeTask | GatewayLogTask, DecodeOutput | GatewayLogOutput>({
    filename: new URL('./decode-worker.ts', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    maxQueue: threads * QUEUE_PER_THREAD,
  });
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
    decode: (task) => run<DecodeOutput>(task, 'decodeTask'),
    parseGatewayLog: (task) => run<GatewayLogOutput>(task, 'gatewayLogTask'),
    get queued() {
      return pool.queueSize;
    },
    threads,
    close: () => pool.destroy(),
  };
}
