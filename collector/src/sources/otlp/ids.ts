const HEX = /^[0-9a-fA-F]*$/;

/** Binary id (protobuf bytes) -> lower-case hex; empty stays empty. */
export function bytesToHex(bytes: Uint8Array | null | undefined): string {
  if (!bytes || bytes.length === 0) return '';
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * An id from OTLP/JSON: hex per the OTLP spec, or base64 as generic protobuf
 * JSON writes it. `byteLength` (16 or 8) tells them apart: hex has twice as many
 * characters as bytes, base64 four per three. Anything else is returned as-is so
 * validation can name it.
 */
export function jsonIdToHex(id: unknown, byteLength: number): string {
  if (id == null || id === '') return '';
  if (typeof id !== 'string') return String(id);
  if (id.length === byteLength * 2 && HEX.test(id)) return id.toLowerCase();
  if (id.length === Math.ceil(byteLength / 3) * 4 && /^[A-Za-z0-9+/_-]+=*$/.test(id)) {
    const bytes = Buffer.from(id, 'base64');
    if (bytes.length === byteLength) return bytes.toString('hex');
  }
  return id;
}
