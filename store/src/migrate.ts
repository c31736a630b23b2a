import { sql, param, type Sql } from './sql.ts';
import type { Store } from './connect.ts';
import { migrations as all, type Migration, type MigrationContext } from './migrations/index.ts';

/** The TTL statements that follow the retention setting, one per table that has a TTL. */
function retentionStatements(days: number): Sql[] {
  const d = param('UInt32', days);
  return [
    sql`ALTER TABLE otel_traces MODIFY TTL toDateTime(Timestamp) + toIntervalDay(${d})`,
    sql`ALTER TABLE otel_traces_trace_id_ts MODIFY TTL Start + toIntervalDay(${d})`,
    sql`ALTER TABLE otel_span_facts MODIFY TTL toDateTime(Timestamp) + toIntervalDay(${d})`,
    sql`ALTER TABLE service_edges MODIFY TTL Minute + toIntervalDay(${d})`,
    sql`ALTER TABLE operation_red MODIFY TTL Minute + toIntervalDay(${d})`,
    sql`ALTER TABLE service_edges_hourly MODIFY TTL Hour + toIntervalDay(${d})`,
    sql`ALTER TABLE operation_red_hourly MODIFY TTL Hour + toIntervalDay(${d})`,
    sql`ALTER TABLE kafka_events MODIFY TTL toDateTime(Timestamp) + toIntervalDay(${d})`,
    sql`ALTER TABLE kafka_dead_letters MODIFY TTL toDateTime(ReceivedAt) + toIntervalDay(${d})`,
    sql`ALTER TABLE edge_operations MODIFY TTL Minute + toIntervalDay(${d})`,
    sql`ALTER TABLE edge_operations_hourly MODIFY TTL Hour + toIntervalDay(${d})`,
    sql`ALTER TABLE kafka_partition_offsets MODIFY TTL Time + toIntervalDay(${d})`,
    sql`ALTER TABLE kafka_group_members MODIFY TTL Time + toIntervalDay(${d})`,
    sql`ALTER TABLE api_calls MODIFY TTL toDateTime(Timestamp) + toIntervalDay(${d})`,
    sql`ALTER TABLE source_edges MODIFY TTL Minute + toIntervalDay(${d})`,
    sql`ALTER TABLE trace_summaries MODIFY TTL toDateTime(Start) + toIntervalDay(${d})`,
  ];
}

/** Applies pending migrations in order and records each; returns the ids applied now. */
export async function migrate(store: Store, ctx: MigrationContext, migrations: readonly Migration[] = all): Promise<number[]> {
  await store.command(sql`CREATE TABLE IF NOT EXISTS plexus_migrations (
    Id UInt32, Name String, AppliedAt DateTime64(3)
  ) ENGINE = ReplacingMergeTree(AppliedAt) ORDER BY Id`);
  const done = new Set((await store.query<{ Id: number }>(sql`SELECT Id FROM plexus_migrations FINAL`)).map((r) => Number(r.Id)));
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
    if (done.has(m.id)) continue;
    for (const statement of m.statements(ctx)) await store.command(statement);
    await store.command(sql`INSERT INTO plexus_migrations (Id, Name, AppliedAt) VALUES (${param('UInt32', m.id)}, ${m.name}, now64(3))`);
    applied.push(m.id);
  }
  await applyRetention(store, ctx.retentionDays);
  return applied;
}

// Retention is a setting, not a schema version: when it changes, the TTLs follow.
async function applyRetention(store: Store, days: number): Promise<void> {
  const key = 'retention_days';
  const rows = await store.query<{ Value: string }>(sql`SELECT Value FROM plexus_state FINAL WHERE Key = ${key}`);
  if (rows[0]?.Value === String(days)) return;
  // A first start has just created the tables with this TTL already.
  if (rows.length > 0) for (const statement of retentionStatements(days)) await store.command(statement);
  await store.command(sql`INSERT INTO plexus_state (Key, Value, UpdatedAt) VALUES (${key}, ${String(days)}, now64(3))`);
}
