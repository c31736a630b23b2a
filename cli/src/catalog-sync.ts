import { glob } from 'node:fs/promises';
import { metrics } from '@opentelemetry/api';
import { formatError, importCatalog, type CatalogError, type ImportSummary } from '@plexus/catalog';
import type { Store } from '@plexus/store';

/**
 * The source id of the files plexus.yaml lists. importCatalog names a source
 * after its roots, so a glob matching one file more or less would start a new
 * source and leave the old one (and the removed file's entities) current; one
 * fixed id makes every sync replace the last one whole.
 */
export const CONFIG_SOURCE = 'plexus.yaml catalog.locations';

/** A Kong Admin API to import, as configured. */
export interface KongSource {
  adminUrl: string;
  workspace?: string | undefined;
  token?: string | undefined;
}

/** `importKongAdmin` from @plexus/catalog; injected so a failing Kong can be simulated. */
export type ImportKong = (store: Store, source: { adminUrl: string; workspace?: string; headers?: Record<string, string> }, opts: { allowedHosts: readonly string[] }) => Promise<ImportSummary>;

export interface CatalogSyncOptions {
  store: Store;
  /** Absolute paths or globs. */
  locations: readonly string[];
  allowedHosts: readonly string[];
  /** 0: sync at start only. */
  intervalSeconds: number;
  kong: readonly KongSource[];
  log: (msg: string, err?: unknown) => void;
  importKong?: ImportKong | undefined;
}

/** A running catalog sync. */
export interface CatalogSync {
  /** The sync started with it; never rejects. */
  readonly firstSync: Promise<ImportSummary[]>;
  /**
   * Syncs every source now (after a run in progress, never beside it). A source
   * that could not be imported at all is answered with its error and zero counts;
   * the store keeps its previous import.
   */
  syncNow(): Promise<ImportSummary[]>;
  /** Stops the timer and waits for a run in progress. */
  close(): Promise<void>;
}

const SYNC_SECONDS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

// Entities by kind of the newest successful import of each source, for the gauge.
const latestEntities = new Map<string, Record<string, number>>();

function createInstruments() {
  const meter = metrics.getMeter('plexus.catalog');
  const entities = meter.createObservableGauge('plexus.catalog.entities', { description: 'Entities in the newest import of the configured catalog sources, by kind' });
  entities.addCallback((result) => {
    const total: Record<string, number> = {};
    for (const counts of latestEntities.values()) for (const [kind, n] of Object.entries(counts)) total[kind] = (total[kind] ?? 0) + n;
    for (const [kind, n] of Object.entries(total)) result.observe(n, { kind });
  });
  return {
    runs: meter.createCounter('plexus.catalog.sync.runs', { description: 'Imports of configured catalog sources, by source (files, kong) and outcome (ok, problems, failed)' }),
    duration: meter.createHistogram('plexus.catalog.sync.duration', { description: 'Time to import one configured catalog source', unit: 's', advice: { explicitBucketBoundaries: SYNC_SECONDS } }),
  };
}

let instruments: ReturnType<typeof createInstruments> | undefined;

/** Made on first use: the meter provider may be registered after this module is imported. */
function catalogMetrics(): ReturnType<typeof createInstruments> {
  instruments ??= createInstruments();
  return instruments;
}

/**
 * Expands globs to sorted, unique files. Literal paths are kept even when
 * missing, so the import reports them; a glob matching nothing is listed apart.
 */
export async function expandLocations(locations: readonly string[]): Promise<{ files: string[]; unmatched: string[] }> {
  const files = new Set<string>();
  const unmatched: string[] = [];
  for (const location of locations) {
    if (!/[*?[{]/.test(location)) {
      files.add(location);
      continue;
    }
    let matched = 0;
    for await (const file of glob(location)) {
      files.add(file);
      matched++;
    }
    if (matched === 0) unmatched.push(location);
  }
  return { files: [...files].sort(), unmatched };
}

interface Task {
  name: string;
  kind: 'files' | 'kong';
  run: () => Promise<ImportSummary>;
}

function describeSummary(s: ImportSummary): string {
  const kinds = Object.entries(s.entities).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${n} ${k}`).join(', ');
  return [`entities: ${kinds || 'none'}; relations: ${s.relations}; operations: ${s.operations}; problems: ${s.errors.length}`, ...s.errors.map((e) => `  ${formatError(e)}`)].join('\n');
}

/**
 * Imports the configured catalog sources now and every `intervalSeconds`:
 * all matched files as one source, each Kong Admin API as its own. Failures
 * are logged and counted, never thrown: the server runs on with the last import.
 */
export function startCatalogSync(opts: CatalogSyncOptions): CatalogSync {
  const { store, locations, allowedHosts, intervalSeconds, kong, log, importKong } = opts;
  const tasks: Task[] = [];
  if (locations.length > 0) {
    tasks.push({
      name: 'files',
      kind: 'files',
      run: async () => {
        const { files, unmatched } = await expandLocations(locations);
        const summary = await importCatalog(store, files, { source: CONFIG_SOURCE, allowedHosts });
        const none: CatalogError[] = unmatched.map((pattern) => ({ file: pattern, document: 0, line: 0, field: '', message: 'matches no file' }));
        return { ...summary, errors: [...none, ...summary.errors] };
      },
    });
  }
  if (kong.length > 0 && !importKong) log(`catalog: ${kong.length} Kong source(s) configured, but this build cannot import from Kong; skipped`);
  for (const k of importKong ? kong : []) {
    // The operator named this Admin API in plexus.yaml, so its host is allowed; allowedHosts guards what catalog content points at.
    const hosts = [...allowedHosts, new URL(k.adminUrl).hostname];
    tasks.push({
      name: `kong ${k.adminUrl}${k.workspace ? ` (workspace ${k.workspace})` : ''}`,
      kind: 'kong',
      run: () => importKong!(store, { adminUrl: k.adminUrl, ...(k.workspace ? { workspace: k.workspace } : {}), ...(k.token ? { headers: { 'Kong-Admin-Token': k.token } } : {}) }, { allowedHosts: hosts }),
    });
  }

  // Unchanged results are not logged again: a standing problem would otherwise repeat every interval.
  const lastReport = new Map<string, string>();
  const syncedSources = new Set<string>();
  async function pass(): Promise<ImportSummary[]> {
    const m = catalogMetrics();
    const summaries: ImportSummary[] = [];
    for (const task of tasks) {
      const started = performance.now();
      let outcome: 'ok' | 'problems' | 'failed';
      try {
        const s = await task.run();
        outcome = s.errors.length > 0 ? 'problems' : 'ok';
        summaries.push(s);
        latestEntities.set(s.source, s.entities);
        syncedSources.add(s.source);
        const report = describeSummary(s);
        if (lastReport.get(task.name) !== report) log(`catalog: ${task.name}: ${report}`);
        lastReport.set(task.name, report);
      } catch (err) {
        outcome = 'failed';
        lastReport.delete(task.name);
        log(`catalog: importing ${task.name} failed; the previous import stays`, err);
        summaries.push({ source: task.name, entities: {}, relations: 0, operations: 0, errors: [{ file: task.name, document: 0, line: 0, field: '', message: `import failed: ${(err as Error).message}` }] });
      }
      m.runs.add(1, { source: task.kind, outcome });
      m.duration.record((performance.now() - started) / 1000, { source: task.kind });
    }
    return summaries;
  }

  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  let queued: Promise<ImportSummary[]> | undefined;
  function syncNow(): Promise<ImportSummary[]> {
    if (closed) return Promise.resolve([]);
    // Callers arriving while a run waits share it: it starts after their change anyway.
    if (queued) return queued;
    const run = tail.then(() => {
      queued = undefined;
      return pass();
    });
    queued = run;
    tail = run.catch(() => {});
    return run;
  }
  const schedule = () => {
    if (closed || intervalSeconds <= 0 || tasks.length === 0) return;
    timer = setTimeout(() => void syncNow().finally(schedule), intervalSeconds * 1000);
    timer.unref();
  };

  const firstSync = syncNow().catch((err: unknown) => {
    log('catalog: first sync failed', err);
    return [] as ImportSummary[];
  });
  void firstSync.finally(schedule);
  return {
    firstSync,
    syncNow,
    async close() {
      closed = true;
      clearTimeout(timer);
      await tail;
      for (const source of syncedSources) latestEntities.delete(source);
    },
  };
}
