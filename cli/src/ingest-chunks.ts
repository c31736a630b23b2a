// Cuts a log file into request bodies while streaming it, so a 1 GB file
// never sits in memory: bodies end on line boundaries and know the file line
// they start at, so the server can report the file's own line numbers.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

/** One request body: whole lines of a file (or a whole JSON array file). */
export interface Chunk {
  body: Buffer;
  /** File line of the body's first line (1-based). */
  firstLine: number;
  /** Lines in the body (the last one may lack its newline). */
  lines: number;
  /** The file is one JSON array, sent whole: its rejects are by element, not line. */
  array: boolean;
  /** Bytes of the file on disk (compressed, for a .gz) read once this body was cut: progress. */
  fileOffset: number;
}

export interface ChunkOptions {
  /** Bodies are cut at the first line boundary at or after this many bytes. */
  chunkBytes: number;
  /** The largest body the server takes (decompressed): a longer line or array cannot be sent. */
  maxBodyBytes: number;
}

/** A file that cannot be cut into bodies the server takes; `line` is where, when known. */
export class ChunkError extends Error {
  readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(message);
    this.name = 'ChunkError';
    this.line = line;
  }
}

const NL = 0x0a;

/** True when the file starts with the gzip magic bytes (a `.gz` or a compressed file under any name). */
export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** The first byte that is not whitespace or a byte-order mark, or undefined when there is none yet. */
function firstSignificant(bufs: readonly Buffer[]): number | undefined {
  for (const b of bufs) {
    for (const c of b) {
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0xef && c !== 0xbb && c !== 0xbf) return c;
    }
  }
  return undefined;
}

function countLines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(NL); i !== -1; i = b.indexOf(NL, i + 1)) n++;
  return n;
}

const CRI_PARTIAL = /^\S+ (?:stdout|stderr) P(?: |$)/;

/**
 * Whether the line buf[start, end) is one the framing joins with the next (a
 * CRI `P` chunk, a Docker json-file `log` without its newline): cutting after
 * it would split a record. Reads only the line's head and tail (hot path).
 */
function continuesOnNextLine(buf: Buffer, start: number, end: number): boolean {
  const head = buf.toString('latin1', start, Math.min(end, start + 64));
  if (CRI_PARTIAL.test(head)) return true;
  if (!head.startsWith('{"log":"')) return false;
  // `"log":"...\n","stream":"stdout","time":"..."}`: the newline sits a few dozen bytes before the end.
  return !buf.toString('latin1', Math.max(start, end - 160), end).includes('\\n","');
}

/** Where to cut `buf`: just after the last newline that ends a whole record, or -1 when there is none. */
export function cutPoint(buf: Buffer): number {
  let end = buf.lastIndexOf(NL);
  while (end !== -1) {
    const start = end === 0 ? 0 : buf.lastIndexOf(NL, end - 1) + 1;
    if (!continuesOnNextLine(buf, start, end)) return end + 1;
    if (start === 0) return -1;
    end = start - 1;
  }
  return -1;
}

/**
 * Streams `path` (gunzipping it when it is gzip) as bodies of about
 * `chunkBytes` cut on record boundaries. A file whose first character is `[`
 * is one JSON array and comes as a single body. Throws ChunkError when a line
 * or an array is larger than the server takes.
 */
export async function* fileChunks(path: string, opts: ChunkOptions): AsyncGenerator<Chunk> {
  const raw = createReadStream(path, { highWaterMark: 256 * 1024 });
  const source: Readable = (await isGzipFile(path)) ? pipeline(raw, createGunzip(), () => {}) : raw;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 1;
  let array: boolean | undefined;
  try {
    for await (const data of source as AsyncIterable<Buffer>) {
      pending.push(data);
      pendingBytes += data.length;
      if (array === undefined) {
        const c = firstSignificant(pending);
        if (c !== undefined) array = c === 0x5b; // [
      }
      if (array) {
        if (pendingBytes > opts.maxBodyBytes) {
          throw new ChunkError(`is one JSON array, sent whole, and it is larger than the server's body limit of ${opts.maxBodyBytes} bytes (limits.maxDecompressedBytes): write it as NDJSON (one object per line) instead`);
        }
        continue;
      }
      if (pendingBytes < opts.chunkBytes) continue;
      const all = Buffer.concat(pending, pendingBytes);
      let off = 0;
      while (all.length - off >= opts.chunkBytes) {
        const rest = all.subarray(off);
        // The last record boundary within one body's size; a record longer than that goes alone.
        let cut = cutPoint(rest.subarray(0, opts.chunkBytes));
        if (cut === -1) cut = cutPoint(rest.subarray(0, opts.maxBodyBytes));
        if (cut === -1) {
          if (rest.length > opts.maxBodyBytes) throw new ChunkError(`a record of more than ${opts.maxBodyBytes} bytes is larger than the server's body limit (limits.maxDecompressedBytes)`, line);
          break;
        }
        const body = rest.subarray(0, cut);
        const lines = countLines(body);
        yield { body, firstLine: line, lines, array: false, fileOffset: raw.bytesRead };
        line += lines;
        off += cut;
      }
      pending = off < all.length ? [all.subarray(off)] : [];
      pendingBytes = all.length - off;
    }
    if (pendingBytes > 0) {
      const body = Buffer.concat(pending, pendingBytes);
      if (!array && body.length > opts.maxBodyBytes) throw new ChunkError(`a record of more than ${opts.maxBodyBytes} bytes is larger than the server's body limit (limits.maxDecompressedBytes)`, line);
      const lines = countLines(body) + (body[body.length - 1] === NL ? 0 : 1);
      yield { body, firstLine: line, lines, array: array === true, fileOffset: raw.bytesRead };
    }
  } finally {
    raw.destroy();
    source.destroy();
  }
}
