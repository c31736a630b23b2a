/** Retries a failed insert (ClickHouse restarting, say) without committing, keeping the group session alive. */
export async function writeWithRetry(what: string, write: () => Promise<void>, heartbeat: () => Promise<void>, log: (msg: string, err?: unknown) => void): Promise<void> {
  let wait = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (attempt >= 8) throw err;
      log(`${what} failed (attempt ${attempt}); retrying in ${wait} ms`, err);
      await new Promise((r) => setTimeout(r, wait));
      await heartbeat();
      wait = Math.min(5000, wait * 2);
    }
  }
}
