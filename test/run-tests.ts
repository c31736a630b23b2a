// `npm test`: every *.test.ts in the workspaces through Node's test runner,
// each file in its own process (chDB binds one data directory per process).
import { spawn } from 'node:child_process';
import { globSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const patterns = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [
  '{store,collector,catalog,query-api,cli,test,bench}/**/*.test.ts',
  'ui/src/**/*.test.ts',
];
const files = patterns.flatMap((p) => globSync(p, { cwd: root, exclude: (f) => f.includes('node_modules') })).sort();
const summaryFile = join(mkdtempSync(join(tmpdir(), 'plexus-tests-')), 'summary.json');

const child = spawn(process.execPath, [
  '--test',
  '--test-timeout=600000',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  `--test-reporter=${join(root, 'test/summary-reporter.ts')}`, `--test-reporter-destination=${summaryFile}`,
  ...files,
], { cwd: root, stdio: 'inherit' });

child.on('exit', (code, signal) => {
  let counts = { passed: 0, failed: 1, skipped: 0 };
  try {
    counts = JSON.parse(readFileSync(summaryFile, 'utf8')) as typeof counts;
  } catch {
    console.error(`test runner ended without a summary (${signal ?? `exit ${code}`})`);
  }
  const failed = counts.failed + (code !== 0 && counts.failed === 0 ? 1 : 0);
  console.log(`${counts.passed} passed, ${failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
  process.exit(failed > 0 ? 1 : 0);
});
