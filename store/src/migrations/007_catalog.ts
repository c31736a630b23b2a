import { sql } from '../sql.ts';
import type { Migration } from './migration.ts';

// The catalog, synced whole per source (a root file, or an ad-hoc edit): every
// import of a source writes all its rows under a new Version plus a marker row,
// and readers keep each source's newest version. An entity removed from its
// source thereby disappears, and importing the same files again changes nothing
// a reader can see.
export const catalog: Migration = {
  id: 7,
  name: 'catalog_entities, catalog_relations, catalog_operations',
  statements: () => [
    sql`CREATE TABLE IF NOT EXISTS catalog_entities (
      Source String,
      Version UInt64,
      Ref String,
      Kind LowCardinality(String),
      Namespace LowCardinality(String),
      Name String,
      Title String,
      Description String,
      Owner String,
      Lifecycle LowCardinality(String),
      Type LowCardinality(String),
      System String,
      Tags Array(String),
      Annotations Map(String, String),
      File String,
      Document UInt32,
      Line UInt32,
      Entity String
    ) ENGINE = ReplacingMergeTree(Version)
    ORDER BY (Source, Ref)`,
    sql`CREATE TABLE IF NOT EXISTS catalog_relations (
      Source String,
      Version UInt64,
      FromRef String,
      Type LowCardinality(String),
      ToRef String
    ) ENGINE = ReplacingMergeTree(Version)
    ORDER BY (Source, FromRef, Type, ToRef)`,
    sql`CREATE TABLE IF NOT EXISTS catalog_operations (
      Source String,
      Version UInt64,
      ApiRef String,
      Method LowCardinality(String),
      Path String,
      FullPath String,
      OperationId String,
      Summary String,
      Tags Array(String),
      Deprecated Bool,
      StatusCodes Array(String)
    ) ENGINE = ReplacingMergeTree(Version)
    ORDER BY (Source, ApiRef, Method, FullPath)`,
  ],
};
