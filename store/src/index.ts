export { sql, param, ident, join, empty, formatDateTime, Sql, type SqlValue, type Param } from './sql.ts';
export { openStore, type Store, type StoreOptions } from './connect.ts';
export { StoreError } from './errors.ts';
export { migrate } from './migrate.ts';
export { migrations, type Migration, type MigrationContext } from './migrations/index.ts';
export { encodeTsvRow, tsvString, tsvQuoted, tsvMap, tsvArray } from './tsv.ts';
export { AGGREGATES, DD, newestRows, windowRows, planRanges, recomputeHoursSql, type AggregateName, type Granularity, type Range } from './aggregates.ts';
export { ATTRIBUTE_ALIASES, KIND_SPELLINGS, CONSUMER_OPERATIONS, spanAttr, normalizedKind, isError, type LogicalAttribute } from './semconv.ts';
export { timestampBetween } from './time.ts';
