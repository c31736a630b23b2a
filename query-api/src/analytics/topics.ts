import { sql, param, type Sql, type Store } from '@plexus/store';
import { rowsInWindow, minuteRowsInWindow, minutesIn, eventsIn } from './window-rows.ts';
import { stepStarts, type TimeWindow } from './window.ts';
import { rate } from './latency.ts';

// Topics from three sources that each see a part: spans (who produces and
// consumes), the event topics Plexus reads (kafka_events: what the messages
// are), and the cluster's offsets (kafka_partition_offsets: how many, and lag).

/** A topic's figures over a window. */
export interface TopicSummary {
  name: string;
  messages: number;
  messageRate: number;
  producers: string[];
  consumers: string[];
}

/** Every topic of the window with its messages, producers and consumers; one topic when `only` is given. */
export async function topicSummaries(store: Store, w: TimeWindow, only?: string): Promise<TopicSummary[]> {
  const one = (column: Sql) => (only === undefined ? sql`1` : sql`${column} = ${only}`);
  const [spans, events, offsets] = await Promise.all([
    store.query<{ name: string; produced: string; producers: string[]; consumers: string[] }>(sql`
      SELECT name, sumIf(Count, dir = 'in') AS produced, groupUniqArrayIf(peer, dir = 'in') AS producers, groupUniqArrayIf(peer, dir = 'out') AS consumers
      FROM (
        SELECT Target AS name, Source AS peer, 'in' AS dir, Count FROM (${rowsInWindow('edges', w)}) WHERE TargetKind = 'TOPIC' AND SourceKind = 'SERVICE'
        UNION ALL
        SELECT Source AS name, Target AS peer, 'out' AS dir, Count FROM (${rowsInWindow('edges', w)}) WHERE SourceKind = 'TOPIC' AND TargetKind = 'SERVICE'
      ) WHERE ${one(sql`name`)} GROUP BY name`),
    store.query<{ name: string; n: string; producers: string[] }>(sql`
      SELECT Topic AS name, uniqExact(Partition, Offset) AS n, groupUniqArrayIf(Producer, Producer != '') AS producers
      FROM kafka_events WHERE ${eventsIn(w)} AND ${one(sql`Topic`)} GROUP BY Topic`),
    // Messages written = growth of each partition's end offset across the window's polls.
    store.query<{ name: string; n: string }>(sql`
      SELECT Topic AS name, sum(d) AS n FROM (
        SELECT Topic, Partition, max(EndOffset) - min(EndOffset) AS d FROM kafka_partition_offsets
        WHERE GroupId = '' AND ${minutesIn(sql`Time`, w)} AND ${one(sql`Topic`)} GROUP BY Topic, Partition
      ) GROUP BY Topic`),
  ]);
  const names = new Set([...spans.map((r) => r.name), ...events.map((r) => r.name), ...offsets.map((r) => r.name)]);
  const bySpans = new Map(spans.map((r) => [r.name, r]));
  const byEvents = new Map(events.map((r) => [r.name, r]));
  const byOffsets = new Map(offsets.map((r) => [r.name, Number(r.n)]));
  return [...names].map((name) => {
    const s = bySpans.get(name);
    const e = byEvents.get(name);
    // The most complete count available: the broker's offsets, then the events read, then producer spans.
    const messages = byOffsets.get(name) || Number(e?.n ?? 0) || Number(s?.produced ?? 0);
    return {
      name, messages, messageRate: rate(messages, w.seconds),
      producers: [...new Set([...(s?.producers ?? []), ...(e?.producers ?? [])])].sort(),
      consumers: [...(s?.consumers ?? [])].sort(),
    };
  }).sort((a, b) => b.messages - a.messages || a.name.localeCompare(b.name));
}

/** A consumer group's newest offsets and lag per partition of the topic in the window. */
export async function consumerGroupsOf(store: Store, w: TimeWindow, topic: string) {
  const [parts, members] = await Promise.all([
    store.query<{ groupId: string; partition: number; endOffset: string; committed: string; lag: string }>(sql`
      SELECT GroupId AS groupId, Partition AS partition, argMax(EndOffset, Time) AS endOffset, argMax(CommittedOffset, Time) AS committed, argMax(Lag, Time) AS lag
      FROM kafka_partition_offsets WHERE Topic = ${topic} AND GroupId != '' AND ${minutesIn(sql`Time`, w)}
      GROUP BY GroupId, Partition ORDER BY groupId, partition`),
    store.query<{ groupId: string; state: string; clientId: string; host: string }>(sql`
      SELECT GroupId AS groupId, State AS state, ClientId AS clientId, ClientHost AS host FROM kafka_group_members
      WHERE has(Topics, ${topic}) AND ${minutesIn(sql`Time`, w)}
        AND (GroupId, Time) IN (SELECT GroupId, max(Time) FROM kafka_group_members WHERE has(Topics, ${topic}) AND ${minutesIn(sql`Time`, w)} GROUP BY GroupId)
      ORDER BY groupId, clientId, host`),
  ]);
  const groups = new Map<string, { groupId: string; state: string | null; lag: number; partitions: Array<{ partition: number; endOffset: number; committedOffset: number; lag: number }>; members: Array<{ clientId: string; host: string }> }>();
  const group = (id: string) => {
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { groupId: id, state: null, lag: 0, partitions: [], members: [] }));
    return g;
  };
  for (const p of parts) {
    const g = group(p.groupId);
    const lag = Number(p.lag);
    g.partitions.push({ partition: Number(p.partition), endOffset: Number(p.endOffset), committedOffset: Number(p.committed), lag });
    g.lag += lag;
  }
  for (const m of members) {
    const g = group(m.groupId);
    g.state = m.state;
    g.members.push({ clientId: m.clientId, host: m.host });
  }
  return [...groups.values()].sort((a, b) => b.lag - a.lag || a.groupId.localeCompare(b.groupId));
}

/** A group's total lag on the topic per step: at each step, the newest poll of each partition, summed. */
export async function lagSeries(store: Store, w: TimeWindow, topic: string, groupId: string, step: number, partition?: number | null): Promise<Array<{ time: Date; lag: number }>> {
  const onePartition = partition == null ? sql`` : sql`AND Partition = ${param('UInt32', partition)}`;
  const rows = await store.query<{ t: string; lag: string }>(sql`
    SELECT t, sum(l) AS lag FROM (
      SELECT toUnixTimestamp(toStartOfInterval(Time, toIntervalSecond(${param('UInt32', step)}))) AS t, Partition, argMax(Lag, Time) AS l
      FROM kafka_partition_offsets WHERE Topic = ${topic} AND GroupId = ${groupId} AND ${minutesIn(sql`Time`, w)} ${onePartition} GROUP BY t, Partition
    ) GROUP BY t ORDER BY t`);
  return rows.map((r) => ({ time: new Date(Number(r.t) * 1000), lag: Number(r.lag) }));
}

/** CloudEvents types of the topic's events in the window, most frequent first. */
export async function eventTypesOf(store: Store, w: TimeWindow, topic: string): Promise<Array<{ type: string; count: number }>> {
  const rows = await store.query<{ type: string; count: string }>(sql`
    SELECT CeType AS type, uniqExact(Partition, Offset) AS count FROM kafka_events
    WHERE Topic = ${topic} AND CeType != '' AND ${eventsIn(w)} GROUP BY CeType ORDER BY count DESC, type`);
  return rows.map((r) => ({ type: r.type, count: Number(r.count) }));
}

/** Messages per step: events read when there are any, else producer spans. Every bucket present. */
export async function topicThroughput(store: Store, w: TimeWindow, topic: string, step: number): Promise<Array<{ time: Date; messages: number }>> {
  const s = param('UInt32', step);
  let rows = await store.query<{ t: string; n: string }>(sql`
    SELECT toUnixTimestamp(toStartOfInterval(Timestamp, toIntervalSecond(${s}))) AS t, uniqExact(Partition, Offset) AS n
    FROM kafka_events WHERE Topic = ${topic} AND ${eventsIn(w)} GROUP BY t`);
  if (rows.length === 0) {
    rows = await store.query<{ t: string; n: string }>(sql`
      SELECT toUnixTimestamp(toStartOfInterval(Time, toIntervalSecond(${s}))) AS t, sum(Count) AS n
      FROM (${minuteRowsInWindow('edges', w)}) WHERE Target = ${topic} AND TargetKind = 'TOPIC' GROUP BY t`);
  }
  const byTime = new Map(rows.map((r) => [Number(r.t), Number(r.n)]));
  return stepStarts(w, step).map((t) => ({ time: new Date(t * 1000), messages: byTime.get(t) ?? 0 }));
}

/** The topic's events in the window, newest first; one trace's only when `traceId` is set. Replays are read once (FINAL). */
export async function topicEvents(store: Store, w: TimeWindow, topic: string, traceId: string | null | undefined, first: number) {
  const trace = traceId ? sql`AND TraceId = ${traceId.toLowerCase()}` : sql``;
  const rows = await store.query<{ time: string; partition: number; offset: string; key: string; ceId: string; ceType: string; ceSource: string; ceSubject: string; traceId: string; producer: string }>(sql`
    SELECT Timestamp AS time, Partition AS partition, toString(Offset) AS offset, Key AS key, CeId AS ceId, CeType AS ceType, CeSource AS ceSource,
      CeSubject AS ceSubject, TraceId AS traceId, Producer AS producer
    FROM kafka_events FINAL WHERE Topic = ${topic} AND ${eventsIn(w)} ${trace}
    ORDER BY Timestamp DESC, Partition, Offset DESC LIMIT ${param('UInt32', first)}`);
  return rows.map((r) => ({ ...r, partition: Number(r.partition), time: new Date(`${r.time.replace(' ', 'T')}Z`) }));
}
