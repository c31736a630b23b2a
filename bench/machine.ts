// Facts about the machine a run happened on, for the report.
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg, release } from 'node:os';
import { openStore, sql } from '@plexus/store';

/** What the report says about the machine. */
export interface MachineFacts {
  cpuModel: string;
  nproc: string;
  memory: string;
  kernel: string;
  node: string;
  chdb: string;
  loadAverage: string;
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The 1/5/15-minute load averages, to tell a busy machine from a quiet one. */
export function loadAverage(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' / ');
}

/** CPU, memory, kernel, Node and chDB versions; chDB's is read from a throwaway store under `tmpRoot`. */
export async function machineFacts(tmpRoot: string): Promise<MachineFacts> {
  let nproc = 'unknown';
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // nproc missing: leave unknown.
  }
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(read('/proc/meminfo'))?.[1] ?? NaN);
  let chdb = 'unknown';
  const store = await openStore({ dataDir: mkdtempSync(join(tmpRoot, 'version-')) });
  try {
    chdb = (await store.query<{ v: string }>(sql`SELECT version() AS v`))[0]?.v ?? 'unknown';
  } finally {
    await store.close();
  }
  return {
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(read('/proc/cpuinfo'))?.[1]?.trim() ?? 'unknown',
    nproc,
    memory: Number.isFinite(memKb) ? `${(memKb / 1024 ** 2).toFixed(1)} GiB` : 'unknown',
    kernel: `Linux ${release()}`,
    node: process.version,
    chdb,
    loadAverage: loadAverage(),
  };
}
