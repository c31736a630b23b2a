import { sql, param, recomputeHoursSql, type Sql, type Store } from '@plexus/store';
import { recomputeOperationsSql, rollupEdgesSql, recomputeRedSql, dirtyMinutesSql, edgeSpanCountSql, recomputeOperationShardSql, mergeOperationShardsSql, type MinuteSet } from './recompute-sql.ts';
import { tracer, collectorMetrics } from '../telemetry.ts';

export interface EdgeJobOptions {
  /** How often a pass runs; also the most often one minute is recomputed. */
  intervalMs: number;
  /**
   * Spans ingested less than this long ago wait for the next pass, so an insert
   * still in flight when a pass reads is never skipped by the watermark.
   */
  lagMs: number;
  /** Minutes recomputed per statement. */
  minutesPerStatement: number;
  /**
   * Spans one edge statement may join; busier minute sets are split into
   * shards of whole traces, so a pass's memory stays bounded at any ingest rate.
   */
  maxSpansPerStatement: number;
  /**
   * Most of one core the job may take: after a pass of d ms the next waits at
   * least d × (1 / share − 1). Under heavy ingest the open minute is then
   * recomputed less often instead of competing with inserts.
   */
  maxCoreShare: number;
  /**
   * ClickHouse threads per recompute statement. One by default, so the core
   * share above is a share of one core: a statement free to use every core
   * would take that share of each of them from ingest.
   */
  maxThreads: number;
  onError?: (err: unknown) => void;
}

export const DEFAULT_EDGE_JOB: EdgeJobOptions = { intervalMs: 3000, lagMs: 4000, minutesPerStatement: 60, maxSpansPerStatement: 250_000, maxCoreShare: 0.25, maxThreads: 1 };

const WATERMARK_KEY = 'edges.watermark';
const EPOCH = '1970-01-01 00:00:00.000';

/** The wait before the next pass, given how long the last one took. */
export function nextDelay(opts: Pick<EdgeJobOptions, 'intervalMs' | 'maxCoreShare'>, lastPassMs: number): number {
  return Math.max(opts.intervalMs, Math.round(lastPassMs * (1 / opts.maxCoreShare - 1)));
}

/**
 * Keeps edge_operations, service_edges and operation_red in step with otel_traces by recomputing
 * whole minutes (DESIGN.md §5). Works on whatever wrote the spans, in any order,
 * and resumes from a persisted ingestion-time watermark after a restart.
 */
export class EdgeJob {
  readonly #store: Store;
  readonly #opts: EdgeJobOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #lastVersion = 0n;
  #stopped = false;

  constructor(store: Store, opts: Partial<EdgeJobOptions> = {}) {
    this.#store = store;
    this.#opts = { ...DEFAULT_EDGE_JOB, ...opts };
  }

  /** Starts passes on the interval. */
  start(): void {
    this.#stopped = false;
    const tick = () => {
      const t0 = performance.now();
      this.#running = this.runOnce()
        .catch((err) => this.#opts.onError?.(err))
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, nextDelay(this.#opts, performance.now() - t0));
        });
    };
    this.#timer = setTimeout(tick, 0);
  }

  /** Stops after the pass in progress, if any. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** One pass: find dirty minutes since the watermark, recompute them, advance the watermark. */
  async runOnce(now: number = Date.now()): Promise<{ minutes: number }> {
    return tracer.startActiveSpan('edges.pass', async (span) => {
      const t0 = performance.now();
      try {
        const after = await this.#watermark();
        const upTo = new Date(now - this.#opts.lagMs).toISOString().replace('T', ' ').replace('Z', '');
        if (upTo <= after) return { minutes: 0 };
        const rows = await this.#store.query<{ minute: number | string }>(this.#limited(dirtyMinutesSql(after, upTo)));
        const minutes = rows.map((r) => Number(r.minute));
        for (let i = 0; i < minutes.length; i += this.#opts.minutesPerStatement) {
          const set = { minutes: minutes.slice(i, i + this.#opts.minutesPerStatement), version: this.#nextVersion() };
          await this.#recomputeEdges(set);
          await this.#store.command(this.#limited(recomputeRedSql(set)));
        }
        // Hours are rolled up after their minutes and before the watermark moves, so a crash in between redoes both.
        const hours = [...new Set(minutes.map((m) => m - (m % 3600)))];
        if (hours.length > 0) {
          const version = this.#nextVersion();
          await this.#store.command(this.#limited(recomputeHoursSql('edges', hours, version)));
          await this.#store.command(this.#limited(recomputeHoursSql('red', hours, version)));
          await this.#store.command(this.#limited(recomputeHoursSql('operations', hours, version)));
        }
        await this.#store.command(sql`INSERT INTO plexus_state (Key, Value, UpdatedAt) VALUES (${WATERMARK_KEY}, ${upTo}, now64(3))`);
        collectorMetrics().minutesRecomputed.add(minutes.length);
        span.setAttribute('plexus.edges.minutes', minutes.length);
        return { minutes: minutes.length };
      } finally {
        collectorMetrics().edgePassDuration.record((performance.now() - t0) / 1000);
        span.end();
      }
    });
  }

  async #recomputeEdges(set: MinuteSet): Promise<void> {
    const [row] = await this.#store.query<{ n: string }>(this.#limited(edgeSpanCountSql(set)));
    const shards = Math.ceil(Number(row?.n ?? 0) / this.#opts.maxSpansPerStatement);
    if (shards <= 1) await this.#store.command(this.#limited(recomputeOperationsSql(set)));
    else {
      for (let index = 0; index < shards; index++) await this.#store.command(this.#limited(recomputeOperationShardSql(set, { index, count: shards })));
      await this.#store.command(this.#limited(mergeOperationShardsSql(set)));
    }
    await this.#store.command(this.#limited(rollupEdgesSql(set)));
  }

  #limited(statement: Sql): Sql {
    return sql`${statement} SETTINGS max_threads = ${param('UInt16', this.#opts.maxThreads)}`;
  }

  async #watermark(): Promise<string> {
    const [row] = await this.#store.query<{ Value: string }>(sql`SELECT argMax(Value, UpdatedAt) AS Value FROM plexus_state WHERE Key = ${WATERMARK_KEY} HAVING count() > 0`);
    return row?.Value ?? EPOCH;
  }

  // Versions only need to grow; wall-clock microseconds do across restarts.
  #nextVersion(): bigint {
    const v = BigInt(Date.now()) * 1000n;
    this.#lastVersion = v > this.#lastVersion ? v : this.#lastVersion + 1n;
    return this.#lastVersion;
  }
}
