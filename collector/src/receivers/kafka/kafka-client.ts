import { Kafka, logLevel, type KafkaConfig as KafkaJsConfig, type LogEntry, type SASLOptions } from 'kafkajs';

/** What Plexus needs to reach a Kafka cluster (cli/src/kafka-config.ts resolves it). */
export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  sasl: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string } | undefined;
}

// kafkajs levels, mapped to one line in Plexus's log; debug noise is dropped.
const LEVEL_NAMES: Record<number, string> = { [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info' };

/** A kafkajs client whose log lines go to Plexus's log (warnings and errors only). */
export function createKafka(c: KafkaConnection, log: (msg: string) => void): Kafka {
  const config: KafkaJsConfig = {
    clientId: c.clientId,
    brokers: c.brokers,
    ssl: c.ssl,
    connectionTimeout: 10_000,
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, level, log: entry }: LogEntry) => {
      log(`kafka ${LEVEL_NAMES[level] ?? 'debug'} [${namespace}] ${entry.message}${entry.error ? `: ${String(entry.error)}` : ''}`);
    },
  };
  if (c.sasl) config.sasl = { mechanism: c.sasl.mechanism, username: c.sasl.username, password: c.sasl.password } as SASLOptions;
  return new Kafka(config);
}
