import type { Store } from '@plexus/store';

/** Per-request GraphQL context. */
export interface ApiContext {
  store: Store;
  retentionDays: number;
  version: string;
  /** Runs `load` once per key within this request; nested fields share one read. */
  once<T>(key: string, load: () => Promise<T>): Promise<T>;
}

/** A fresh context for one request. */
export function createContext(base: Pick<ApiContext, 'store' | 'retentionDays' | 'version'>): ApiContext {
  const cache = new Map<string, Promise<unknown>>();
  return {
    ...base,
    once<T>(key: string, load: () => Promise<T>): Promise<T> {
      let hit = cache.get(key) as Promise<T> | undefined;
      if (!hit) {
        hit = load();
        cache.set(key, hit);
      }
      return hit;
    },
  };
}
