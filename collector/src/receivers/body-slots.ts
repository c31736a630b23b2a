/** Shared memory one request body is read into, returned to its pool by release(). */
export interface BodySlot {
  readonly bytes: Uint8Array;
  release(): void;
}

/**
 * Reusable shared memory for gateway bodies on their way to a decode worker.
 * A body read into fresh memory each time (Buffer.concat) costs its pages'
 * faults and zeroing: about 6 ms for a 14 MB body, 0.5 µs per Kong line,
 * more than copying into memory already touched. Shared memory reaches the
 * worker without a copy or a transfer, so the slot can be used again once the
 * worker has answered.
 */
export class BodySlots {
  readonly #free: SharedArrayBuffer[] = [];
  readonly #slotBytes: number;
  readonly #maxSlots: number;
  #created = 0;

  constructor(slotBytes: number, maxSlots: number) {
    this.#slotBytes = slotBytes;
    this.#maxSlots = maxSlots;
  }

  /** A free slot, or undefined when all are in use (the caller reads into fresh memory instead). */
  take(): BodySlot | undefined {
    let memory = this.#free.pop();
    if (!memory) {
      if (this.#created >= this.#maxSlots) return undefined;
      memory = new SharedArrayBuffer(this.#slotBytes);
      this.#created++;
    }
    const slot = memory;
    let released = false;
    return {
      bytes: new Uint8Array(slot),
      release: () => {
        if (released) return;
        released = true;
        this.#free.push(slot);
      },
    };
  }
}
