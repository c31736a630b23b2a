// Turns the landscape tables into spans: one request at the gateway becomes a tree of SERVER,
// CLIENT, PRODUCER and CONSUMER spans with consistent timing, status and parentage.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Context, HrTime, Link, Span } from '@opentelemetry/api';
import {
  ENTRIES, GATEWAY, INTERNAL_PORT, KAFKA_HOST, OPERATIONS, POSTGRES_HOST, REDIS_HOST, SERVICES, TOPICS,
  internalHost, operationKey,
} from './landscape.ts';
import type { Call, ConsumerDef, DbCall, ExternalCall, HttpCall, OperationDef, ProduceCall, SemconvStyle, TopicDef } from './landscape.ts';
import type { Random } from './prng.ts';
import {
  httpClientAttributes, httpServerAttributes, httpStatusAttributes, messagingAttributes, peerAttributes, reasonPhrase,
} from './semconv.ts';
import type { ServiceTracers } from './service-tracers.ts';

/** How an operation or call ended, as its caller sees it. */
interface Outcome {
  endMs: number;
  failed: boolean;
  /** HTTP status for HTTP exchanges; undefined for database and messaging calls. */
  status?: number;
}

export interface TraceBuilder {
  /** Emits the spans of one gateway request starting at `startMs` (epoch ms); returns how many spans it made. */
  buildTrace(startMs: number): number;
}

/** Converts epoch milliseconds (fractional) to HrTime; HrTime avoids the SDK reading small numbers as performance.now() offsets. */
export function toHrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.min(999_999_999, Math.round((ms - seconds * 1000) * 1e6));
  return [seconds, nanos];
}

function index<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item]));
}

function lookup<T>(map: Map<string, T>, key: string, what: string): T {
  const found = map.get(key);
  if (found === undefined) throw new Error(`demo landscape: unknown ${what} ${key}`);
  return found;
}

function splitOperation(name: string): { method: string; route: string } {
  const space = name.indexOf(' ');
  return { method: name.slice(0, space), route: name.slice(space + 1) };
}

/** Creates a builder whose every random choice comes from `random`. */
/** A message the demo's traffic produced: what a real producer would write to Kafka. */
export interface ProducedMessage {
  topic: string;
  partition: number;
  key: string;
  timestampMs: number;
  producer: string;
  traceId: string;
  spanId: string;
}

export function createTraceBuilder(random: Random, tracers: ServiceTracers, onProduce?: (m: ProducedMessage) => void): TraceBuilder {
  const operations = index(OPERATIONS, (op) => operationKey(op.service, op.name));
  const styles = new Map<string, SemconvStyle>(SERVICES.map((s) => [s.name, s.semconv]));
  const topics = index(TOPICS, (topic) => topic.name);
  const offsets = new Map<string, number>();
  let spans = 0;

  const style = (service: string): SemconvStyle => lookup(styles, service, 'service');
  const network = (): number => random.logNormal(0.4, 1.5);

  const start = (service: string, name: string, kind: SpanKind, startMs: number, attributes: Attributes, parent: Context | undefined, links: Link[] = []): Span => {
    spans++;
    // ROOT_CONTEXT rather than context.active(): an ambient span of the host process must never adopt demo traffic.
    return tracers.tracer(service).startSpan(
      name,
      { kind, startTime: toHrTime(startMs), attributes, links, root: parent === undefined },
      parent ?? ROOT_CONTEXT,
    );
  };

  const finish = (span: Span, endMs: number, failed: boolean, message?: string): void => {
    if (failed) span.setStatus(message === undefined ? { code: SpanStatusCode.ERROR } : { code: SpanStatusCode.ERROR, message });
    span.end(toHrTime(endMs));
  };

  const fillPath = (route: string): string =>
    route.replace(/\{(\w+)\}/g, (_, param: string) => (param === 'id' || param === 'sku' ? `sku-${random.int(10000, 10499)}` : random.hex(8)));

  /** Runs an operation's server side (or consumer side) and its calls; the span starts at startMs. */
  const serve = (op: OperationDef, parent: Context | undefined, startMs: number, entry: { kind: SpanKind; attributes: Attributes; links?: Link[] }): Outcome => {
    const serviceStyle = style(op.service);
    const span = start(op.service, op.name, entry.kind, startMs, entry.attributes, parent, entry.links);
    const ctx = trace.setSpan(ROOT_CONTEXT, span);
    const self = random.logNormal(op.self.median, op.self.p95);
    const before = self * random.between(0.3, 0.7);
    let t = startMs + before;
    let failedStatus: number | undefined;

    const settle = (call: Call, outcome: Outcome): void => {
      if (!outcome.failed || failedStatus !== undefined) return;
      const policy = call.onFailure ?? 'propagate';
      if (policy === 'ignore') return;
      failedStatus = typeof policy === 'object' ? policy.status : (outcome.status ?? 500);
    };

    if (op.parallel === true) {
      let end = t;
      for (const call of op.calls) {
        if (call.probability !== undefined && !random.chance(call.probability)) continue;
        const outcome = invoke(op.service, call, ctx, t + random.between(0.02, 0.3));
        settle(call, outcome);
        end = Math.max(end, outcome.endMs);
      }
      t = end;
    } else {
      for (const call of op.calls) {
        if (call.probability !== undefined && !random.chance(call.probability)) continue;
        const outcome = invoke(op.service, call, ctx, t + random.between(0.02, 0.3));
        settle(call, outcome);
        t = outcome.endMs;
        // A failed required step ends the operation: later steps (payment, the order event) never happen.
        if (failedStatus !== undefined) break;
      }
    }
    if (failedStatus === undefined && op.errorRate !== undefined && random.chance(op.errorRate)) failedStatus = op.errorStatus ?? 500;

    const endMs = t + self - before;
    const isHttp = entry.kind === SpanKind.SERVER;
    const status = failedStatus ?? op.okStatus ?? 200;
    if (isHttp) span.setAttributes(httpStatusAttributes(serviceStyle, status));
    else if (failedStatus !== undefined) span.setAttribute('error.type', String(failedStatus));
    finish(span, endMs, failedStatus !== undefined, isHttp && failedStatus !== undefined ? reasonPhrase(status) : undefined);
    return { endMs, failed: failedStatus !== undefined, status };
  };

  const invokeHttp = (caller: string, call: HttpCall, parent: Context, startMs: number): Outcome => {
    const callee = lookup(operations, operationKey(call.service, call.operation), 'operation');
    const { method, route } = splitOperation(call.operation);
    const exchange = { method, route, path: fillPath(route), host: internalHost(call.service), port: INTERNAL_PORT, scheme: 'http' as const };
    const client = start(caller, call.operation, SpanKind.CLIENT, startMs, httpClientAttributes(style(caller), exchange), parent);
    const server = serve(callee, trace.setSpan(ROOT_CONTEXT, client), startMs + network(), {
      kind: SpanKind.SERVER,
      attributes: httpServerAttributes(style(call.service), exchange),
    });
    const status = server.status ?? 200;
    client.setAttributes(httpStatusAttributes(style(caller), status));
    const endMs = server.endMs + network();
    finish(client, endMs, server.failed, server.failed ? reasonPhrase(status) : undefined);
    return { endMs, failed: server.failed, status };
  };

  const invokeDb = (caller: string, call: DbCall, parent: Context, startMs: number): Outcome => {
    const postgres = call.system === 'postgresql';
    const attributes: Attributes = {
      'db.system': call.system,
      'db.system.name': call.system,
      'db.namespace': call.namespace,
      'db.operation.name': call.operation,
      'db.query.text': call.query,
      ...peerAttributes(style(caller), postgres ? POSTGRES_HOST : REDIS_HOST, postgres ? 5432 : 6379),
    };
    if (call.collection !== undefined) attributes['db.collection.name'] = call.collection;
    const name = call.collection === undefined ? call.operation : `${call.operation} ${call.namespace}.${call.collection}`;
    const span = start(caller, name, SpanKind.CLIENT, startMs, attributes, parent);
    const failed = call.errorRate !== undefined && random.chance(call.errorRate);
    if (failed && call.errorType !== undefined) span.setAttributes({ 'error.type': call.errorType, 'db.response.status_code': call.errorType });
    const endMs = startMs + random.logNormal(call.latency.median, call.latency.p95);
    finish(span, endMs, failed, failed && postgres && call.errorType === '40P01' ? 'deadlock detected' : undefined);
    return { endMs, failed };
  };

  const invokeExternal = (caller: string, call: ExternalCall, parent: Context, startMs: number): Outcome => {
    const exchange = { method: call.method, route: call.path, path: call.path, host: call.host, port: 443, scheme: 'https' as const };
    const attributes = httpClientAttributes(style(caller), exchange);
    // The external hop has no callee span: Plexus must name the node from server.address alone.
    delete attributes['url.template'];
    const span = start(caller, call.method, SpanKind.CLIENT, startMs, attributes, parent);
    const failed = random.chance(call.errorRate);
    const status = failed ? call.errorStatus : 200;
    span.setAttributes(httpStatusAttributes(style(caller), status));
    const endMs = startMs + random.logNormal(call.latency.median, call.latency.p95);
    finish(span, endMs, failed, failed ? reasonPhrase(status) : undefined);
    return { endMs, failed, status };
  };

  const consume = (topic: TopicDef, consumer: ConsumerDef, producer: Span, producerEndMs: number, partition: number, key: string): void => {
    const op = lookup(operations, operationKey(consumer.service, `process ${topic.name}`), 'operation');
    const offsetKey = `${topic.name}/${partition}/${consumer.group}`;
    const offset = (offsets.get(offsetKey) ?? random.int(1000, 90000)) + 1;
    offsets.set(offsetKey, offset);
    const attributes = messagingAttributes(style(consumer.service), 'process', { topic: topic.name, partition, key, group: consumer.group, offset });
    const startMs = producerEndMs + random.logNormal(consumer.lag.median, consumer.lag.p95);
    if (consumer.tie === 'parent') {
      serve(op, trace.setSpan(ROOT_CONTEXT, producer), startMs, { kind: SpanKind.CONSUMER, attributes });
    } else {
      serve(op, undefined, startMs, { kind: SpanKind.CONSUMER, attributes, links: [{ context: producer.spanContext() }] });
    }
  };

  const invokeProduce = (caller: string, call: ProduceCall, parent: Context, startMs: number): Outcome => {
    const topic = lookup(topics, call.topic, 'topic');
    const partition = random.int(0, topic.partitions - 1);
    const key = `order-${random.hex(12)}`;
    const attributes = { ...messagingAttributes(style(caller), 'send', { topic: topic.name, partition, key }), ...peerAttributes(style(caller), KAFKA_HOST, 9092) };
    const span = start(caller, `send ${topic.name}`, SpanKind.PRODUCER, startMs, attributes, parent);
    const endMs = startMs + random.logNormal(call.latency.median, call.latency.p95);
    finish(span, endMs, false);
    const ctx = span.spanContext();
    onProduce?.({ topic: topic.name, partition, key, timestampMs: startMs, producer: caller, traceId: ctx.traceId, spanId: ctx.spanId });
    for (const consumer of topic.consumers) consume(topic, consumer, span, endMs, partition, key);
    return { endMs, failed: false };
  };

  const invoke = (caller: string, call: Call, parent: Context, startMs: number): Outcome => {
    switch (call.type) {
      case 'http': return invokeHttp(caller, call, parent, startMs);
      case 'db': return invokeDb(caller, call, parent, startMs);
      case 'external': return invokeExternal(caller, call, parent, startMs);
      case 'produce': return invokeProduce(caller, call, parent, startMs);
    }
  };

  return {
    buildTrace(startMs) {
      const before = spans;
      const entry = random.weighted(ENTRIES, (e) => e.weight);
      const op = lookup(operations, operationKey(GATEWAY, entry.operation), 'operation');
      const { method, route } = splitOperation(op.name);
      const exchange = { method, route, path: fillPath(route), host: 'shop.example.com', port: 443, scheme: 'https' as const };
      const attributes: Attributes = {
        ...httpServerAttributes(style(GATEWAY), exchange),
        'client.address': `203.0.113.${random.int(1, 254)}`,
        'user_agent.original': random.chance(0.7) ? 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0' : 'ShopApp/5.2 (iOS 18.1)',
      };
      serve(op, undefined, startMs, { kind: SpanKind.SERVER, attributes });
      return spans - before;
    },
  };
}
