import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TopicSummary } from './api.ts';
import { sortRows } from './table.ts';
import { parseRoute, routePath } from './url.ts';
import {
  TOPIC_COLUMNS,
  formatLag,
  lagColumns,
  lagLevel,
  parseTopicPath,
  parseTraceIdInput,
  sortGroups,
  sortedNames,
  throughputColumns,
  topicPath,
  topicText,
} from './topics.ts';

const orders: TopicSummary = { name: 'orders', messages: 240, messageRate: 1, producers: ['checkout'], consumers: ['shipping', 'notification'] };
const audit: TopicSummary = { name: 'audit.v2', messages: 12000, messageRate: 50, producers: [], consumers: ['archiver'] };
const idle: TopicSummary = { name: 'dead', messages: 0, messageRate: 0, producers: ['legacy'], consumers: [] };

test('a topic page URL round-trips, names encoded', () => {
  assert.equal(topicPath('orders'), '/topics/orders');
  assert.equal(topicPath('a/b c'), '/topics/a%2Fb%20c');
  assert.equal(parseTopicPath('/topics/a%2Fb%20c'), 'a/b c');
  assert.equal(parseTopicPath('/topics/orders/'), 'orders');
  assert.equal(parseTopicPath('/topics/%E0%A4%A'), null);
  assert.equal(parseTopicPath('/topics'), null);
  assert.deepEqual(parseRoute('/topics'), { page: 'topics' });
  assert.deepEqual(parseRoute('/topics/orders.v1'), { page: 'topic', name: 'orders.v1' });
  assert.equal(routePath({ page: 'topic', name: 'a/b' }), '/topics/a%2Fb');
  assert.equal(routePath({ page: 'topics' }), '/topics');
  assert.deepEqual(parseRoute('/topics/a/b'), { page: 'notfound', path: '/topics/a/b' });
});

test('topics sort by each column; rate is the busiest first by default direction', () => {
  const col = (k: string) => TOPIC_COLUMNS.find((c) => c.key === k)!;
  const rows = [orders, audit, idle];
  assert.deepEqual(sortRows(rows, col('rate').value, true).map((t) => t.name), ['audit.v2', 'orders', 'dead']);
  assert.deepEqual(sortRows(rows, col('messages').value, false).map((t) => t.name), ['dead', 'orders', 'audit.v2']);
  assert.deepEqual(sortRows(rows, col('name').value, false).map((t) => t.name), ['audit.v2', 'dead', 'orders']);
  // By consumers: the sorted names joined, so `archiver` < `notification shipping`; none sorts first ascending.
  assert.deepEqual(sortRows(rows, col('consumers').value, false).map((t) => t.name), ['dead', 'audit.v2', 'orders']);
  assert.ok(TOPIC_COLUMNS.filter((c) => c.numeric).every((c) => c.key === 'rate' || c.key === 'messages'));
});

test('service names are shown sorted and once; the filter sees name, producers and consumers', () => {
  assert.deepEqual(sortedNames(['shipping', 'notification', 'shipping', 'svc10', 'svc9']), ['notification', 'shipping', 'svc9', 'svc10']);
  assert.equal(topicText(orders), 'orders checkout shipping notification');
});

test('consumer groups: most lag first, ties by id', () => {
  const g = sortGroups([
    { groupId: 'b', lag: 5 },
    { groupId: 'a', lag: 5 },
    { groupId: 'c', lag: 2000 },
  ]);
  assert.deepEqual(g.map((x) => x.groupId), ['c', 'a', 'b']);
});

test('lag is formatted with its unit and marked above the threshold', () => {
  assert.equal(formatLag(0), '0 messages');
  assert.equal(formatLag(1), '1 message');
  assert.equal(formatLag(1500), '1.5k messages');
  assert.equal(formatLag(null), '—');
  assert.equal(lagLevel(1000), 'ok');
  assert.equal(lagLevel(1001), 'warn');
  assert.equal(lagLevel(null), 'ok');
  assert.equal(lagLevel(20, 10), 'warn');
});

test('the trace-id box accepts 32 hex digits only', () => {
  assert.deepEqual(parseTraceIdInput(''), { ok: true, traceId: null });
  assert.deepEqual(parseTraceIdInput('  '), { ok: true, traceId: null });
  assert.deepEqual(parseTraceIdInput(' 4BF92F3577B34DA6A3CE929D0E0E4736 '), { ok: true, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
  const short = parseTraceIdInput('4bf92f35');
  assert.equal(short.ok, false);
  assert.match(!short.ok ? short.why : '', /32 hex digits/);
  assert.equal(parseTraceIdInput('0'.repeat(32)).ok, false);
  assert.equal(parseTraceIdInput('g'.repeat(32)).ok, false);
});

test('chart columns are epoch seconds and values', () => {
  assert.deepEqual(throughputColumns([{ time: '2025-01-01T00:00:00Z', messages: 3 }, { time: '2025-01-01T00:01:00Z', messages: 0 }]), [[1735689600, 1735689660], [3, 0]]);
  assert.deepEqual(lagColumns([{ time: '2025-01-01T00:00:00.000Z', lag: 12 }]), [[1735689600], [12]]);
});
