import type { Store } from '@plexus/store';

/** Per-request GraphQL context. */
export interface ApiContext {
  store: Store;
  retentionDays: number;
  version: string;
}
