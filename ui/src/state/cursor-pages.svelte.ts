// "Load more" over a cursor-paged Query: the pages after the first, kept only while the first
// page they extend is the one shown (a new first page, from new filters or the 15 s refresh,
// drops them).
import type { Query } from './query.svelte.ts';
import { errorMessage, isAbort } from '../lib/graphql.ts';

/** The connection shape every paged GraphQL list returns. */
export interface Connection {
  edges: { node: unknown }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** What a "load more" footer reads and calls, whatever the page's variables and rows. */
export interface MorePages {
  readonly loading: boolean;
  readonly error: string | null;
  readonly rows: readonly unknown[];
  readonly pageInfo: { hasNextPage: boolean } | undefined;
  loadMore(): Promise<void>;
}

type More<P extends Connection> = { base: P; edges: P['edges']; pageInfo: P['pageInfo'] };

export class CursorPages<V, P extends Connection> implements MorePages {
  #query: Query<V, P>;
  #fetchPage: (vars: V, after: string) => Promise<P>;
  #onloaded: ((vars: V) => void) | undefined;
  #more = $state.raw<More<P> | null>(null);
  /** A further page is being fetched. */
  loading = $state(false);
  /** Why the last further page failed, until the next attempt. */
  error: string | null = $state(null);

  // `.by` closures: the fields are read lazily, after the constructor set #query.
  #extra = $derived.by(() => (this.#more && this.#more.base === this.#query.data ? this.#more : null));
  /** The first page's rows followed by the further pages' rows. */
  rows: P['edges'][number]['node'][] = $derived.by(() => {
    const page = this.#query.data;
    return page ? [...page.edges, ...(this.#extra?.edges ?? [])].map((e) => e.node) : [];
  });
  /** The last loaded page's paging info. */
  pageInfo: P['pageInfo'] | undefined = $derived.by(() => this.#extra?.pageInfo ?? this.#query.data?.pageInfo);

  /**
   * `fetchPage` reads the page after `after` with the first page's variables; `onloaded` runs
   * after a further page was added, with those variables.
   */
  constructor(query: Query<V, P>, fetchPage: (vars: V, after: string) => Promise<P>, onloaded?: (vars: V) => void) {
    this.#query = query;
    this.#fetchPage = fetchPage;
    this.#onloaded = onloaded;
  }

  /** Fetches the next page and appends it, unless one is already loading or there is none. */
  async loadMore(): Promise<void> {
    const base = this.#query.data;
    const after = this.pageInfo?.endCursor;
    const v = this.#query.dataVars;
    if (!base || !after || !v || this.loading) return;
    this.loading = true;
    this.error = null;
    try {
      const next = await this.#fetchPage(v, after);
      if (this.#query.data !== base) return;
      const prev = this.#more && this.#more.base === base ? this.#more.edges : [];
      this.#more = { base, edges: [...prev, ...next.edges], pageInfo: next.pageInfo };
      this.#onloaded?.(v);
    } catch (err) {
      if (!isAbort(err)) this.error = errorMessage(err);
    } finally {
      this.loading = false;
    }
  }
}
