import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import { HttpError } from './http-error.ts';
import type { BodySlot } from './body-slots.ts';

export interface BodyLimits {
  /** Bytes on the wire. */
  maxBodyBytes: number;
  /** Bytes after decompression; checked while inflating, so a gzip bomb stops early. */
  maxDecompressedBytes: number;
}

const DECODERS: Record<string, () => Transform> = { gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate };

/**
 * Reads a request body within the limits, decompressing gzip or deflate.
 * With a slot, the body is read into it while it fits (and the answer is a
 * view of it, valid until the slot is released); a larger one is read into
 * fresh memory as without.
 */
export async function readBody(req: IncomingMessage, limits: BodyLimits, slot?: BodySlot): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limits.maxBodyBytes) {
    req.resume();
    throw new HttpError(413, `body of ${declared} bytes exceeds the limit of ${limits.maxBodyBytes} bytes`);
  }
  if (encoding !== 'identity' && !DECODERS[encoding]) {
    req.resume();
    throw new HttpError(415, `unsupported Content-Encoding "${encoding}" (use gzip, deflate or none)`);
  }
  const decoder = DECODERS[encoding]?.();
  const source = decoder ? req.pipe(decoder) : req;
  const limit = decoder ? limits.maxDecompressedBytes : limits.maxBodyBytes;
  const chunks: Buffer[] = [];
  let inSlot = slot !== undefined;
  let size = 0;
  let wire = 0;
  if (decoder) req.on('data', (c: Buffer) => void (wire += c.length));
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit || wire > limits.maxBodyBytes) {
        req.unpipe();
        req.resume();
        decoder?.destroy();
        throw new HttpError(413, decoder ? `decompressed body exceeds the limit of ${limit} bytes` : `body exceeds the limit of ${limit} bytes`);
      }
      if (inSlot && size <= slot!.bytes.length) {
        slot!.bytes.set(chunk, size - chunk.length);
        continue;
      }
      if (inSlot) {
        // Too large for the slot: what it holds so far moves to fresh memory.
        chunks.push(Buffer.from(slot!.bytes.subarray(0, size - chunk.length)));
        inSlot = false;
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, `could not read the body (${encoding}): ${(err as Error).message}`);
  }
  return inSlot ? Buffer.from(slot!.bytes.buffer, slot!.bytes.byteOffset, size) : Buffer.concat(chunks, size);
}
