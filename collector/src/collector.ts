import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Store } from '@plexus/store';
import { createDecodePool } from './pipeline/decode-pool.ts';
import { BodySlots } from './receivers/body-slots.ts';
import type { WritePipeline, WritePipelineOptions } from './pipeline/write-pipeline.ts';
import { tablePipeline } from './pipeline/table-pipeline.ts';
import { createGatewayIngestHandler, INGEST_PREFIX } from './receivers/gateway-ingest.ts';
import { API_CALLS_COLUMNS } from './sources/gateway-logs/encode-tsv.ts';
import type { GatewayFormat } from './sources/gateway-logs/api-call.ts';
import type { GatewayParseOptions } from './sources/gateway-logs/parse-gateway-log.ts';
import { startMeshScraper, type MeshTarget, type MeshTargetStatus } from './receivers/mesh/scraper.ts';
import { encodeMeshEdgeRow, encodeMeshTargetRow, SOURCE_EDGES_COLUMNS, MESH_TARGETS_COLUMNS } from './sources/mesh-metrics/encode-tsv.ts';
import { createOtlpTracesHandler, cors, type Authorize } from './receivers/otlp-http.ts';
import { createZipkinServer } from './receivers/zipkin-http.ts';
import type { NamingRule } from './sources/naming.ts';
import { OTEL_TRACES_COLUMNS } from './spans/encode-tsv.ts';
import type { SpanLimits } from './spans/span-record.ts';
import type { BodyLimits } from './receivers/read-body.ts';
import { EdgeJob, type EdgeJobOptions } from './edges/edge-job.ts';
import { createKafka, type KafkaConnection } from './receivers/kafka/kafka-client.ts';
import { startOtlpKafkaConsumer } from './receivers/kafka/otlp-consumer.ts';
import { startEventsKafkaConsumer } from './receivers/kafka/events-consumer.ts';
import { startTopologyPoller } from './receivers/kafka/topology.ts';
import type { ParseEventOptions } from './sources/kafka-events/event-row.ts';
import { deadLetterRow } from './sources/kafka-events/dead-letter.ts';
import { encodeDeadLetterRow, KAFKA_DEAD_LETTERS_COLUMNS } from './sources/kafka-events/encode-tsv.ts';
import type { KafkaMessage as KafkaRecord } from './sources/kafka-events/message.ts';

export interface CollectorOptions {
  store: Store;
  host: string;
  otlpHttpPort: number;
  /** Port of the Zipkin v2 receiver (`POST /api/v2/spans`); absent: no Zipkin listener. */
  zipkinPort?: number | undefined;
  /** How Zipkin endpoint names become service names; absent: the default rule. */
  naming?: NamingRule | undefined;
  limits: SpanLimits & BodyLimits;
  pipeline: WritePipelineOptions;
  /** Decode worker threads; default: one per core but one. */
  decodeThreads?: number | undefined;
  corsOrigins: readonly string[];
  retryAfterSeconds: number;
  edgeJob: Partial<EdgeJobOptions>;
  /** Kafka sources (OTLP topics); absent when no brokers are configured. */
  kafka?: KafkaSources | undefined;
  /** Gateway access logs (`POST /ingest/{format}`): parse options per format over the naming rule. */
  gateways?: { parse: (format: GatewayFormat) => GatewayParseOptions } | undefined;
  /** Mesh metrics pulled on an interval; absent or no targets: none. */
  mesh?: { targets: MeshTarget[]; intervalSeconds: number } | undefined;
  /** Token check for ingest requests; absent means ingest is open. */
  authorize?: Authorize | undefined;
  log: (msg: string, err?: unknown) => void;
}

/** The Kafka part of the collector's options. */
export interface KafkaSources {
  connection: KafkaConnection;
  groupId: string;
  otlp: { topics: string[]; encoding: 'otlp_proto' | 'otlp_json' };
  /** Event topics (names or patterns) and how their records are read; none: no event consumer. */
  events: { topics: Array<string | RegExp>; parse: ParseEventOptions };
  /** Bytes of a rejected message kept in kafka_dead_letters. */
  maxDeadLetterBytes?: number;
  /** How often topics, groups and offsets are read into the lag tables; 0: never. */
  topologyIntervalSeconds: number;
}

/** A running collector: receivers listening, pipeline writing, edge job recomputing. */
export interface Collector {
  readonly otlpHttpPort: number;
  /** The bound Zipkin port; undefined when no Zipkin listener was asked for. */
  readonly zipkinPort: number | undefined;
  readonly pipeline: WritePipeline;
  /** The api_calls write queue (gateway access logs). */
  readonly apiCalls: WritePipeline;
  /** Answers `POST /ingest/{format}` (gateway access logs), so another listener (the main port) can route it here. */
  handleGatewayIngest(req: IncomingMessage, res: ServerResponse, format: string): Promise<void>;
  readonly edgeJob: EdgeJob;
  /** How each mesh metrics target is doing; empty without targets. */
  meshTargets(): MeshTargetStatus[];
  /** Reads every mesh target now and writes what changed (tests; an admin "refresh"). */
  scrapeMesh(): Promise<void>;
  /** Reads the Kafka cluster's topology and lag now (tests; an admin "refresh"); resolves at once without Kafka. */
  pollKafkaTopology(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Rows an api_calls insert gathers while the writer is busy. An insert costs
 * about 16 ms of CPU whatever its size, plus merges that grow with the number
 * of parts, so bigger inserts are cheaper per row; but a sender that waits for
 * its acknowledgement (a log shipper) waits for the batch to fill. With four
 * 10,000-line Kong bodies in flight on 2 cores (measured with two decode
 * threads): 30,000 gave 83k lines/s (the writer idle a third of the time,
 * waiting for a third body), 20,000 gave 97k, 15,000 and 10,000 about 95k
 * (more CPU per row).
 */
export const API_CALLS_MIN_BATCH_ROWS = 20_000;

/** Gateway bodies up to this size are read into reusable shared memory (BodySlots). */
const GATEWAY_SLOT_MAX_BYTES = 16 * 1024 * 1024;

/** Starts every receiver and the write pipeline behind them. */
export async function startCollector(opts: CollectorOptions): Promise<Collector> {
  const pool = createDecodePool({ threads: opts.decodeThreads });
  const pipeline = tablePipeline(opts.store, 'otel_traces', OTEL_TRACES_COLUMNS, opts.pipeline, opts.log);
  // Gateways send many bodies in parallel, so rows are gathered into larger
  // inserts (API_CALLS_MIN_BATCH_ROWS), but only while more bodies are being
  // read or parsed: a lone request is written at once (about 200 ms sooner
  // for a 10,000-line body than waiting out maxBatchDelayMs).
  const apiCalls = tablePipeline(opts.store, 'api_calls', API_CALLS_COLUMNS, { ...opts.pipeline, minBatchRows: Math.max(opts.pipeline.minBatchRows, API_CALLS_MIN_BATCH_ROWS), waitOnlyForExpected: true }, opts.log);
  // Bodies being read or parsed (a few senders' worth); more, or larger, are read into fresh memory.
  const slots = new BodySlots(Math.min(GATEWAY_SLOT_MAX_BYTES, Math.max(opts.limits.maxBodyBytes, opts.limits.maxDecompressedBytes)), Math.max(4, 2 * pool.threads));
  const gatewayLogs = createGatewayIngestHandler({
    pool, slots, pipeline: apiCalls, limits: opts.limits, retryAfterSeconds: opts.retryAfterSeconds, authorize: opts.authorize, log: opts.log,
    parse: (format) => ({ ...(opts.naming ? { naming: opts.naming } : {}), ...opts.gateways?.parse(format) }),
  });
  const mesh = opts.mesh && opts.mesh.targets.length > 0 ? startMeshScraper({
    targets: opts.mesh.targets, intervalSeconds: opts.mesh.intervalSeconds, ...(opts.naming ? { naming: opts.naming } : {}), log: opts.log,
    write: async (rows) => {
      if (rows.length > 0) await opts.store.insertTsv('source_edges', SOURCE_EDGES_COLUMNS, Buffer.from(rows.map(encodeMeshEdgeRow).join('')));
    },
    onRound: async (status) => {
      const at = Date.now();
      await opts.store.insertTsv('mesh_targets', MESH_TARGETS_COLUMNS, Buffer.from(status.map((t, i) => encodeMeshTargetRow(t, opts.mesh!.targets[i]!.mesh, at)).join('')));
    },
  }) : undefined;

  const traces = createOtlpTracesHandler({ pool, pipeline, limits: opts.limits, corsOrigins: opts.corsOrigins, retryAfterSeconds: opts.retryAfterSeconds, authorize: opts.authorize, log: opts.log });
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'OPTIONS' && cors(req, res, opts.corsOrigins)) return;
    if (path === '/v1/traces' && req.method === 'POST') return void traces(req, res);
    if (path?.startsWith(INGEST_PREFIX) && req.method === 'POST') return void gatewayLogs(req, res, path.slice(INGEST_PREFIX.length));
    const allowed = path === '/v1/traces' || path?.startsWith(INGEST_PREFIX) ? 'POST' : undefined;
    res.writeHead(allowed ? 405 : 404, { 'Content-Type': 'application/json', ...(allowed ? { Allow: allowed } : {}) });
    res.end(JSON.stringify({ code: 5, message: allowed ? `use ${allowed} ${path}` : `no receiver at ${path}; OTLP/HTTP traces go to POST /v1/traces, gateway access logs to POST ${INGEST_PREFIX}{format}` }));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.otlpHttpPort, opts.host, () => resolve());
  });
  const zipkin = opts.zipkinPort === undefined ? undefined : createZipkinServer({
    pool, pipeline, limits: opts.limits, corsOrigins: opts.corsOrigins, retryAfterSeconds: opts.retryAfterSeconds, authorize: opts.authorize, naming: opts.naming, log: opts.log,
  });
  if (zipkin) {
    try {
      await new Promise<void>((resolve, reject) => {
        zipkin.once('error', reject);
        zipkin.listen(opts.zipkinPort, opts.host, () => resolve());
      });
    } catch (err) {
      server.close();
      await pool.close();
      throw err;
    }
  }

  const edgeJob = new EdgeJob(opts.store, { ...opts.edgeJob, onError: (err) => opts.log('edge recompute pass failed', err) });
  edgeJob.start();

  // Kafka starts in the background: a broker that is down must not keep HTTP ingest from starting.
  let kafkaStop: (() => Promise<void>) | undefined;
  let kafkaClosed = false;
  let kafkaTopology: { pollNow(): Promise<void> } | undefined;
  // A broker that is down, or a topic that does not exist yet, is retried until it works or Plexus stops.
  let kafkaRetry: NodeJS.Timeout | undefined;
  const startKafkaRetrying = (k: KafkaSources): Promise<void> => startKafka(k).catch(async (err) => {
    opts.log('Kafka sources could not start; retrying in 10 s', err);
    await kafkaStop?.().catch(() => {});
    kafkaStop = undefined;
    if (kafkaClosed) return;
    await new Promise<void>((resolve) => {
      kafkaRetry = setTimeout(resolve, 10_000);
      kafkaRetry.unref();
    });
    if (!kafkaClosed) await startKafkaRetrying(k);
  });
  const kafkaStarted = opts.kafka ? startKafkaRetrying(opts.kafka) : Promise.resolve();
  async function startKafka(k: KafkaSources): Promise<void> {
    const kafka = createKafka(k.connection, (line) => opts.log(line));
    const deadLetter = async (record: KafkaRecord, reason: string) => {
      const row = encodeDeadLetterRow(deadLetterRow(record, reason, Date.now(), k.maxDeadLetterBytes ?? 16 * 1024));
      await opts.store.insertTsv('kafka_dead_letters', KAFKA_DEAD_LETTERS_COLUMNS, Buffer.from(row));
      opts.log(`kafka dead letter: ${reason}`);
    };
    // One group per kind of source: members of a group must subscribe to the same topics.
    const stops: Array<() => Promise<void>> = [];
    kafkaStop = async () => {
      for (const stop of stops) await stop();
    };
    if (k.otlp.topics.length > 0) {
      const otlp = await startOtlpKafkaConsumer({ kafka, groupId: `${k.groupId}-otlp`, topics: k.otlp.topics, encoding: k.otlp.encoding, pool, store: opts.store, limits: opts.limits, deadLetter, log: opts.log });
      stops.push(() => otlp.stop());
      opts.log(`Kafka: OTLP spans from ${k.otlp.topics.join(', ')} (group ${k.groupId}-otlp)`);
    }
    if (k.events.topics.length > 0 && !kafkaClosed) {
      const events = await startEventsKafkaConsumer({ kafka, groupId: `${k.groupId}-events`, topics: k.events.topics, store: opts.store, parse: k.events.parse, deadLetter, log: opts.log });
      stops.push(() => events.stop());
      opts.log(`Kafka: events from ${k.events.topics.map(String).join(', ')} (group ${k.groupId}-events)`);
    }
    if (k.topologyIntervalSeconds > 0 && !kafkaClosed) {
      const topology = startTopologyPoller({ kafka, store: opts.store, intervalSeconds: k.topologyIntervalSeconds, log: opts.log });
      kafkaTopology = topology;
      stops.push(() => topology.stop());
    }
    if (kafkaClosed) await kafkaStop();
  }

  return {
    otlpHttpPort: (server.address() as AddressInfo).port,
    zipkinPort: zipkin ? (zipkin.address() as AddressInfo).port : undefined,
    pipeline,
    apiCalls,
    handleGatewayIngest: gatewayLogs,
    edgeJob,
    meshTargets: () => mesh?.status() ?? [],
    scrapeMesh: async () => {
      await mesh?.scrapeNow();
    },
    async pollKafkaTopology() {
      await kafkaStarted;
      await kafkaTopology?.pollNow();
    },
    async close() {
      // Finish requests in flight (their spans are acknowledged only once written), then cut idle keep-alives.
      const servers = zipkin ? [server, zipkin] : [server];
      const closed = Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      for (const s of servers) s.closeIdleConnections();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 5000).unref())]);
      for (const s of servers) s.closeAllConnections();
      kafkaClosed = true;
      clearTimeout(kafkaRetry);
      await Promise.race([kafkaStarted, new Promise((r) => setTimeout(r, 100))]);
      await kafkaStop?.();
      await mesh?.stop();
      await pipeline.drain();
      await apiCalls.drain();
      await edgeJob.stop();
      await pool.close();
    },
  };
}
