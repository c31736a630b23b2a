import { QueueFullError } from '../../pipeline/write-pipeline.ts';
import { DecodePoolFullError } from '../../pipeline/decode-pool.ts';

/** Whether an error means "Plexus is full, try again later" rather than "this message is bad". */
export function isOverload(err: unknown): boolean {
  return err instanceof QueueFullError || err instanceof DecodePoolFullError;
}

/**
 * Runs `work` until it is not refused for overload, waiting with capped
 * exponential backoff in between and telling `onWait` (to pause the partition
 * and keep the consumer's session alive). Any other error is thrown.
 */
export async function untilAccepted<T>(work: () => Promise<T>, onWait: (waitedMs: number) => Promise<void>, opts: { firstWaitMs?: number; maxWaitMs?: number; stopped?: () => boolean } = {}): Promise<T> {
  let wait = opts.firstWaitMs ?? 100;
  for (;;) {
    try {
      return await work();
    } catch (err) {
      if (!isOverload(err) || opts.stopped?.()) throw err;
      await new Promise((r) => setTimeout(r, wait));
      await onWait(wait);
      wait = Math.min(opts.maxWaitMs ?? 2000, wait * 2);
    }
  }
}
