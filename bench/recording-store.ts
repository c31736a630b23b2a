// A Store wrapper that times every statement, so a GraphQL query or an edge
// pass can be split into the ClickHouse statements it ran.
import { sql, type Sql, type Store } from '@plexus/store';

/** One statement run through the wrapper. */
export interface StatementRun {
  label: string;
  ms: number;
  statement: Sql;
}

/** A short, stable name for a statement: its target or main table and the start of its select list. */
export function statementLabel(statement: Sql): string {
  const text = statement.render().query.replace(/\s+/g, ' ').trim();
  const insert = /^INSERT INTO `?(\w+)`?/i.exec(text);
  if (insert) return `INSERT INTO ${insert[1]}`;
  const from = /\bFROM `?(\w+)`?/i.exec(text)?.[1] ?? '?';
  const head = /^(?:WITH .*?\)\s*)?SELECT (?:DISTINCT )?(.*?)\bFROM\b/i.exec(text)?.[1] ?? text;
  return `${from}: ${head.length > 48 ? head.slice(0, 47) + '…' : head.trim()}`;
}

/** Wraps `inner`; every query and command is reported to `record` with its wall time. */
export function recordingStore(inner: Store, record: (run: StatementRun) => void): Store {
  const timed = async <T>(statement: Sql, run: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await run();
    } finally {
      record({ label: statementLabel(statement), ms: performance.now() - t0, statement });
    }
  };
  return {
    mode: inner.mode,
    query: (statement) => timed(statement, () => inner.query(statement)),
    command: (statement) => timed(statement, () => inner.command(statement)),
    insertTsv: (table, columns, tsv, opts) => inner.insertTsv(table, columns, tsv, opts),
    close: () => inner.close(),
  };
}

/** Rows ClickHouse expects to read for a SELECT (EXPLAIN ESTIMATE, summed over tables); NaN if it cannot say. */
export async function estimateRows(store: Store, statement: Sql): Promise<{ rows: number; byTable: string }> {
  try {
    const rows = await store.query<{ table: string; rows: string; parts: string }>(sql`EXPLAIN ESTIMATE ${statement}`);
    return {
      rows: rows.reduce((n, r) => n + Number(r.rows), 0),
      byTable: rows.map((r) => `${r.table} ${Number(r.rows).toLocaleString('en-US')} rows/${r.parts} parts`).join(', '),
    };
  } catch {
    return { rows: NaN, byTable: 'n/a' };
  }
}
