import { sql, type Store } from '@plexus/store';
import { minutesIn, eventsIn } from './window-rows.ts';
import type { TimeWindow } from './window.ts';
import { rate } from './latency.ts';
import type { EdgeStats } from './edges.ts';

// Topic edges seen by Kafka itself, for topics no span describes (or to add
// lag to those that are): producers from the events' CloudEvents source or
// producer header, consumers from consumer-group membership.

/**
 * The service a Kafka identity names, by one rule: the name itself; else the
 * last path segment of a URI-like CloudEvents source (`/checkout`,
 * `urn:shop:checkout`); else a client id without its instance suffix
 * (`shipping-7f9c2`, `shipping-1`). Only names of known services count.
 */
export function serviceOfKafkaIdentity(identity: string, services: ReadonlySet<string>): string | undefined {
  const candidates = [identity];
  const tail = identity.split(/[/:]/).filter(Boolean).pop();
  if (tail) candidates.push(tail);
  for (const c of [...candidates]) {
    const m = /^(.+?)[-_.](?:[0-9a-f]{4,}|\d+)$/i.exec(c);
    if (m) candidates.push(m[1]!);
  }
  return candidates.find((c) => services.has(c));
}

const NO_LATENCY = { p50: null, p95: null, p99: null };

/** Producer and consumer edges of topics from kafka_events and the polled groups, tagged with source `kafka`; consumer edges carry lag. */
export async function readKafkaEdges(store: Store, w: TimeWindow, services: ReadonlySet<string>): Promise<Array<EdgeStats & { lag: number | null }>> {
  const [producers, groups] = await Promise.all([
    store.query<{ topic: string; producer: string; n: string }>(sql`
      SELECT Topic AS topic, Producer AS producer, uniqExact(Partition, Offset) AS n FROM kafka_events
      WHERE Producer != '' AND ${eventsIn(w)}
      GROUP BY topic, producer`),
    store.query<{ topic: string; groupId: string; clients: string[]; consumed: string; lag: string }>(sql`
      SELECT o.Topic AS topic, o.GroupId AS groupId, any(m.clients) AS clients, sum(o.consumed) AS consumed, sum(o.lag) AS lag
      FROM (
        SELECT Topic, GroupId, Partition, greatest(max(CommittedOffset) - min(CommittedOffset), 0) AS consumed, argMax(Lag, Time) AS lag
        FROM kafka_partition_offsets WHERE GroupId != '' AND ${minutesIn(sql`Time`, w)}
        GROUP BY Topic, GroupId, Partition
      ) AS o
      LEFT JOIN (
        SELECT GroupId, groupUniqArray(ClientId) AS clients FROM kafka_group_members
        WHERE ${minutesIn(sql`Time`, w)} GROUP BY GroupId
      ) AS m ON m.GroupId = o.GroupId
      GROUP BY topic, groupId`),
  ]);
  const edges = new Map<string, EdgeStats & { lag: number | null }>();
  const add = (sourceName: string, sourceKind: 'SERVICE' | 'TOPIC', targetName: string, targetKind: 'SERVICE' | 'TOPIC', calls: number, lag: number | null) => {
    const key = `${sourceKind}:${sourceName}>${targetKind}:${targetName}`;
    const prev = edges.get(key);
    if (prev) {
      prev.calls += calls;
      prev.callRate = rate(prev.calls, w.seconds);
      if (lag !== null) prev.lag = (prev.lag ?? 0) + lag;
      return;
    }
    edges.set(key, { sourceName, sourceKind, targetName, targetKind, calls, errors: 0, errorRate: 0, callRate: rate(calls, w.seconds), latency: NO_LATENCY, sources: ['kafka'], lag });
  };
  for (const p of producers) {
    const service = serviceOfKafkaIdentity(p.producer, services);
    if (service) add(service, 'SERVICE', p.topic, 'TOPIC', Number(p.n), null);
  }
  for (const g of groups) {
    // The group id often is the service; otherwise its members' client ids say who reads.
    const service = serviceOfKafkaIdentity(g.groupId, services) ?? (g.clients ?? []).map((c) => serviceOfKafkaIdentity(c, services)).find(Boolean);
    if (service) add(g.topic, 'TOPIC', service, 'SERVICE', Number(g.consumed), Number(g.lag));
  }
  return [...edges.values()];
}

/**
 * Adds Kafka's view to the traces' edges. Where both see an edge, the traces
 * are authoritative for calls, errors and latency (Kafka's counts would count
 * the same messages twice) and Kafka adds its lag and its name to `sources`;
 * edges only Kafka sees are kept with its counts.
 */
export function mergeKafkaEdges(traces: readonly EdgeStats[], kafka: ReadonlyArray<EdgeStats & { lag: number | null }>): Array<EdgeStats & { lag?: number | null }> {
  const key = (e: EdgeStats) => `${e.sourceKind}:${e.sourceName}>${e.targetKind}:${e.targetName}`;
  const out: Array<EdgeStats & { lag?: number | null }> = traces.map((e) => ({ ...e }));
  const byKey = new Map(out.map((e) => [key(e), e]));
  for (const k of kafka) {
    const t = byKey.get(key(k));
    if (t) {
      t.sources = [...new Set([...t.sources, 'kafka'])];
      t.lag = k.lag;
    } else {
      out.push({ ...k });
    }
  }
  return out;
}
