// Resolves the test broker's Kafka jars from Maven Central into the cache (.ci/run calls this
// before `npm test`, so a Maven failure is reported on its own). Exit 1 with Maven's output tail.
//
//   node test/kafka-fetch.ts
import { ensureKafkaJars, KAFKA_VERSION } from './kafka-broker.ts';

try {
  const libs = await ensureKafkaJars({ log: (line) => console.log(line) });
  console.log(`Kafka ${KAFKA_VERSION} jars in ${libs}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
