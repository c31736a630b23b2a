import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { IncomingMessage } from 'node:http';
import { readBody } from './read-body.ts';
import { BodySlots } from './body-slots.ts';

const LIMITS = { maxBodyBytes: 1 << 20, maxDecompressedBytes: 1 << 20 };

// A request whose body arrives in chunks of `chunk` bytes.
function request(body: Buffer, headers: Record<string, string> = {}, chunk = 1000): IncomingMessage {
  const parts: Buffer[] = [];
  for (let i = 0; i < body.length; i += chunk) parts.push(body.subarray(i, i + chunk));
  return Object.assign(Readable.from(parts), { headers: { 'content-length': String(body.length), ...headers } }) as unknown as IncomingMessage;
}

const bodyOf = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => String.fromCharCode(97 + (i % 26))).join(''));

test('a body that fits is read into the slot and answered as a view of it; a larger one into fresh memory, whole', async () => {
  const slots = new BodySlots(4096, 1);
  const small = bodyOf(3500);
  const slot = slots.take()!;
  const got = await readBody(request(small), LIMITS, slot);
  assert.ok(got.equals(small));
  assert.equal(got.buffer, slot.bytes.buffer, 'the answer is the slot memory');
  assert.equal(slots.take(), undefined, 'the only slot is in use');
  slot.release();
  slot.release(); // twice is harmless: the slot is free once
  const again = slots.take()!;
  assert.equal(slots.take(), undefined);
  const large = bodyOf(10_000);
  const got2 = await readBody(request(large), LIMITS, again);
  assert.ok(got2.equals(large), 'a body larger than its slot is read whole');
  assert.notEqual(got2.buffer, again.bytes.buffer);
  again.release();
});

test('a gzip body is read into the slot decompressed', async () => {
  const slots = new BodySlots(1 << 16, 2);
  const body = bodyOf(20_000);
  const slot = slots.take()!;
  const got = await readBody(request(gzipSync(body), { 'content-encoding': 'gzip' }, 512), LIMITS, slot);
  assert.ok(got.equals(body));
  assert.equal(got.buffer, slot.bytes.buffer);
  slot.release();
});

test('the limits hold with a slot too', async () => {
  const slot = new BodySlots(1 << 16, 1).take()!;
  const req = request(bodyOf(5000), { 'content-length': '100' });
  await assert.rejects(readBody(req, { maxBodyBytes: 4000, maxDecompressedBytes: 4000 }, slot), /exceeds the limit/);
});
