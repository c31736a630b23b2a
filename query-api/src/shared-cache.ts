// Reads shared across requests: the catalog index and the bindings of observed
// operations change only when the catalog is re-imported or new routes appear,
// yet every catalog page needs them. Entries live for a short time and are
// keyed by the caller (e.g. with the catalog's generation), so a re-import is
// seen by the next request.

interface Entry {
  at: number;
  value: Promise<unknown>;
}

/** A small time-bounded cache of promises; failed loads are not kept. */
export class SharedCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;

  constructor(maxEntries = 64) {
    this.#maxEntries = maxEntries;
  }

  /** The value of `key` if loaded less than `ttlMs` ago, else a fresh `load()` (concurrent callers share it). */
  get<T>(key: string, ttlMs: number, load: () => Promise<T>, now: number = Date.now()): Promise<T> {
    const hit = this.#entries.get(key);
    if (hit && now - hit.at < ttlMs) return hit.value as Promise<T>;
    const value = load();
    this.#entries.set(key, { at: now, value });
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    // Insertion order is age order: drop the oldest beyond the bound.
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    return value;
  }
}
