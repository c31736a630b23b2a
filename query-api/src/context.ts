import type { Store } from '@plexus/store';
import type { Principal } from './auth/authenticate.ts';
import type { SharedCache } from './shared-cache.ts';

/** Per-request GraphQL context. */
export interface ApiContext {
  store: Store;
  retentionDays: number;
  version: string;
  /** Whether tokens are configured; when not, writes are accepted from loopback only. */
  authEnabled: boolean;
  /** The caller, set by the useAuth plugin when auth is on. */
  principal?: Principal | undefined;
  /** The TCP peer's address (never a forwarded header), when the request came over a socket. */
  remoteAddress: string | undefined;
  /** Reads shared across requests for a short time (see shared-cache.ts). */
  shared: SharedCache;
  /** Runs `load` once per key within this request; nested fields share one read. */
  once<T>(key: string, load: () => Promise<T>): Promise<T>;
}

/** A fresh context for one request. */
export function createContext(base: Pick<ApiContext, 'store' | 'retentionDays' | 'version' | 'authEnabled' | 'remoteAddress' | 'shared'>): ApiContext {
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
