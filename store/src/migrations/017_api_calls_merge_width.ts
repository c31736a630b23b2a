import { sql } from '../sql.ts';
import type { Migration } from './migration.ts';

// Gateway ingest writes api_calls in parts of about 20,000 rows, several a
// second, and merging them was a tenth of the CPU under load (stopping its
// merges saved 1 µs of the 19 per Kong line). Nothing reads api_calls but the
// view into source_edges, which sees rows at insert, so more parts per
// partition cost no query; merging at least ten at once rewrites each row
// fewer times on its way to a large part: 17.65 against 17.95 µs per Kong
// line, 104k against 102k lines/s (BENCHMARKS.md). source_edges, which the
// API reads, keeps ClickHouse's default.
export const apiCallsMergeWidth: Migration = {
  id: 17,
  name: 'api_calls: merge at least ten parts at once',
  statements: () => [sql`ALTER TABLE api_calls MODIFY SETTING min_parts_to_merge_at_once = 10`],
};
