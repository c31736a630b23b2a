/** Thrown when accepting more rows would exceed the queue bound. */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

export interface WritePipelineOptions {
  /** Rows waiting or being written before new work is refused. */
  maxQueueRows: number;
  /** A batch is written once it holds this many rows… */
  maxBatchRows: number;
  /** …or once its oldest row has waited this long… */
  maxBatchDelayMs: number;
  /**
   * …or at once when the writer is idle and this many rows wait. Batches then
   * stay small (low latency) under light load and grow while a write runs.
   */
  minBatchRows: number;
  /** Wait for minBatchRows only while rows are announced with expect(). */
  waitOnlyForExpected?: boolean | undefined;
}

/** Writes one batch of encoded rows; resolves once they are durable. */
export type BatchWriter = (chunks: Uint8Array[], rows: number) => Promise<void>;

interface Pending {
  chunk: Uint8Array;
  rows: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * A bounded queue feeding one writer in batches. `submit` resolves only after
 * the batch holding its rows is written, so a caller can acknowledge safely.
 */
export class WritePipeline {
  readonly #write: BatchWriter;
  readonly #opts: WritePipelineOptions;
  #pending: Pending[] = [];
  #pendingRows = 0;
  #inFlightRows = 0;
  #oldest = 0;
  #timer: NodeJS.Timeout | undefined;
  #writing = false;
  #idle: Array<() => void> = [];
  #expected = 0;

  constructor(write: BatchWriter, opts: WritePipelineOptions) {
    this.#write = write;
    this.#opts = opts;
  }

  /** Rows queued or being written. */
  get depth(): number {
    return this.#pendingRows + this.#inFlightRows;
  }

  /**
   * Announces rows on their way (a request being read or parsed); call the
   * returned function once they are submitted or given up. While rows are
   * announced, a batch below minBatchRows waits for them (up to
   * maxBatchDelayMs); with none announced it is written at once, so an idle
   * server answers a lone request without the batching delay.
   */
  expect(): () => void {
    this.#expected++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#expected--;
      if (this.#expected === 0 && this.#pending.length > 0) this.#schedule();
    };
  }

  /** Queues rows for writing; rejects at once with QueueFullError when over the bound. */
  submit(chunk: Uint8Array, rows: number): Promise<void> {
    if (rows === 0) return Promise.resolve();
    // An empty queue always takes one request, however large, so progress is possible.
    if (this.depth > 0 && this.depth + rows > this.#opts.maxQueueRows) {
      return Promise.reject(new QueueFullError(`write queue is full (${this.depth} rows waiting)`));
    }
    return new Promise<void>((resolve, reject) => {
      if (this.#pending.length === 0) this.#oldest = Date.now();
      this.#pending.push({ chunk, rows, resolve, reject });
      this.#pendingRows += rows;
      this.#schedule();
    });
  }

  /** Resolves when everything submitted so far has been written (or failed). */
  async drain(): Promise<void> {
    if (this.depth === 0) return;
    await new Promise<void>((resolve) => {
      this.#idle.push(resolve);
      clearTimeout(this.#timer);
      this.#timer = undefined;
      if (!this.#writing) void this.#pump();
    });
  }

  // Called only when no write is running (from #schedule, or between writes in #pump).
  #ready(): boolean {
    return this.#pendingRows >= this.#opts.minBatchRows || Date.now() - this.#oldest >= this.#opts.maxBatchDelayMs || this.#idle.length > 0
      || (this.#opts.waitOnlyForExpected === true && this.#expected === 0);
  }

  #schedule(): void {
    if (this.#writing) return;
    if (this.#ready()) void this.#pump();
    else this.#flushSoon(this.#opts.maxBatchDelayMs - (Date.now() - this.#oldest));
  }

  #flushSoon(ms: number): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#writing) void this.#pump();
    }, Math.max(0, ms));
  }

  async #pump(): Promise<void> {
    this.#writing = true;
    while (this.#pending.length > 0 && this.#ready()) {
      const batch: Pending[] = [];
      let rows = 0;
      while (this.#pending.length > 0 && (rows === 0 || rows + this.#pending[0]!.rows <= this.#opts.maxBatchRows)) {
        const p = this.#pending.shift()!;
        batch.push(p);
        rows += p.rows;
      }
      this.#pendingRows -= rows;
      this.#inFlightRows += rows;
      if (this.#pending.length > 0) this.#oldest = Date.now();
      try {
        await this.#write(batch.map((p) => p.chunk), rows);
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
      } finally {
        this.#inFlightRows -= rows;
      }
    }
    this.#writing = false;
    if (this.#pending.length > 0) this.#flushSoon(this.#opts.maxBatchDelayMs - (Date.now() - this.#oldest));
    else for (const resolve of this.#idle.splice(0)) resolve();
  }
}
