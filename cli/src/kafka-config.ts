import { z } from 'zod';

/** Kafka sources, resolved: enabled when `brokers` is not empty. */
export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  groupId: string;
  ssl: boolean;
  sasl: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string } | undefined;
  /** Topics the OpenTelemetry Collector's Kafka exporter writes spans to, and their encoding. */
  otlp: { topics: string[]; encoding: 'otlp_proto' | 'otlp_json' };
  /** Event topics: exact names, or regular expressions written `/…/`. */
  events: { topics: Array<string | RegExp>; producerHeader: string; storePayload: boolean; maxPayloadBytes: number };
  /** How often topics, consumer groups and offsets are polled for lag. */
  topology: { intervalSeconds: number };
}

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

/** The `kafka` section of plexus.yaml. */
export const kafkaSchema = z.strictObject({
  brokers: z.array(z.string().min(1)).optional(),
  clientId: z.string().min(1).optional(),
  groupId: z.string().min(1).optional(),
  ssl: z.boolean().optional(),
  sasl: z.strictObject({
    mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
    username: z.string().min(1),
    // The password comes from the environment, never from the file.
    passwordEnv: envName,
  }).optional(),
  otlp: z.strictObject({
    topics: z.array(z.string().min(1)).optional(),
    encoding: z.enum(['otlp_proto', 'otlp_json']).optional(),
  }).optional(),
  events: z.strictObject({
    topics: z.array(z.string().min(1)).optional(),
    producerHeader: z.string().min(1).optional(),
    storePayload: z.boolean().optional(),
    maxPayloadBytes: z.coerce.number().int().positive().max(1024 * 1024).optional(),
  }).optional(),
  topology: z.strictObject({ intervalSeconds: z.coerce.number().int().min(5).optional() }).optional(),
});

/** A topic pattern: `/regex/` becomes a RegExp (anchored as written), anything else an exact name. */
export function topicPattern(spec: string): string | RegExp {
  const m = /^\/(.+)\/([a-z]*)$/.exec(spec);
  return m ? new RegExp(m[1]!, m[2]) : spec;
}

const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

/** Resolves the section and `KAFKA_BROKERS` / `PLEXUS_KAFKA_EVENT_TOPICS`; problems are appended to `errors`. */
export function resolveKafka(section: z.infer<typeof kafkaSchema> | undefined, env: NodeJS.ProcessEnv, source: string, errors: string[]): KafkaConfig | undefined {
  const brokers = env.KAFKA_BROKERS ? list(env.KAFKA_BROKERS) : (section?.brokers ?? []);
  const eventSpecs = env.PLEXUS_KAFKA_EVENT_TOPICS !== undefined && env.PLEXUS_KAFKA_EVENT_TOPICS !== '' ? list(env.PLEXUS_KAFKA_EVENT_TOPICS) : (section?.events?.topics ?? []);
  const topics: Array<string | RegExp> = [];
  eventSpecs.forEach((spec, i) => {
    try {
      topics.push(topicPattern(spec));
    } catch (err) {
      errors.push(`${source} kafka.events.topics.${i}: ${JSON.stringify(spec)} is not a valid regular expression (${(err as Error).message})`);
    }
  });
  for (const b of brokers) if (!/^[^\s:]+:\d{1,5}$/.test(b)) errors.push(`KAFKA_BROKERS / kafka.brokers: ${JSON.stringify(b)} is not host:port`);
  let sasl: KafkaConfig['sasl'];
  if (section?.sasl) {
    const password = env[section.sasl.passwordEnv];
    if (!password) errors.push(`${source} kafka.sasl.passwordEnv: environment variable ${section.sasl.passwordEnv} is not set`);
    sasl = { mechanism: section.sasl.mechanism, username: section.sasl.username, password: password ?? '' };
  }
  if (brokers.length === 0) return undefined;
  return {
    brokers,
    clientId: section?.clientId ?? 'plexus',
    groupId: section?.groupId ?? 'plexus',
    ssl: section?.ssl ?? false,
    sasl,
    otlp: { topics: section?.otlp?.topics ?? ['otlp_spans'], encoding: section?.otlp?.encoding ?? 'otlp_proto' },
    events: { topics, producerHeader: section?.events?.producerHeader ?? 'producer', storePayload: section?.events?.storePayload ?? false, maxPayloadBytes: section?.events?.maxPayloadBytes ?? 16 * 1024 },
    topology: { intervalSeconds: section?.topology?.intervalSeconds ?? 30 },
  };
}
