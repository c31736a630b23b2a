// `npm test`: every *.test.ts in the workspaces through Node's test runner,
// each file in its own process (chDB binds one data directory per process).
// One real Kafka broker serves them all (KAFKA_BROKERS in their env) unless KAFKA_BROKERS is set.
import { spawn } from 'node:child_process';
import { globSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKafkaBroker, type KafkaBroker } from './kafka-broker.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const patterns = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [
  '{store,collector,catalog,query-api,cli,test,bench}/**/*.test.ts',
  'ui/src/**/*.test.ts',
];
const files = patterns.flatMap((p) => globSync(p, { cwd: root, exclude: (f) => f.includes('node_modules') })).sort();
const summaryFile = join(mkdtempSync(join(tmpdir(), 'plexus-tests-')), 'summary.json');

// Started only when a selected file mentions Kafka, so `npm test -- store/**` does not wait for a JVM;
// a file that needs one without saying so still gets its own from kafkaBrokers().
const env = { ...process.env };
let broker: KafkaBroker | undefined;
let brokerFailure: string | undefined;
const ci = process.env['CI'] === 'true';
if (!env['KAFKA_BROKERS'] && files.some((f) => /kafka/i.test(readFileSync(join(root, f), 'utf8')))) {
  try {
    broker = await startKafkaBroker({ log: (line) => console.log(`# ${line}`) });
    env['KAFKA_BROKERS'] = broker.brokers;
    env['KAFKA_BROKER_VERSION'] = broker.version;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (ci) {
      // DESIGN.md §9: under CI a missing broker is a failure, never a skip.
      brokerFailure = why.split('\n')[0];
      console.error(`the Kafka test broker could not start (CI=true: counted as a failure):\n${why}`);
    } else {
      console.error(`warning: the Kafka test broker could not start; tests that need Kafka start their own or fail:\n${why}`);
    }
  }
}

const child = spawn(process.execPath, [
  '--test',
  '--test-timeout=600000',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  `--test-reporter=${join(root, 'test/summary-reporter.ts')}`, `--test-reporter-destination=${summaryFile}`,
  ...files,
], { cwd: root, stdio: 'inherit', env });

child.on('exit', async (code, signal) => {
  await broker?.stop();
  let counts = { passed: 0, failed: 1, skipped: 0 };
  try {
    counts = JSON.parse(readFileSync(summaryFile, 'utf8')) as typeof counts;
  } catch {
    console.error(`test runner ended without a summary (${signal ?? `exit ${code}`})`);
  }
  if (brokerFailure) console.error(`the Kafka test broker could not start: ${brokerFailure}`);
  const failed = counts.failed + (code !== 0 && counts.failed === 0 ? 1 : 0) + (brokerFailure ? 1 : 0);
  console.log(`${counts.passed} passed, ${failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
  process.exit(failed > 0 ? 1 : 0);
});
