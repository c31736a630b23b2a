// A quick reachability check before the first export: the OTLP exporter retries a refused
// connection silently for up to its timeout, which would leave a user who forgot to start
// Plexus staring at a quiet terminal.
import { setTimeout as sleep } from 'node:timers/promises';

/** The message shown while nothing listens at the endpoint. */
export function notAnsweringMessage(endpoint: string, cause: string): string {
  return `Plexus is not answering at ${endpoint} (${cause}): start it with \`npm start\``;
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

/** Resolves true once anything answers HTTP at `${endpoint}/v1/traces`, false if `signal` aborts first. */
export async function waitForPlexus(endpoint: string, log: (line: string) => void, signal?: AbortSignal): Promise<boolean> {
  const aborted = (): boolean => signal?.aborted === true;
  let backoff = 1000;
  for (let attempt = 1; !aborted(); attempt++) {
    try {
      // An empty body is a valid, empty ExportTraceServiceRequest; any HTTP answer proves a listener.
      await fetch(`${endpoint}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: new Uint8Array(0),
        signal: signal === undefined ? AbortSignal.timeout(5000) : AbortSignal.any([signal, AbortSignal.timeout(5000)]),
      }).then((response) => response.arrayBuffer());
      if (attempt > 1) log(`Plexus is answering at ${endpoint}.`);
      return true;
    } catch (error) {
      if (aborted()) break;
      if (attempt === 1 || attempt % 10 === 0) log(`${notAnsweringMessage(endpoint, causeOf(error))}; retrying in ${Math.round(backoff / 1000)} s.`);
    }
    try {
      await sleep(backoff, undefined, signal === undefined ? undefined : { signal });
    } catch {
      break;
    }
    backoff = Math.min(10_000, backoff * 2);
  }
  return false;
}
