// A loopback port nothing listens on, for "no server answers" cases: one the
// OS just handed out and got back (fetch refuses well-known ports like 1
// before even trying, so those do not test a refused connection).
import { createServer, type AddressInfo } from 'node:net';

/** A 127.0.0.1 port bound once, then released: connecting to it is refused. */
export async function refusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
