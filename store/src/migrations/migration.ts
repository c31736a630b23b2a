import type { Sql } from '../sql.ts';

/** What a migration may depend on: settings fixed at start. */
export interface MigrationContext {
  retentionDays: number;
}

/** One numbered, forward-only schema step; every statement must be safe to run twice. */
export interface Migration {
  id: number;
  name: string;
  statements: (ctx: MigrationContext) => Sql[];
}
