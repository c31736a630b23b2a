// Sorting and filtering for the dense tables (services, operations, edges).

export type SortValue = string | number | null | undefined;

function isMissing(v: SortValue): v is null | undefined {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

/** Compares two cell values; strings by locale (numeric aware), numbers numerically. */
export function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

/** Stable sort; missing values (null, NaN) always go last, whatever the direction. */
export function sortRows<T>(rows: readonly T[], get: (row: T) => SortValue, desc: boolean): T[] {
  return rows
    .map((row, i) => ({ row, i, v: get(row) }))
    .sort((x, y) => {
      const mx = isMissing(x.v);
      const my = isMissing(y.v);
      if (mx || my) return mx === my ? x.i - y.i : mx ? 1 : -1;
      const c = compareValues(x.v, y.v);
      return c === 0 ? x.i - y.i : desc ? -c : c;
    })
    .map((x) => x.row);
}

/** Case-insensitive; every whitespace-separated term must appear somewhere in `text`. */
export function matchesFilter(text: string, query: string): boolean {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!terms.length) return true;
  const t = text.toLowerCase();
  return terms.every((term) => t.includes(term));
}

/** Next sort after clicking a header: same column flips, a new column starts in its natural direction. */
export function nextSort<K extends string>(
  current: { key: K; desc: boolean },
  key: K,
  defaultDesc: (key: K) => boolean,
): { key: K; desc: boolean } {
  if (current.key === key) return { key, desc: !current.desc };
  return { key, desc: defaultDesc(key) };
}

export function ariaSort(current: { key: string; desc: boolean }, key: string): 'ascending' | 'descending' | 'none' {
  if (current.key !== key) return 'none';
  return current.desc ? 'descending' : 'ascending';
}

/** A table column: how to sort it and how it is labelled. Cells are rendered by the page. */
export interface Column<T> {
  key: string;
  label: string;
  /** Numeric columns are right-aligned and sort descending first. */
  numeric?: boolean;
  value: (row: T) => SortValue;
  /** Longer description (tooltip and accessible name). */
  title?: string;
}
