// Runs Plexus as a separate child process (`node cli/plexus.ts start`) so its
// memory and CPU can be read apart from the bench, and makes sure no child
// outlives the bench, whatever way it ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './stats.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const children = new Set<ChildProcess>();

/** Kills every child still running (SIGKILL to its process group); safe to call from an exit handler. */
export function killAllChildren(): void {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  children.clear();
}

/** A free TCP port on 127.0.0.1 (released before it is returned; a race is possible but unlikely). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A running Plexus child process. */
export interface PlexusProcess {
  readonly pid: number;
  readonly url: string;
  readonly otlpUrl: string;
  readonly logFile: string;
  /** SIGTERM, wait for a clean shutdown (the store is closed), SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<{ clean: boolean; code: number | null }>;
}

/** Starts `node cli/plexus.ts start` on `dataDir` with free ports and waits until /healthz says ok. */
export async function startPlexus(dataDir: string, logDir: string, name: string, extraEnv: Record<string, string> = {}): Promise<PlexusProcess> {
  const [port, otlpPort] = [await freePort(), await freePort()];
  const logFile = join(logDir, `${name}.log`);
  const log = createWriteStream(logFile);
  // BENCH_PLEXUS_NODE_ARGS (e.g. `--trace-gc --cpu-prof`) profiles the server; Node refuses most such flags in NODE_OPTIONS.
  const nodeArgs = (process.env.BENCH_PLEXUS_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, 'cli/plexus.ts', 'start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PLEXUS_DATA_DIR: dataDir,
      PLEXUS_PORT: String(port),
      PLEXUS_OTLP_HTTP_PORT: String(otlpPort),
      // Any free port: a Plexus already running here holds the default 9411.
      PLEXUS_ZIPKIN_PORT: '0',
      PLEXUS_HOST: '127.0.0.1',
      ...extraEnv,
    },
    // Its own process group, so a kill reaches anything it spawned too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    children.delete(child);
    resolve(code);
  }));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Plexus exited with code ${child.exitCode} while starting; log:\n${tail(logFile)}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      killAllChildren();
      throw new Error(`Plexus did not become healthy in 60 s; log:\n${tail(logFile)}`);
    }
    await sleep(200);
  }
  return {
    pid: child.pid!,
    url,
    otlpUrl: `http://127.0.0.1:${otlpPort}`,
    logFile,
    async stop(timeoutMs = 60_000) {
      if (child.exitCode !== null || child.signalCode !== null) return { clean: child.exitCode === 0, code: child.exitCode };
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return { clean: code === 0, code };
    },
  };
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
