/**
 * Admits at most `limit` tasks at once and queues at most `maxWaiting` more;
 * beyond that, `run` fails at once with the error `full()` makes, so the
 * caller can push back instead of queueing without bound.
 */
export class ConcurrencyGate {
  #running = 0;
  readonly #waiting: Array<() => void> = [];
  readonly #limit: number;
  readonly #maxWaiting: number;
  readonly #full: () => Error;

  constructor(limit: number, maxWaiting: number, full: () => Error) {
    this.#limit = limit;
    this.#maxWaiting = maxWaiting;
    this.#full = full;
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Runs `task` once a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limit) {
      if (this.#waiting.length >= this.#maxWaiting) throw this.#full();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else this.#running++;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so #running stays counted.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
