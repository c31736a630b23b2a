// Waiting for something asynchronous (a consumer, a background job) to reach
// a state, with the last value in the error when it never does.

/** Reads `get` every 250 ms until `done` holds, for at most `ms`; throws naming `what` and the last value. */
export async function until<T>(what: string, get: () => Promise<T>, done: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
