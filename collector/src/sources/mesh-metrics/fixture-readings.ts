// Successive readings of the real Istio sidecar scrape for tests: the fixture
// as published, then the same text with its counters moved on (numbers edited
// in memory), so the rate tracker and the scraper see a proxy serving calls.
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../../../test/fixtures.ts';

/** The published Istio 1.11 sidecar scrape (productpage -> reviews, one call of 1050 ms). */
export const ISTIO_SCRAPE = readFileSync(fixturePath('mesh-metrics/istio/datadog-istio-1.11-proxy-merged.subset.prom'), 'utf8');

const DURATION = 'istio_request_duration_milliseconds';
const BOUNDS = ['0.5', '1', '5', '10', '25', '50', '100', '250', '500', '1000', '2500', '5000', '10000', '30000', '60000', '300000', '600000', '1800000', '3600000', '+Inf'];

/**
 * Sets sample values. Keys are a metric name, or `name@le` for one bucket;
 * only the series of the fixture (response_code="200") is changed.
 */
export function setValues(text: string, edits: Record<string, number>): string {
  return text.split('\n').map((line) => {
    const brace = line.indexOf('{');
    if (brace <= 0 || line.startsWith('#') || !line.includes('response_code="200"')) return line;
    const name = line.slice(0, brace);
    const le = /,le="([^"]+)"\}/.exec(line)?.[1];
    const value = edits[le ? `${name}@${le}` : name];
    return value === undefined ? line : line.replace(/ \S+$/, ` ${value}`);
  }).join('\n');
}

/** The cumulative `_bucket` values (as edits for setValues) of a histogram given its per-bucket counts. */
export function histogram(perBucket: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const b of BOUNDS) {
    total += perBucket[b] ?? 0;
    out[`${DURATION}_bucket@${b}`] = total;
  }
  return out;
}

/** The fixture's requests line copied with another response code and value (a series the fixture does not have). */
export function requestsLine(code: string, value: number): string {
  const line = ISTIO_SCRAPE.split('\n').find((l) => l.startsWith('istio_requests_total{'))!;
  return line.replace('response_code="200"', `response_code="${code}"`).replace(/ \S+$/, ` ${value}`);
}

/**
 * Four readings of the productpage -> reviews sidecar:
 * 1. the fixture: 1 call (2500 ms bucket), sum 1050;
 * 2. +3 calls of 20, 70 and 1500 ms (buckets 25, 100, 2500), and a first 503 series at 1;
 * 3. +2 calls of 300 ms each (bucket 500) with code 200, and the 503 series at 3;
 * 4. after a proxy restart: 1 call of 1200 ms, the 503 series gone.
 */
export const ISTIO_READINGS: string[] = [
  ISTIO_SCRAPE,
  `${setValues(ISTIO_SCRAPE, { istio_requests_total: 4, ...histogram({ 25: 1, 100: 1, 2500: 2 }), [`${DURATION}_sum`]: 2640, [`${DURATION}_count`]: 4 })}${requestsLine('503', 1)}\n`,
  `${setValues(ISTIO_SCRAPE, { istio_requests_total: 6, ...histogram({ 25: 1, 100: 1, 500: 2, 2500: 2 }), [`${DURATION}_sum`]: 3240, [`${DURATION}_count`]: 6 })}${requestsLine('503', 3)}\n`,
  setValues(ISTIO_SCRAPE, { istio_requests_total: 1, ...histogram({ 2500: 1 }), [`${DURATION}_sum`]: 1200, [`${DURATION}_count`]: 1 }),
];
