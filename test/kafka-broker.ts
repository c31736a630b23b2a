// A real Apache Kafka broker for the tests (DESIGN.md §9): Kafka's jars resolved from Maven Central
// by test/kafka/pom.xml into ~/.cache/plexus-kafka/<version>/libs, one combined broker/controller
// KRaft node on free loopback ports, its data in a temp dir that stop() removes.
//
//   const brokers = await kafkaBrokers();   // KAFKA_BROKERS, or one broker for this process
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';

/** The Kafka release the tests run: the last 3.x line, as kafkajs predates 4.0 (docker-compose.yml agrees). */
export const KAFKA_VERSION = '3.9.2';

/** The Maven project that resolves the broker's jars. */
export const KAFKA_POM = fileURLToPath(new URL('kafka/pom.xml', import.meta.url));

const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;
const MARKER = '.plexus-complete';

/** What startKafkaBroker() accepts. */
export interface KafkaBrokerOptions {
  /** Progress lines (jar resolution, start time); silent when absent. */
  log?: (line: string) => void;
}

/** A running broker. */
export interface KafkaBroker {
  /** Bootstrap servers, `127.0.0.1:<port>`. */
  brokers: string;
  /** The version the broker logged at start (`Kafka version: …`). */
  version: string;
  /** Stops the JVM (TERM, then KILL after a grace period) and removes its temp dir. */
  stop(): Promise<void>;
}

/** ~/.cache/plexus-kafka/<version>/libs: where the broker's jars live (XDG_CACHE_HOME honoured). */
export function kafkaLibsDir(version = KAFKA_VERSION): string {
  const cache = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(cache, 'plexus-kafka', version, 'libs');
}

interface RunResult { code: number | null; output: string; error?: Error }

function run(command: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    child.on('error', (error) => resolve({ code: null, output, error }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function shellQuote(args: string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** Resolves Kafka's jars into the cache with Maven unless a completed copy is there; returns the libs dir. */
export async function ensureKafkaJars(options: KafkaBrokerOptions = {}): Promise<string> {
  const libs = kafkaLibsDir();
  // The marker holds the pom's hash: editing the pom (another binding, a pinned jar) re-resolves.
  const stamp = `${KAFKA_VERSION} ${createHash('sha256').update(readFileSync(KAFKA_POM)).digest('hex')}\n`;
  if (readText(join(libs, MARKER)) === stamp) return libs;
  const parent = join(libs, '..');
  mkdirSync(parent, { recursive: true });
  // Copy into a private dir and rename it into place, so a concurrent run never sees half a copy.
  const staging = mkdtempSync(join(parent, 'libs.tmp-'));
  const args = ['-q', '-B', '-f', KAFKA_POM, 'dependency:copy-dependencies', `-Dkafka.version=${KAFKA_VERSION}`, `-DoutputDirectory=${staging}`];
  options.log?.(`resolving Kafka ${KAFKA_VERSION} from Maven Central into ${libs}`);
  const started = Date.now();
  const result = await run('mvn', args);
  if (result.code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    const why = result.error ? `${result.error.message}${'code' in result.error && result.error.code === 'ENOENT' ? ' (install Maven: apt-get install maven)' : ''}` : `exit ${result.code}`;
    throw new Error(`Maven could not resolve Kafka ${KAFKA_VERSION}: \`mvn ${shellQuote(args)}\` failed (${why})\n${tail(result.output)}`);
  }
  if (!existsSync(join(staging, `kafka_2.13-${KAFKA_VERSION}.jar`))) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`Maven ran (\`mvn ${shellQuote(args)}\`) but kafka_2.13-${KAFKA_VERSION}.jar is not in ${staging}`);
  }
  writeFileSync(join(staging, MARKER), stamp);
  if (existsSync(libs)) {
    // An outdated or unfinished copy: move it aside first, as rename() does not replace a full dir.
    const old = `${staging}.old`;
    try {
      renameSync(libs, old);
    } catch {
      // Moved by a concurrent run.
    }
    rmSync(old, { recursive: true, force: true });
  }
  try {
    renameSync(staging, libs);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another process finished first; its copy is as good as ours.
    if (readText(join(libs, MARKER)) !== stamp) throw error;
  }
  options.log?.(`Kafka ${KAFKA_VERSION} jars resolved in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return libs;
}

async function freePorts(count: number): Promise<number[]> {
  // Held open together so the two ports differ; the JVM binds them a moment later.
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** A KRaft cluster id: 16 random bytes, base64url, as kafka.common.Uuid.randomUuid() makes them. */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    // Kafka rejects ids that would read as a command-line option.
    if (!id.startsWith('-')) return id;
  }
}

/** server.properties for one combined broker/controller node on loopback. */
export function serverProperties(dataDir: string, brokerPort: number, controllerPort: number): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=3',
    'auto.create.topics.enable=true',
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // One partition each instead of 50: the first consumer group and transaction are then ready
    // in well under a second on a small machine.
    'offsets.topic.num.partitions=1',
    'transaction.state.log.num.partitions=1',
    '',
  ].join('\n');
}

function log4jProperties(logFile: string): string {
  // Everything to a file in the temp dir (read for error messages), nothing on the console.
  return [
    'log4j.rootLogger=INFO, file',
    'log4j.appender.file=org.apache.log4j.FileAppender',
    `log4j.appender.file.File=${logFile}`,
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    '',
  ].join('\n');
}

function javaCommand(): string {
  const home = process.env['JAVA_HOME'];
  return home ? join(home, 'bin', 'java') : 'java';
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The version in the broker's `Kafka version: 3.9.2` start line, if logged. */
export function loggedKafkaVersion(serverLog: string): string | undefined {
  return /\bKafka version: (\S+)/.exec(serverLog)?.[1];
}

// Brokers of this process, killed at exit so none outlives it.
const live = new Map<ChildProcess, string>();
let cleanupInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function cleanupAllSync(): void {
  for (const [child, dir] of live) {
    killGroup(child, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  live.clear();
}

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', cleanupAllSync);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      cleanupAllSync();
      process.exit(code);
    });
  }
}

async function brokerAnswers(brokers: string): Promise<boolean> {
  const kafka = new Kafka({ clientId: 'plexus-test-probe', brokers: [brokers], logLevel: logLevel.NOTHING, connectionTimeout: 1000, retry: { retries: 0 } });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

// The first consumer group creates __consumer_offsets; doing it here spares every test's first
// group the wait and kafkajs's "group coordinator is not available" error lines.
async function warmGroupCoordinator(brokers: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'plexus-test-probe', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeGroups(['plexus-test-warmup']);
  } catch {
    // Only a warm-up: a broker that cannot do this fails the tests that need it, with their error.
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function startOnce(libs: string, options: KafkaBrokerOptions): Promise<KafkaBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-kafka-'));
  const started = Date.now();
  const [brokerPort, controllerPort] = await freePorts(2) as [number, number];
  const serverLog = join(dir, 'server.log');
  const outLog = join(dir, 'stdout.log');
  const props = join(dir, 'server.properties');
  const log4j = join(dir, 'log4j.properties');
  writeFileSync(props, serverProperties(join(dir, 'data'), brokerPort, controllerPort));
  writeFileSync(log4j, log4jProperties(serverLog));
  const jvm = ['-cp', join(libs, '*'), `-Dlog4j.configuration=file:${log4j}`, '-Djava.awt.headless=true'];
  const failure = (what: string): Error => {
    const logs = [tail(readText(outLog), 15), tail(readText(serverLog), 30)].filter(Boolean).join('\n');
    return new Error(`${what}\n${logs}`);
  };

  const format = await run(javaCommand(), [...jvm, 'kafka.tools.StorageTool', 'format', '-t', randomClusterId(), '-c', props]);
  if (format.code !== 0) {
    rmSync(dir, { recursive: true, force: true });
    const why = format.error ? `${format.error.message} (Kafka ${KAFKA_VERSION} needs Java 11+: apt-get install default-jre-headless)` : `exit ${format.code}`;
    throw new Error(`kafka.tools.StorageTool format failed (${why})\n${tail(format.output)}`);
  }

  const out = openSync(outLog, 'a');
  // detached: its own process group, so stop() can signal the JVM and anything it started, and a
  // Ctrl+C in the terminal reaches it only through our handlers.
  const child = spawn(javaCommand(), ['-Xmx512m', '-Xms64m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', ...jvm, 'kafka.Kafka', props], {
    detached: true, stdio: ['ignore', out, out],
  });
  closeSync(out);
  // The test process must be able to exit while the broker runs; the exit handler kills it.
  child.unref();
  live.set(child, dir);
  installCleanup();
  let spawnError: Error | undefined;
  child.once('error', (e) => { spawnError = e; });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        killGroup(child, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      live.delete(child);
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const brokers = `127.0.0.1:${brokerPort}`;
  const deadline = started + READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError) {
      await stop();
      throw new Error(`could not start ${javaCommand()}: ${spawnError.message} (Kafka ${KAFKA_VERSION} needs Java 11+: apt-get install default-jre-headless)`);
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      const error = failure(`the Kafka broker exited during start (${child.signalCode ?? `exit ${child.exitCode}`}); its log:`);
      await stop();
      throw error;
    }
    if (await brokerAnswers(brokers)) break;
    if (Date.now() > deadline) {
      const error = failure(`the Kafka broker on ${brokers} did not answer describeCluster within ${READY_TIMEOUT_MS / 1000} s; its log:`);
      await stop();
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await warmGroupCoordinator(brokers);
  // The broker logs its version as it finishes starting, around when it first answers.
  let version = loggedKafkaVersion(readText(serverLog));
  for (let i = 0; version === undefined && i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    version = loggedKafkaVersion(readText(serverLog));
  }
  if (version === undefined) {
    const error = failure(`the Kafka broker on ${brokers} answers but never logged "Kafka version: …"; its log:`);
    await stop();
    throw error;
  }
  options.log?.(`Kafka ${version} broker on ${brokers} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s, data in ${dir})`);
  return { brokers, version, stop };
}

/** Resolves the jars if needed, then starts one KRaft broker/controller node on free loopback ports. */
export async function startKafkaBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const libs = await ensureKafkaJars(options);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(libs, options);
    } catch (error) {
      // A free port can be taken between choosing it and the JVM binding it: choose again.
      if (attempt >= 3 || !/BindException|Address already in use/.test(String(error))) throw error;
      options.log?.(`Kafka broker port taken, retrying (${attempt})`);
    }
  }
}

let shared: Promise<KafkaBroker> | undefined;

/** KAFKA_BROKERS when set; otherwise one broker for this process (started on first call, stopped at exit). */
export async function kafkaBrokers(): Promise<string> {
  const fromEnv = process.env['KAFKA_BROKERS'];
  if (fromEnv) return fromEnv;
  shared ??= startKafkaBroker({ log: (line) => process.stderr.write(`# ${line}\n`) });
  return (await shared).brokers;
}

/**
 * The version of the broker kafkaBrokers() returns: KAFKA_BROKER_VERSION (test/run-tests.ts sets it
 * beside KAFKA_BROKERS) or this process's own broker's; undefined for a KAFKA_BROKERS given without one.
 */
export async function kafkaBrokerVersion(): Promise<string | undefined> {
  if (process.env['KAFKA_BROKERS']) return process.env['KAFKA_BROKER_VERSION'] || undefined;
  await kafkaBrokers();
  return (await shared)?.version;
}

/** A kafkajs client for tests on the test broker, quiet unless something fails. */
export async function testKafka(clientId = 'plexus-test'): Promise<{ brokers: string; kafka: Kafka; createTopic(topic: string, partitions: number): Promise<void> }> {
  const brokers = await kafkaBrokers();
  const kafka = new Kafka({ clientId, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  return {
    brokers,
    kafka,
    async createTopic(topic, partitions) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
      } finally {
        await admin.disconnect();
      }
    },
  };
}
