import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topologyRows } from './topology-rows.ts';

test('lag is end minus committed per group and partition; a group that never committed has everything since the log start', () => {
  const time = new Date('2026-11-22T10:00:00Z');
  const r = topologyRows({
    time,
    topics: [{ topic: 'orders', partitions: [{ partition: 0, high: '120', low: '0' }, { partition: 1, high: '80', low: '30' }] }],
    groups: [
      {
        groupId: 'shipping', state: 'Stable',
        members: [{ memberId: 'm-1', clientId: 'shipping-7f9c', clientHost: '/10.0.0.7', topics: ['orders'] }],
        offsets: [{ topic: 'orders', partitions: [{ partition: 0, offset: '100' }, { partition: 1, offset: '-1' }] }],
      },
      { groupId: 'gone', state: 'Empty', members: [], offsets: [{ topic: 'deleted-topic', partitions: [{ partition: 0, offset: '5' }] }] },
    ],
  });
  assert.deepEqual(r.offsets.map((o) => [o.groupId, o.partition, o.endOffset, o.committedOffset, o.lag]), [
    ['', 0, 120n, -1n, 0n],
    ['', 1, 80n, -1n, 0n],
    ['shipping', 0, 120n, 100n, 20n],
    ['shipping', 1, 80n, -1n, 50n],
  ]);
  assert.deepEqual(r.members, [{ time, groupId: 'shipping', state: 'Stable', memberId: 'm-1', clientId: 'shipping-7f9c', clientHost: '/10.0.0.7', topics: ['orders'] }]);
});
