// Turns one admin-API snapshot of a Kafka cluster into kafka_partition_offsets
// and kafka_group_members rows. Pure, so lag arithmetic is tested without a broker.

/** What one poll read: end offsets per partition, and per group its members and committed offsets. */
export interface TopologySnapshot {
  time: Date;
  topics: Array<{ topic: string; partitions: Array<{ partition: number; high: string; low: string }> }>;
  groups: Array<{
    groupId: string;
    state: string;
    members: Array<{ memberId: string; clientId: string; clientHost: string; topics: string[] }>;
    offsets: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
  }>;
}

export interface PartitionOffsetRow {
  time: Date;
  topic: string;
  partition: number;
  groupId: string;
  endOffset: bigint;
  committedOffset: bigint;
  lag: bigint;
}

export interface GroupMemberRow {
  time: Date;
  groupId: string;
  state: string;
  memberId: string;
  clientId: string;
  clientHost: string;
  topics: string[];
}

/**
 * One row per partition (GroupId '') with its end offset, and one per group
 * and partition it has committed on, with lag = end − committed. A group that
 * never committed on a partition (offset -1) has everything since the log
 * start (low watermark) to read.
 */
export function topologyRows(s: TopologySnapshot): { offsets: PartitionOffsetRow[]; members: GroupMemberRow[] } {
  const offsets: PartitionOffsetRow[] = [];
  const ends = new Map<string, { high: bigint; low: bigint }>();
  for (const t of s.topics) {
    for (const p of t.partitions) {
      const high = BigInt(p.high);
      const low = BigInt(p.low);
      ends.set(`${t.topic}\u0000${p.partition}`, { high, low });
      offsets.push({ time: s.time, topic: t.topic, partition: p.partition, groupId: '', endOffset: high, committedOffset: -1n, lag: 0n });
    }
  }
  const members: GroupMemberRow[] = [];
  for (const g of s.groups) {
    for (const m of g.members) members.push({ time: s.time, groupId: g.groupId, state: g.state, ...m, topics: [...m.topics].sort() });
    for (const t of g.offsets) {
      for (const p of t.partitions) {
        const end = ends.get(`${t.topic}\u0000${p.partition}`);
        if (!end) continue;
        const committed = BigInt(p.offset);
        const from = committed >= 0n ? committed : end.low;
        offsets.push({ time: s.time, topic: t.topic, partition: p.partition, groupId: g.groupId, endOffset: end.high, committedOffset: committed, lag: end.high > from ? end.high - from : 0n });
      }
    }
  }
  return { offsets, members };
}
