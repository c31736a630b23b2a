import { sql } from '../sql.ts';
import { templatePathSql } from '../http-route.ts';
import type { Migration } from './migration.ts';

// api_calls.Route was MATERIALIZED: every insert ran the path-templating
// regexes while the single writer held the rows, about 0.6 µs a row on the
// insert's critical path. The decode worker now templates paths in
// TypeScript (templatePath, parity-tested with templatePathSql) and sends
// Route with the row; as a DEFAULT, the same expression still fills it for a
// writer that leaves it out. The view into source_edges selects `*, Route`,
// which reads the same column either way.
export const apiCallsRouteDefault: Migration = {
  id: 15,
  name: 'api_calls: Route written by the collector (DEFAULT instead of MATERIALIZED)',
  statements: () => [
    sql`ALTER TABLE api_calls MODIFY COLUMN Route LowCardinality(String) DEFAULT if(PathTemplate != '', PathTemplate, ${templatePathSql(sql`Path`)})`,
  ],
};
