import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barSegments, serviceTotals } from './critical-path.ts';
import type { CriticalPathContributor } from './investigate-api.ts';

const c = (service: string, operation: string, share: number): CriticalPathContributor => ({
  service,
  operation,
  share,
  meanSelfMs: share * 100,
  p95SelfMs: share * 200,
  spans: 10,
});

// The product page: recommendation dominates; storefront-bff appears twice (before and after its calls).
const CONTRIBUTORS = [
  c('recommendation', 'GET /recommendations/{sku}', 0.5),
  c('storefront-bff', 'GET /products/{id}', 0.25),
  c('catalog', 'POST /products/batch', 0.125),
  c('storefront-bff', 'GET /products/{id} render', 0.0625),
  c('web-gateway', 'GET /products/{id}', 0.0625),
];

test('segments follow the served order, start where the previous ends and fill the bar', () => {
  const s = barSegments(CONTRIBUTORS);
  assert.equal(s.length, CONTRIBUTORS.length, 'one segment per contributor');
  assert.deepEqual(
    s.map((x) => [x.service, x.start, x.width]),
    [
      ['recommendation', 0, 0.5],
      ['storefront-bff', 0.5, 0.25],
      ['catalog', 0.75, 0.125],
      ['storefront-bff', 0.875, 0.0625],
      ['web-gateway', 0.9375, 0.0625],
    ],
  );
  assert.equal(s[1]!.p95SelfMs, 50);
});

test('shares that do not sum to 1 are rescaled for the widths but shown as served', () => {
  const s = barSegments([c('a', 'x', 0.375), c('b', 'y', 0.125)]);
  assert.deepEqual(
    s.map((x) => [x.share, x.start, x.width]),
    [
      [0.375, 0, 0.75],
      [0.125, 0.75, 0.25],
    ],
  );
  assert.deepEqual(barSegments([]), []);
  assert.deepEqual(barSegments([c('a', 'x', 0)]).map((x) => x.width), [0]);
});

test('service totals for the legend: a service split over segments is summed', () => {
  assert.deepEqual(serviceTotals(barSegments(CONTRIBUTORS)), [
    { service: 'recommendation', share: 0.5 },
    { service: 'storefront-bff', share: 0.3125 },
    { service: 'catalog', share: 0.125 },
    { service: 'web-gateway', share: 0.0625 },
  ]);
  assert.deepEqual(serviceTotals(barSegments([c('b', 'x', 0.25), c('a', 'y', 0.25)])).map((t) => t.service), ['a', 'b'], 'ties by name');
});
