import { AssignerProtocol, type Admin, type Kafka } from 'kafkajs';
import { encodeTsvRow, formatDateTime, tsvArray, tsvQuoted, tsvString, type Store } from '@plexus/store';
import { topologyRows, type TopologySnapshot } from './topology-rows.ts';

const OFFSET_COLUMNS = ['Time', 'Topic', 'Partition', 'GroupId', 'EndOffset', 'CommittedOffset', 'Lag'];
const MEMBER_COLUMNS = ['Time', 'GroupId', 'State', 'MemberId', 'ClientId', 'ClientHost', 'Topics'];

/** Reads topics, end offsets, consumer groups, their members and committed offsets. Internal topics are left out. */
export async function readTopology(admin: Admin, now: Date = new Date()): Promise<TopologySnapshot> {
  const names = (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
  const topics = await Promise.all(names.map(async (topic) => ({
    topic,
    partitions: (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, high: p.high, low: p.low })),
  })));
  const { groups: listed } = await admin.listGroups();
  const consumerGroups = listed.filter((g) => g.protocolType === 'consumer' || g.protocolType === '').map((g) => g.groupId).sort();
  const described = consumerGroups.length > 0 ? (await admin.describeGroups(consumerGroups)).groups : [];
  const groups = await Promise.all(described.map(async (g) => ({
    groupId: g.groupId,
    state: g.state,
    members: g.members.map((m) => {
      // The assignment says which topics the member reads; an empty one (rebalancing) reads none yet.
      const assignment = m.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null;
      return { memberId: m.memberId, clientId: m.clientId, clientHost: m.clientHost, topics: Object.keys(assignment?.assignment ?? {}) };
    }),
    offsets: await admin.fetchOffsets({ groupId: g.groupId }),
  })));
  return { time: now, topics, groups };
}

/** Polls the cluster every `intervalSeconds` into kafka_partition_offsets and kafka_group_members. */
export function startTopologyPoller(o: { kafka: Kafka; store: Store; intervalSeconds: number; log: (msg: string, err?: unknown) => void }): { pollNow(): Promise<void>; stop(): Promise<void> } {
  const admin = o.kafka.admin();
  let connected: Promise<void> | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  async function poll(): Promise<void> {
    connected ??= admin.connect();
    await connected;
    const { offsets, members } = topologyRows(await readTopology(admin));
    // DateTime columns: whole seconds.
    const time = (d: Date) => formatDateTime(d).slice(0, 19);
    if (offsets.length > 0) {
      await o.store.insertTsv('kafka_partition_offsets', OFFSET_COLUMNS, Buffer.from(offsets.map((r) => encodeTsvRow([
        time(r.time), tsvString(r.topic), String(r.partition), tsvString(r.groupId), r.endOffset.toString(), r.committedOffset.toString(), r.lag.toString(),
      ])).join('')));
    }
    if (members.length > 0) {
      await o.store.insertTsv('kafka_group_members', MEMBER_COLUMNS, Buffer.from(members.map((r) => encodeTsvRow([
        time(r.time), tsvString(r.groupId), tsvString(r.state), tsvString(r.memberId), tsvString(r.clientId), tsvString(r.clientHost), tsvArray(r.topics.map(tsvQuoted)),
      ])).join('')));
    }
  }
  const pollNow = (): Promise<void> => {
    running = (running ?? Promise.resolve()).then(poll).catch((err) => o.log('Kafka topology poll failed', err));
    return running;
  };
  const timer = setInterval(() => void pollNow(), o.intervalSeconds * 1000);
  timer.unref();
  void pollNow();
  return {
    pollNow,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await running;
      if (connected) await admin.disconnect();
    },
  };
}
