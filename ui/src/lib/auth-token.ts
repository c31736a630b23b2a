// The API token the UI sends when Plexus has tokens configured (auth.tokens in
// plexus.yaml). Kept in the browser's local storage, never in the URL; the
// first 401 asks the user for one (TokenDialog in App.svelte).

const KEY = 'plexus.apiToken';

/** The part of Web Storage this module needs. */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

let storage: TokenStorage | undefined = typeof localStorage === 'undefined' ? undefined : localStorage;
const listeners = new Set<() => void>();

/** Replaces the storage (tests; private modes without local storage). */
export function useTokenStorage(s: TokenStorage | undefined): void {
  storage = s;
}

/** The saved token, or null. */
export function apiToken(): string | null {
  try {
    return storage?.getItem(KEY) || null;
  } catch {
    return null;
  }
}

/** Saves a token for the next requests; blank input forgets it. */
export function saveApiToken(token: string): void {
  const t = token.trim();
  if (t === '') return forgetApiToken();
  storage?.setItem(KEY, t);
}

/** Forgets the saved token. */
export function forgetApiToken(): void {
  storage?.removeItem(KEY);
}

/** The Authorization header for the saved token, if any. */
export function authHeaders(): Record<string, string> {
  const t = apiToken();
  return t ? { authorization: `Bearer ${t}` } : {};
}

/** Calls `listener` whenever the API refuses a request for want of a valid token; returns the unsubscribe. */
export function onUnauthorized(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells listeners the API answered 401. */
export function reportUnauthorized(): void {
  for (const l of listeners) l();
}
