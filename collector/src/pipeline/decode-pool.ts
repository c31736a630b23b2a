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
  close(): Promise<void>;
}

/** Starts the worker threads that decode OTLP and Zipkin bodies and parse gateway logs. */
export function createDecodePool(opts: { threads?: number | undefined; maxQueue?: number | undefined } = {}): DecodePool {
  const threads = opts.threads ?? Math.max(1, availableParallelism() - 1);
  const pool = new Piscina<DecodeTask | GatewayLogTask, DecodeOutput | GatewayLogOutput>({
    filename: new URL('./decode-worker.ts', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    maxQueue: opts.maxQueue ?? threads * 16,
  });
  const run = async <T>(task: DecodeTask | GatewayLogTask, name: string): Promise<T> => {
    try {
      // Small Buffers share Node's allocation pool, which cannot be transferred: copy those.
      const owned = task.body.byteOffset === 0 && task.body.byteLength === task.body.buffer.byteLength;
      return (await pool.run(task, { name, ...(owned ? { transferList: [task.body.buffer as ArrayBuffer] } : {}) })) as T;
    } catch (err) {
      if ((err as Error).message?.includes('Task queue is at limit')) throw new DecodePoolFullError('decode queue is full');
      throw err;
    }
  };
  return {
    decode: (task) => run<DecodeOutput>(task, 'default'),
    parseGatewayLog: (task) => run<GatewayLogOutput>(task, 'gatewayLog'),
    get queued() {
      return pool.queueSize;
    },
    close: () => pool.destroy(),
  };
}
