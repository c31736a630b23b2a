/** A ClickHouse failure with the same shape whether it came from a server or chDB. */
export class StoreError extends Error {
  readonly code: string;
  readonly query: string;

  constructor(message: string, code: string, query: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'StoreError';
    this.code = code;
    this.query = query;
  }
}

/** Normalises whatever the client or chDB threw into a StoreError. */
export function toStoreError(err: unknown, query: string): StoreError {
  if (err instanceof StoreError) return err;
  const e = err as { message?: unknown; type?: unknown; code?: unknown; clickhouseCode?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const code = typeof e?.type === 'string' ? e.type : e?.code != null ? String(e.code) : 'UNKNOWN';
  return new StoreError(message, code, query.slice(0, 500), err);
}
