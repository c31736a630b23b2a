import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiReuse, ApiTrafficPoint, ReuseReport } from './api.ts';
import {
  consumersSummary,
  filterReuse,
  formatAgo,
  groupOperationsByTag,
  hasReuseFilters,
  lastSeen,
  parseReuseParams,
  perStep,
  rankReuse,
  reuseParamsPatch,
  sortUsages,
  stepSeconds,
  toggleReuse,
  trafficColumns,
  trendColumns,
  usageLevel,
  usageStatus,
  USAGE_STATUS_LABEL,
  vsPrevious,
  windowLabel,
} from './reuse.ts';
import { applyPatch, parseSearch, serializeSearch } from './url.ts';

test('consumer summary and the change against the previous window', () => {
  assert.equal(consumersSummary(3, 2), '3 consumers from 2 teams');
  assert.equal(consumersSummary(1, 1), '1 consumer from 1 team');
  assert.equal(consumersSummary(2, 0), '2 consumers from 0 teams');
  assert.equal(consumersSummary(0, 0), '0 consumers');
  assert.deepEqual(vsPrevious(5, 3, 86_400), { text: '+2 vs previous 24 h', direction: 'up' });
  assert.deepEqual(vsPrevious(1, 2, 3600), { text: '\u22121 vs previous 1 h', direction: 'down' });
  assert.deepEqual(vsPrevious(3, 3, 900), { text: 'no change vs previous 15 min', direction: 'same' });
  assert.equal(windowLabel(6 * 3600), '6 h');
  assert.equal(windowLabel(7 * 86_400), '7 d');
  assert.equal(windowLabel(90 * 60), '1 h 30 min');
});

test('last seen: relative and absolute, or never', () => {
  const now = Date.parse('2025-03-04T12:00:00Z');
  assert.equal(formatAgo(now - 20_000, now), 'just now');
  assert.equal(formatAgo(now - 4 * 60_000 - 5000, now), '4 min ago');
  assert.equal(formatAgo(now - 3 * 3600_000, now), '3 h ago');
  assert.equal(formatAgo(now - 3 * 86_400_000, now), '3 d ago');
  // A clock slightly behind the server's is not "in the future".
  assert.equal(formatAgo(now + 5000, now), 'just now');
  const seen = lastSeen('2025-03-04T11:58:00Z', now);
  assert.equal(seen?.relative, '2 min ago');
  assert.equal(seen?.iso, '2025-03-04T11:58:00.000Z');
  assert.match(seen?.absolute ?? '', /Mar 4, \d\d:58/);
  assert.equal(lastSeen(null, now), null);
  assert.equal(lastSeen('not a time', now), null);
});

test('declared vs observed: status, label, level and order', () => {
  assert.equal(usageStatus({ declared: true, observed: true }), 'ok');
  assert.equal(usageStatus({ declared: true, observed: false }), 'stale');
  assert.equal(usageStatus({ declared: false, observed: true }), 'undeclared');
  assert.equal(USAGE_STATUS_LABEL.undeclared, 'seen, not declared');
  assert.equal(USAGE_STATUS_LABEL.stale, 'declared, not seen in window');
  assert.equal(usageLevel('undeclared'), 'lvl-warn');
  // The demo's checkout: cart-api and payments-api declared and called, inventory-api only called.
  const rows = [
    { api: 'api:default/cart-api', declared: true, observed: true, calls: 120 },
    { api: 'api:default/inventory-api', declared: false, observed: true, calls: 40 },
    { api: 'api:default/payments-api', declared: true, observed: true, calls: 300 },
    { api: 'api:default/loyalty-api', declared: true, observed: false, calls: 0 },
  ];
  assert.deepEqual(
    sortUsages(rows).map((r) => r.api),
    ['api:default/inventory-api', 'api:default/loyalty-api', 'api:default/payments-api', 'api:default/cart-api'],
  );
});

test('operations grouped by tag, in order of first appearance, untagged last', () => {
  const op = (path: string, tags?: string[]) => ({ method: 'GET', path, tags });
  const groups = groupOperationsByTag([op('/products', ['products']), op('/health'), op('/stock', ['stock', 'products']), op('/x', ['stock', 'stock'])]);
  assert.deepEqual(
    groups.map((g) => [g.tag, g.ops.map((o) => o.path)]),
    [
      ['products', ['/products', '/stock']],
      ['stock', ['/stock', '/x']],
      [null, ['/health']],
    ],
  );
  // No tags at all (or blank ones): one group, same order.
  assert.deepEqual(
    groupOperationsByTag([op('/b', ['  ']), op('/a')]).map((g) => [g.tag, g.ops.map((o) => o.path)]),
    [[null, ['/b', '/a']]],
  );
  assert.deepEqual(groupOperationsByTag([]), [{ tag: null, ops: [] }]);
});

function point(time: string, calls: number, errors: number, p95: number | null, consumers = 1): ApiTrafficPoint {
  return { time, calls, errors, errorRate: calls ? errors / calls : 0, consumers, latency: { p95 } };
}

test('traffic and trend series as chart columns', () => {
  const cols = trafficColumns([
    point('2025-03-04T10:02:00Z', 0, 0, null, 0),
    point('2025-03-04T10:00:00Z', 10, 1, 42),
    point('bad', 5, 0, 1),
    point('2025-03-04T10:01:00Z', 4, 0, 30, 2),
  ]);
  const t0 = Date.parse('2025-03-04T10:00:00Z') / 1000;
  assert.deepEqual(cols, { time: [t0, t0 + 60, t0 + 120], calls: [10, 4, 0], errors: [1, 0, 0], p95: [42, 30, null] });
  assert.equal(stepSeconds(cols.time), 60);
  assert.equal(stepSeconds([t0]), null);
  assert.equal(perStep(60), 'per minute');
  assert.equal(perStep(300), 'per 5 min');
  assert.equal(perStep(3600), 'per 1 h');
  assert.equal(perStep(null), '');
  assert.deepEqual(
    trendColumns([
      { time: '2025-03-04T10:01:00Z', consumers: 3, calls: 9 },
      { time: '2025-03-04T10:00:00Z', consumers: 2, calls: 5 },
    ]),
    { time: [t0, t0 + 60], consumers: [2, 3] },
  );
});

function reuse(name: string, consumerServices: string[], calls: number, teams: number, owner = 'group:default/checkout-team'): ApiReuse {
  return {
    api: { ref: `api:default/${name}`, name, title: null, owner, lifecycle: 'production' },
    consumers: consumerServices.length,
    teams,
    calls,
    consumerServices,
  };
}

// The demo's ranking, in part (test/reuse.test.ts has the full truth).
const REPORT: ReuseReport = {
  apis: [
    reuse('pricing-api', ['cart', 'storefront-bff'], 900, 2, 'group:default/storefront-team'),
    reuse('inventory-api', ['cart', 'checkout', 'storefront-bff'], 700, 2),
    reuse('cart-api', ['checkout', 'web-gateway'], 400, 2),
    reuse('auth-api', ['web-gateway'], 1000, 1, 'group:default/platform-team'),
    reuse('loyalty-api', [], 0, 0),
    reuse('payments-api', ['checkout'], 90, 1),
  ],
  singleConsumer: [],
  duplicates: [],
};
REPORT.singleConsumer = REPORT.apis.filter((a) => a.consumers === 1);

test('ranking: distinct consumers, then teams, then calls', () => {
  assert.deepEqual(
    rankReuse(REPORT.apis).map((a) => a.api.name),
    ['inventory-api', 'pricing-api', 'cart-api', 'auth-api', 'payments-api', 'loyalty-api'],
  );
});

test('reuse filters: URL round-trip, exclusive toggles, text filter', () => {
  const f = parseReuseParams(parseSearch('?from=now-24h&q=check&single=1'));
  assert.deepEqual(f, { q: 'check', single: true, unused: false });
  assert.deepEqual(parseReuseParams(parseSearch('?single=1&unused=1')), { q: '', single: true, unused: false });
  assert.deepEqual(parseReuseParams({}), { q: '', single: false, unused: false });
  assert.equal(hasReuseFilters(parseReuseParams({})), false);
  assert.equal(serializeSearch(applyPatch({ from: 'now-24h', unused: '1' }, reuseParamsPatch(f))), '?from=now-24h&q=check&single=1');
  assert.deepEqual(toggleReuse(f, 'unused'), { q: 'check', single: false, unused: true });
  assert.deepEqual(toggleReuse(f, 'single'), { q: 'check', single: false, unused: false });
  assert.deepEqual(toggleReuse({ q: '', single: false, unused: true }, 'unused'), { q: '', single: false, unused: false });

  const names = (rows: ApiReuse[]) => rows.map((r) => r.api.name);
  assert.deepEqual(names(filterReuse(REPORT, { q: '', single: true, unused: false })), ['auth-api', 'payments-api']);
  assert.deepEqual(names(filterReuse(REPORT, { q: '', single: false, unused: true })), ['loyalty-api']);
  // Matches consumer services and owners too.
  assert.deepEqual(names(filterReuse(REPORT, { q: 'web-gateway', single: false, unused: false })), ['cart-api', 'auth-api']);
  assert.deepEqual(names(filterReuse(REPORT, { q: 'storefront-team', single: false, unused: false })), ['pricing-api']);
  assert.deepEqual(names(filterReuse(REPORT, { q: 'checkout', single: true, unused: false })), ['payments-api']);
});
