// `plexus ingest --format F <file>...`: gateway access-log files into api_calls,
// through the running Plexus at PLEXUS_URL (POST /ingest/{format}), or straight
// into the store when no server answers (only one process may open an embedded
// data directory, so the server is always asked first).
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip as gzipCb, constants as zlibConstants } from 'node:zlib';
import { openStore, migrate, type Store } from '@plexus/store';
import { API_CALLS_COLUMNS, GATEWAY_FORMATS, gatewayLog, type GatewayFormat } from '@plexus/collector';
import type { PlexusConfig } from './config.ts';
import { gatewayParseOptions } from './sources-config.ts';
import { ChunkError, fileChunks, type Chunk } from './ingest-chunks.ts';
import { locateReject, progressBar, summaryLine } from './ingest-progress.ts';

const gzip = promisify(gzipCb);

const CHUNK_BYTES = 4 * 1024 * 1024;
const IN_FLIGHT = 2;
const MAX_SHOWN_REJECTS = 20;
const MAX_RETRY_WAIT_S = 60;
const CONNECTION_RETRIES = 5;

/** What one body came back with, wherever it was parsed. */
interface Answer {
  accepted: number;
  rejected: number;
  /** Reasons as the server words them: `line 7: ...` (file lines) or `element 3: ...`. */
  errors: string[];
}

/** Where bodies go: the running server, or this process's own store. */
interface Sink {
  send(chunk: Chunk): Promise<Answer>;
  close(): Promise<void>;
  readonly description: string;
}

/** No server listens at PLEXUS_URL: this process may open the store. */
class NoServer extends Error {}

export interface IngestRun {
  format: string | undefined;
  files: readonly string[];
  config: PlexusConfig;
  /** Summary and rejects. */
  out: (line: string) => void;
  /** Progress and errors. */
  err: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
}

const USAGE = `usage: plexus ingest --format <${GATEWAY_FORMATS.join('|')}> <file>...`;

/** Runs `plexus ingest`; exit code 0 when every record was accepted, 1 when any was rejected or the run failed, 2 for usage errors. */
export async function ingestCommand(run: IngestRun): Promise<number> {
  const env = run.env ?? process.env;
  const say = (line: string) => run.err.write(`${line}\n`);
  if (run.format === undefined || run.files.length === 0) {
    say(USAGE);
    return 2;
  }
  if (!(GATEWAY_FORMATS as readonly string[]).includes(run.format)) {
    say(`unknown format "${run.format}": use one of ${GATEWAY_FORMATS.join(', ')}`);
    return 2;
  }
  const format = run.format as GatewayFormat;
  const sizes: number[] = [];
  for (const f of run.files) {
    const s = await stat(f).catch((e: Error) => e);
    if (s instanceof Error || !s.isFile()) {
      say(`cannot read ${f}: ${s instanceof Error ? s.message : 'not a file'}`);
      return 2;
    }
    sizes.push(s.size);
  }

  const url = (env.PLEXUS_URL ?? `http://127.0.0.1:${run.config.port}`).replace(/\/+$/, '');
  const token = env.PLEXUS_TOKEN ?? env.PLEXUS_ADMIN_TOKEN;
  const maxBodyBytes = run.config.limits.maxDecompressedBytes;
  const chunkOpts = { chunkBytes: Math.min(CHUNK_BYTES, maxBodyBytes), maxBodyBytes };
  let sink: Sink = remoteSink(url, format, token);
  let decided = false;

  const started = Date.now();
  const totals = { accepted: 0, rejected: 0, lines: 0 };
  const rejects: Array<{ seq: number; text: string }> = [];
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  let doneBytes = 0; // of files before the current one
  let fileDone = 0; // of the current file, as far as acknowledged
  let seq = 0;
  let fatal: Error | undefined;

  const progress = startProgress(run.err, () => progressBar(totalBytes > 0 ? (doneBytes + fileDone) / totalBytes : 1, totals.lines, Date.now() - started));

  const deliver = async (file: string, chunk: Chunk, order: number): Promise<void> => {
    const a = await sink.send(chunk);
    totals.accepted += a.accepted;
    totals.rejected += a.rejected;
    totals.lines += chunk.lines;
    fileDone = Math.max(fileDone, chunk.fileOffset);
    for (const e of a.errors.slice(0, MAX_SHOWN_REJECTS)) rejects.push({ seq: order, text: locateReject(file, e) });
  };

  try {
    const inflight = new Set<Promise<void>>();
    for (const [i, file] of run.files.entries()) {
      fileDone = 0;
      try {
        for await (const chunk of fileChunks(file, chunkOpts)) {
          if (fatal) break;
          const order = seq++;
          if (!decided) {
            // The first body goes alone: its answer says whether a server is there at all.
            try {
              await deliver(file, chunk, order);
            } catch (e) {
              if (!(e instanceof NoServer)) throw e;
              sink = await localSink(run.config, format, url, say);
              await deliver(file, chunk, order);
            }
            decided = true;
            continue;
          }
          while (inflight.size >= IN_FLIGHT) await Promise.race(inflight);
          const p: Promise<void> = deliver(file, chunk, order).catch((e: Error) => void (fatal ??= e)).finally(() => inflight.delete(p));
          inflight.add(p);
        }
      } catch (e) {
        if (!(e instanceof ChunkError)) throw e;
        fatal ??= new Error(`${file}${e.line === undefined ? '' : `:${e.line}`}: ${e.message}`);
      }
      await Promise.all(inflight);
      if (fatal) break;
      doneBytes += sizes[i]!;
    }
  } catch (e) {
    fatal ??= e as Error;
  } finally {
    progress.stop();
    await sink.close().catch((e: Error) => void (fatal ??= e));
  }

  const elapsedMs = Date.now() - started;
  if (decided) run.out(sink.description);
  run.out(summaryLine({ files: run.files.length, ...totals, elapsedMs }));
  rejects.sort((a, b) => a.seq - b.seq);
  for (const r of rejects.slice(0, MAX_SHOWN_REJECTS)) run.out(`  ${r.text}`);
  const unshown = totals.rejected - Math.min(rejects.length, MAX_SHOWN_REJECTS);
  if (unshown > 0) run.out(`  … and ${unshown.toLocaleString('en-US')} more rejected`);
  if (fatal) {
    say(`ingest stopped: ${fatal.message}`);
    return 1;
  }
  return totals.rejected > 0 ? 1 : 0;
}

/** A bar redrawn in place on a terminal, otherwise a line every 5 s (logs, CI). */
function startProgress(err: NodeJS.WriteStream, render: () => string): { stop(): void } {
  const tty = err.isTTY === true;
  const timer = setInterval(() => err.write(tty ? `\r${render()}` : `ingest: ${render()}\n`), tty ? 250 : 5000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (tty) err.write(`\r${render()}\n`);
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retry-After in seconds or as an HTTP date; 1 s when absent or unreadable. */
function retryAfterMs(header: string | null): number {
  const s = Number(header);
  const ms = header !== null && Number.isFinite(s) ? s * 1000 : header ? Date.parse(header) - Date.now() : NaN;
  return Math.min(MAX_RETRY_WAIT_S * 1000, Number.isFinite(ms) && ms > 0 ? ms : 1000);
}

/** fetch failed because nothing listens there (on every address tried, for a name with several). */
function connectionRefused(e: unknown): boolean {
  const cause = (e as { cause?: { code?: string; errors?: Array<{ code?: string }> } }).cause;
  if (cause?.code === 'ECONNREFUSED') return true;
  return Array.isArray(cause?.errors) && cause.errors.length > 0 && cause.errors.every((x) => x.code === 'ECONNREFUSED');
}

/** Sends gzipped bodies to `${url}/ingest/{format}?firstLine=N`; waits and retries on 429/503 so no body is dropped. */
function remoteSink(url: string, format: GatewayFormat, token: string | undefined): Sink {
  let answered = false;
  return {
    description: `sent to the running Plexus at ${url}`,
    async send(chunk) {
      // Fastest level: on loopback the wire is cheap, the CPU is what the server also needs.
      const body = await gzip(chunk.body, { level: zlibConstants.Z_BEST_SPEED });
      const target = `${url}/ingest/${format}?firstLine=${chunk.firstLine}`;
      const headers: Record<string, string> = {
        'content-type': chunk.array ? 'application/json' : 'application/x-ndjson',
        'content-encoding': 'gzip',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      };
      for (let failures = 0; ; ) {
        let res: Response;
        try {
          res = await fetch(target, { method: 'POST', headers, body, signal: AbortSignal.timeout(300_000) });
        } catch (e) {
          if (!answered && connectionRefused(e)) throw new NoServer(url);
          // fetch refuses some ports outright (the WHATWG "bad ports"): no retry changes that.
          if ((e as { cause?: Error }).cause?.message === 'bad port') throw new Error(`fetch will not connect to ${url}: its port is on the blocked list; use another port`);
          if (++failures > CONNECTION_RETRIES) throw new Error(`no answer from ${target}: ${(e as Error).message}`);
          await sleep(1000 * 2 ** (failures - 1));
          continue;
        }
        answered = true;
        if (res.status === 429 || res.status === 503) {
          const wait = retryAfterMs(res.headers.get('retry-after'));
          await res.body?.cancel();
          await sleep(wait);
          continue;
        }
        const text = await res.text();
        if (!res.ok) {
          let message = text;
          try {
            message = (JSON.parse(text) as { message?: string }).message ?? text;
          } catch {
            // not JSON: the text is the message
          }
          throw new Error(`the Plexus at ${url} refused the logs (${res.status}): ${message.trim()}`);
        }
        return JSON.parse(text) as Answer;
      }
    },
    // Nothing held open: fetch pools its own connections.
    close: async () => {},
  };
}

/** Parses and writes in this process, as the collector would (same parse options), into the configured store. */
async function localSink(config: PlexusConfig, format: GatewayFormat, url: string, say: (line: string) => void): Promise<Sink> {
  const where = config.clickhouse.url ? `ClickHouse at ${config.clickhouse.url}` : `the store in ${config.dataDir}`;
  say(`no Plexus answers at ${url}: writing to ${where} directly`);
  const store: Store = await openStore({ ...config.clickhouse, dataDir: config.dataDir });
  try {
    await migrate(store, { retentionDays: config.retentionDays });
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
  const options = gatewayParseOptions(config.sources, format);
  return {
    description: `written to ${where} (no Plexus answered at ${url})`,
    async send(chunk) {
      // The collector's worker task itself, so rejects read as the server would word them.
      const r = gatewayLog({ format, body: chunk.body, options, firstLine: chunk.firstLine });
      if (r.accepted > 0) await store.insertTsv('api_calls', API_CALLS_COLUMNS, r.tsv);
      return { accepted: r.accepted, rejected: r.rejected, errors: r.rejects };
    },
    close: () => store.close(),
  };
}
