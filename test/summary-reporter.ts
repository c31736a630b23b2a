// A node:test reporter that tallies leaf tests and writes "N passed, N failed"
// (plus skipped) so the runner can print it as the very last line.
import type { TestEvent } from 'node:test/reporters';

/** Counts passed, failed and skipped tests (suites excluded). */
export default async function* summary(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const data = event.data as { details: { type?: string }; skip?: unknown; todo?: unknown };
    if (data.details.type === 'suite') continue;
    if (data.skip || data.todo) skipped++;
    else if (event.type === 'test:pass') passed++;
    else failed++;
  }
  yield JSON.stringify({ passed, failed, skipped }) + '\n';
}
