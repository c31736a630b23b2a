import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { Readable } from 'node:stream';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Sql } from './sql.ts';
import { toStoreError } from './errors.ts';

/** How to reach ClickHouse: a server URL, or an embedded chDB data directory. */
export interface StoreOptions {
  url?: string | undefined;
  user?: string | undefined;
  password?: string | undefined;
  database?: string | undefined;
  dataDir: string;
  /** Per-query memory cap in bytes; chDB has none unless one is set. */
  maxQueryMemoryBytes?: number | undefined;
  /** Parallel chDB connections for reads (each runs one query at a time). */
  embeddedReaders?: number | undefined;
}

/** The only door to ClickHouse. Callers never see which engine is behind it. */
export interface Store {
  readonly mode: 'embedded' | 'server';
  /** Runs a SELECT and returns its rows; 64-bit integers arrive as strings. */
  query<T = Record<string, unknown>>(statement: Sql): Promise<T[]>;
  /** Runs a statement that returns nothing (DDL, INSERT … SELECT). */
  command(statement: Sql): Promise<void>;
  /**
   * Inserts TabSeparated rows for the given columns; resolves once they are written.
   * Inserts with the same `dedupToken` into a table that remembers tokens are
   * written once (a replay after a crash); without one, every insert is new.
   */
  insertTsv(table: string, columns: readonly string[], tsv: Uint8Array, opts?: InsertOptions): Promise<void>;
  close(): Promise<void>;
}

/** How an insert is written. */
export interface InsertOptions {
  /** Identifies the rows across retries, so a replayed insert is dropped rather than written twice. */
  dedupToken?: string | undefined;
}

// Every insert carries a token: a fresh one unless the caller names the rows.
// Without any, ClickHouse would drop an insert whose bytes equal a recent one
// (hash deduplication) on tables that remember inserts, and two batches of
// identical spans are not a replay. Views dedupe against their own targets.
function insertSettings(opts: InsertOptions | undefined): { insert_deduplication_token: string; deduplicate_blocks_in_dependent_materialized_views: 1 } {
  return { insert_deduplication_token: opts?.dedupToken ?? randomUUID(), deduplicate_blocks_in_dependent_materialized_views: 1 };
}

// Same settings on every query in both modes: chDB keeps per-query settings on
// its connection, so anything set once must be set always, to the same value.
function baseSettings(opts: StoreOptions): ClickHouseSettings {
  return {
    output_format_json_quote_64bit_integers: 1,
    session_timezone: 'UTC',
    date_time_input_format: 'best_effort',
    max_memory_usage: String(opts.maxQueryMemoryBytes ?? 4 * 1024 ** 3),
  };
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function insertStatement(table: string, columns: readonly string[]): string {
  for (const name of [table, ...columns]) {
    if (!IDENT.test(name.replace(/\./g, '_'))) throw new Error(`bad identifier in insert: ${name}`);
  }
  return `INSERT INTO \`${table}\` (${columns.map((c) => '`' + c + '`').join(', ')}) FORMAT TabSeparated`;
}

/** Opens the store: a ClickHouse server when `url` is set, otherwise chDB in-process. */
export async function openStore(opts: StoreOptions): Promise<Store> {
  return opts.url ? openServerStore(opts) : openEmbeddedStore(opts);
}

async function runQuery<T>(client: ClickHouseClient, statement: Sql): Promise<T[]> {
  const { query, params } = statement.render();
  try {
    const rs = await client.query({ query, query_params: params, format: 'JSONEachRow' });
    return (await rs.json()) as T[];
  } catch (err) {
    throw toStoreError(err, query);
  }
}

async function runCommand(client: ClickHouseClient, statement: Sql): Promise<void> {
  const { query, params } = statement.render();
  try {
    await client.command({ query, query_params: params });
  } catch (err) {
    throw toStoreError(err, query);
  }
}

async function openServerStore(opts: StoreOptions): Promise<Store> {
  const client = createClient({
    url: opts.url,
    username: opts.user ?? 'default',
    password: opts.password ?? '',
    database: opts.database ?? 'default',
    clickhouse_settings: baseSettings(opts),
    request_timeout: 120_000,
    compression: { request: false, response: true },
  });
  return {
    mode: 'server',
    query: (statement) => runQuery(client, statement),
    command: (statement) => runCommand(client, statement),
    async insertTsv(table, columns, tsv, insert) {
      const query = insertStatement(table, columns);
      try {
        // The HTTP client takes raw TSV bytes as a stream in the declared format.
        await client.exec({ query, values: Readable.from([Buffer.from(tsv.buffer, tsv.byteOffset, tsv.byteLength)]), clickhouse_settings: insertSettings(insert) });
      } catch (err) {
        throw toStoreError(err, query);
      }
    },
    close: () => client.close(),
  };
}

interface ChdbConnectionLike {
  chdb: {
    rawInsert(p: { table: string; values: Uint8Array; format: 'TSV'; columns?: readonly string[]; settings?: Record<string, string | number | boolean> }): Promise<unknown>;
  };
}

async function openEmbeddedStore(opts: StoreOptions): Promise<Store> {
  let createChdbConnection: (o: { path: string }) => unknown;
  try {
    ({ createChdbConnection } = (await import('chdb/connection')) as { createChdbConnection: typeof createChdbConnection });
  } catch (err) {
    throw new Error('embedded mode needs the optional dependency "chdb" (npm install chdb), or set CLICKHOUSE_URL to use a server', { cause: err });
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const settings = baseSettings(opts);
  const open = () => {
    const connection = createChdbConnection({ path: opts.dataDir });
    // The connection hook is typed for the client's internal Connection; chDB implements it.
    const client = createClient({ connection, clickhouse_settings: settings } as unknown as Parameters<typeof createClient>[0]);
    return { client, connection: connection as ChdbConnectionLike, busy: 0 };
  };
  // One writer connection keeps inserts from queueing behind long reads;
  // readers run in parallel (each chDB connection runs one query at a time).
  const writer = open();
  const readers = Array.from({ length: Math.max(1, opts.embeddedReaders ?? 2) }, open);
  const pick = () => readers.reduce((a, b) => (b.busy < a.busy ? b : a));
  const withReader = async <T>(fn: (c: ClickHouseClient) => Promise<T>): Promise<T> => {
    const r = pick();
    r.busy++;
    try {
      return await fn(r.client);
    } finally {
      r.busy--;
    }
  };
  return {
    mode: 'embedded',
    query: (statement) => withReader((c) => runQuery(c, statement)),
    command: (statement) => runCommand(writer.client, statement),
    async insertTsv(table, columns, tsv, insert) {
      try {
        await writer.connection.chdb.rawInsert({ table, columns, format: 'TSV', values: tsv, settings: insertSettings(insert) });
      } catch (err) {
        throw toStoreError(err, insertStatement(table, columns));
      }
    },
    async close() {
      for (const c of [writer, ...readers]) await c.client.close();
    },
  };
}
