import type { BytesEncoding } from './event-row.ts';

// fatal: bytes that are not UTF-8 must be noticed, not replaced with U+FFFD;
// ignoreBOM: a key is reproduced exactly, BOM included.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes as UTF-8 text, or null when they are not valid UTF-8. */
export function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Bytes as a String column value: UTF-8 text when they are text, else base64. */
export function bytesText(bytes: Buffer | null): { text: string; encoding: BytesEncoding } {
  if (bytes === null) return { text: '', encoding: '' };
  const text = utf8OrNull(bytes);
  return text !== null ? { text, encoding: 'utf8' } : { text: bytes.toString('base64'), encoding: 'base64' };
}

/** At most maxBytes of the value, as text or base64; a cut never splits a UTF-8 character. */
export function cappedBytesText(bytes: Buffer | null, maxBytes: number): { text: string; encoding: BytesEncoding; truncated: boolean } {
  if (bytes === null) return { text: '', encoding: '', truncated: false };
  const max = Math.max(0, Math.floor(maxBytes));
  const truncated = bytes.length > max;
  if (utf8OrNull(bytes) === null) return { text: bytes.subarray(0, max).toString('base64'), encoding: 'base64', truncated };
  let end = Math.min(bytes.length, max);
  // Back off to the start of the character the cut falls in (continuation bytes are 10xxxxxx).
  while (end < bytes.length && end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return { text: bytes.toString('utf8', 0, end), encoding: 'utf8', truncated };
}
