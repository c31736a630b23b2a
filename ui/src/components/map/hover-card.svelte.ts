// Which service's card is open on the map, with hover intent: the first card waits a moment (so
// sweeping the mouse across the map opens nothing), a card already open follows the pointer to the
// next node at once, and leaving waits a moment too (so crossing the gap between a node and its
// card, or between two nodes, does not close and reopen it: no flicker).

/** Hover time before the first card opens. */
export const OPEN_DELAY_MS = 180;
/** Grace time after the pointer leaves a node or the card. */
export const CLOSE_DELAY_MS = 160;

export class HoverCard {
  id: string | null = $state(null);
  #open: ReturnType<typeof setTimeout> | undefined;
  #close: ReturnType<typeof setTimeout> | undefined;

  /** The pointer is over node `id`. */
  hover(id: string): void {
    this.#cancel();
    if (this.id !== null) this.id = id;
    else this.#open = setTimeout(() => (this.id = id), OPEN_DELAY_MS);
  }

  /** The pointer (or focus) left a node or the card. */
  leave(): void {
    clearTimeout(this.#open);
    clearTimeout(this.#close);
    this.#close = setTimeout(() => (this.id = null), CLOSE_DELAY_MS);
  }

  /** The pointer is over the card itself: keep it open. */
  keep(): void {
    clearTimeout(this.#close);
  }

  /** Keyboard focus on node `id`: open at once. */
  show(id: string): void {
    this.#cancel();
    this.id = id;
  }

  /** Escape, a click, or the node went away: close at once. */
  close(): void {
    this.#cancel();
    this.id = null;
  }

  #cancel(): void {
    clearTimeout(this.#open);
    clearTimeout(this.#close);
  }
}
