import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { authSchema, adminTokenEnv, resolveAuthTokens, type AuthToken } from './auth-config.ts';
import { kafkaSchema, resolveKafka, type KafkaConfig } from './kafka-config.ts';
import { sourcesSchema, sourcesEnv, resolveSources, type SourcesConfig } from './sources-config.ts';

const port = z.coerce.number().int().min(0).max(65535);
const positive = z.coerce.number().int().positive();
// TTLs are computed in DateTime, which ends in 2106: longer retention would wrap and expire everything.
const retentionDays = positive.max(3650);
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the name of an environment variable');

/** plexus.yaml, every section optional; unknown keys are errors (a typo must not be ignored). */
const fileSchema = z.strictObject({
  server: z.strictObject({ host: z.string().optional(), port: port.optional() }).optional(),
  otlp: z.strictObject({
    httpPort: port.optional(),
    cors: z.strictObject({ allowedOrigins: z.array(z.string()).optional() }).optional(),
  }).optional(),
  storage: z.strictObject({
    dataDir: z.string().optional(),
    retentionDays: retentionDays.optional(),
    maxQueryMemoryBytes: positive.optional(),
    clickhouse: z.strictObject({ url: z.url().optional(), user: z.string().optional(), password: z.string().optional(), database: z.string().optional() }).optional(),
  }).optional(),
  limits: z.strictObject({
    maxBodyBytes: positive.optional(),
    maxDecompressedBytes: positive.optional(),
    maxAttributesPerSpan: positive.optional(),
    maxAttributeValueLength: positive.optional(),
    maxSpansPerRequest: positive.optional(),
  }).optional(),
  pipeline: z.strictObject({
    maxQueueRows: positive.optional(),
    maxBatchRows: positive.optional(),
    maxBatchDelayMs: positive.optional(),
    minBatchRows: positive.optional(),
    decodeThreads: positive.optional(),
    retryAfterSeconds: positive.optional(),
  }).optional(),
  catalog: z.strictObject({
    locations: z.array(z.string().min(1)).optional(),
    allowedHosts: z.array(z.string().min(1)).optional(),
    refreshIntervalSeconds: z.coerce.number().int().min(0).optional(),
    kong: z.array(z.strictObject({ adminUrl: z.url(), workspace: z.string().min(1).optional(), tokenEnv: envName.optional() })).optional(),
  }).optional(),
  edges: z.strictObject({ intervalMs: positive.optional(), lagMs: z.coerce.number().int().min(0).optional(), maxCoreShare: z.coerce.number().gt(0).max(1).optional(), maxSpansPerStatement: positive.optional() }).optional(),
  auth: authSchema.optional(),
  kafka: kafkaSchema.optional(),
  ...sourcesSchema,
});

/** Environment variables (DESIGN.md §4); they override the file. */
const envSchema = z.object({
  PLEXUS_HOST: z.string().optional(),
  PLEXUS_PORT: port.optional(),
  PLEXUS_OTLP_HTTP_PORT: port.optional(),
  PLEXUS_DATA_DIR: z.string().optional(),
  PLEXUS_RETENTION_DAYS: retentionDays.optional(),
  CLICKHOUSE_URL: z.url().optional(),
  CLICKHOUSE_USER: z.string().optional(),
  CLICKHOUSE_PASSWORD: z.string().optional(),
  CLICKHOUSE_DATABASE: z.string().optional(),
  PLEXUS_ADMIN_TOKEN: adminTokenEnv.optional(),
  PLEXUS_CATALOG_LOCATIONS: z.string().optional(),
  KAFKA_BROKERS: z.string().optional(),
  PLEXUS_KAFKA_EVENT_TOPICS: z.string().optional(),
  ...sourcesEnv,
});

/** The resolved configuration every part of Plexus starts from. */
export interface PlexusConfig {
  host: string;
  port: number;
  otlpHttpPort: number;
  corsOrigins: string[];
  dataDir: string;
  retentionDays: number;
  maxQueryMemoryBytes: number | undefined;
  clickhouse: { url: string | undefined; user: string | undefined; password: string | undefined; database: string | undefined };
  limits: { maxBodyBytes: number; maxDecompressedBytes: number; maxAttributesPerSpan: number; maxAttributeValueLength: number; maxSpansPerRequest: number };
  pipeline: { maxQueueRows: number; maxBatchRows: number; maxBatchDelayMs: number; minBatchRows: number; decodeThreads: number | undefined; retryAfterSeconds: number };
  edges: { intervalMs: number | undefined; lagMs: number | undefined; maxCoreShare: number | undefined; maxSpansPerStatement: number | undefined };
  /** Bearer tokens by hash; none configured means auth is off. */
  auth: { tokens: AuthToken[] };
  /** Catalog sources read at start and every `refreshIntervalSeconds` (0: at start only); locations are absolute paths or globs. */
  catalog: { locations: string[]; allowedHosts: string[]; refreshIntervalSeconds: number; kong: Array<{ adminUrl: string; workspace: string | undefined; token: string | undefined }> };
  /** Kafka sources; undefined when no brokers are configured. */
  kafka: KafkaConfig | undefined;
  /** Zipkin, gateway access logs, mesh metrics, and the naming rule they share. */
  sources: SourcesConfig;
}

/** Invalid configuration; the message lists every problem found. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const MiB = 1024 * 1024;

function issues(source: string, error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const path = i.path.join('.');
    const keys = 'keys' in i && Array.isArray(i.keys) ? ` (${i.keys.join(', ')})` : '';
    return `${source}${path ? ` ${path}` : ''}: ${i.message}${keys}`;
  });
}

/** Reads plexus.yaml (if any) and the environment; throws ConfigError naming every invalid key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): PlexusConfig {
  const errors: string[] = [];
  const path = env.PLEXUS_CONFIG ? resolve(cwd, env.PLEXUS_CONFIG) : resolve(cwd, 'plexus.yaml');
  let file: z.infer<typeof fileSchema> = {};
  if (existsSync(path)) {
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(path, 'utf8')) ?? {};
    } catch (err) {
      errors.push(`${path}: not valid YAML: ${(err as Error).message}`);
    }
    const parsed = fileSchema.safeParse(doc ?? {});
    if (parsed.success) file = parsed.data;
    else errors.push(...issues(path, parsed.error));
  } else if (env.PLEXUS_CONFIG) {
    errors.push(`PLEXUS_CONFIG: no file at ${path}`);
  }
  const envParsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!envParsed.success) errors.push(...issues('environment', envParsed.error));
  const auth = resolveAuthTokens(file.auth, env, envParsed.data?.PLEXUS_ADMIN_TOKEN, path);
  errors.push(...auth.errors);
  // The file names the variable holding a Kong token, never the token: a missing one is a config error now, not a 401 later.
  (file.catalog?.kong ?? []).forEach((k, i) => {
    if (k.tokenEnv && !env[k.tokenEnv]) errors.push(`${path} catalog.kong.${i}.tokenEnv: environment variable ${k.tokenEnv} is not set`);
  });
  const kafka = resolveKafka(file.kafka, env, path, errors);
  if (errors.length > 0) throw new ConfigError(`invalid configuration:\n  - ${errors.join('\n  - ')}`);
  const e = envParsed.data!;
  return {
    host: e.PLEXUS_HOST ?? file.server?.host ?? '127.0.0.1',
    port: e.PLEXUS_PORT ?? file.server?.port ?? 8080,
    otlpHttpPort: e.PLEXUS_OTLP_HTTP_PORT ?? file.otlp?.httpPort ?? 4318,
    corsOrigins: file.otlp?.cors?.allowedOrigins ?? [],
    dataDir: resolve(cwd, e.PLEXUS_DATA_DIR ?? file.storage?.dataDir ?? './data'),
    retentionDays: e.PLEXUS_RETENTION_DAYS ?? file.storage?.retentionDays ?? 7,
    maxQueryMemoryBytes: file.storage?.maxQueryMemoryBytes,
    clickhouse: {
      url: e.CLICKHOUSE_URL ?? file.storage?.clickhouse?.url,
      user: e.CLICKHOUSE_USER ?? file.storage?.clickhouse?.user,
      password: e.CLICKHOUSE_PASSWORD ?? file.storage?.clickhouse?.password,
      database: e.CLICKHOUSE_DATABASE ?? file.storage?.clickhouse?.database,
    },
    limits: {
      maxBodyBytes: file.limits?.maxBodyBytes ?? 16 * MiB,
      maxDecompressedBytes: file.limits?.maxDecompressedBytes ?? 16 * MiB,
      maxAttributesPerSpan: file.limits?.maxAttributesPerSpan ?? 128,
      maxAttributeValueLength: file.limits?.maxAttributeValueLength ?? 8192,
      maxSpansPerRequest: file.limits?.maxSpansPerRequest ?? 100_000,
    },
    pipeline: {
      maxQueueRows: file.pipeline?.maxQueueRows ?? 500_000,
      maxBatchRows: file.pipeline?.maxBatchRows ?? 100_000,
      maxBatchDelayMs: file.pipeline?.maxBatchDelayMs ?? 200,
      minBatchRows: file.pipeline?.minBatchRows ?? 1000,
      decodeThreads: file.pipeline?.decodeThreads,
      retryAfterSeconds: file.pipeline?.retryAfterSeconds ?? 2,
    },
    edges: { intervalMs: file.edges?.intervalMs, lagMs: file.edges?.lagMs, maxCoreShare: file.edges?.maxCoreShare, maxSpansPerStatement: file.edges?.maxSpansPerStatement },
    auth: { tokens: auth.tokens },
    catalog: {
      // File locations are relative to the file (it travels with its catalog); the variable's, like every path in the environment, to the working directory.
      locations: e.PLEXUS_CATALOG_LOCATIONS !== undefined
        ? e.PLEXUS_CATALOG_LOCATIONS.split(',').map((l) => l.trim()).filter((l) => l !== '').map((l) => resolve(cwd, l))
        : (file.catalog?.locations ?? []).map((l) => resolve(dirname(path), l)),
      allowedHosts: file.catalog?.allowedHosts ?? [],
      refreshIntervalSeconds: file.catalog?.refreshIntervalSeconds ?? 300,
      kong: (file.catalog?.kong ?? []).map((k) => ({ adminUrl: k.adminUrl, workspace: k.workspace, token: k.tokenEnv ? env[k.tokenEnv] : undefined })),
    },
    kafka,
    sources: resolveSources(file, e),
  };
}
