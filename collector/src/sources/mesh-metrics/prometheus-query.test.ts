import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prometheusQuerySamples } from './prometheus-query.ts';

// The fixture's series as a Prometheus server returns it: scrape labels added (instance, job, pod), values as strings.
const LABELS = {
  __name__: 'istio_requests_total', instance: '10.244.0.17:15020', job: 'kubernetes-pods', namespace: 'default', pod: 'reviews-v1-545db77b95-8xlqh',
  reporter: 'destination', response_code: '200', grpc_response_status: '', source_workload: 'productpage-v1', source_workload_namespace: 'default', source_app: 'productpage',
  destination_workload: 'reviews-v1', destination_workload_namespace: 'default', destination_app: 'reviews', destination_service: 'reviews.default.svc.cluster.local',
  destination_service_name: 'reviews', destination_service_namespace: 'default',
};
const vector = (result: unknown[]) => ({ status: 'success', data: { resultType: 'vector', result } });

test('a vector answer gives one sample per series, keyed by all its labels (so two pods stay two series)', () => {
  const r = prometheusQuerySamples('istio_requests_total', vector([
    { metric: LABELS, value: [1736942430.123, '41'] },
    { metric: { ...LABELS, pod: 'reviews-v1-545db77b95-zz9kq', instance: '10.244.0.18:15020' }, value: [1736942430.123, '2'] },
    { metric: { ...LABELS, reporter: 'source' }, value: [1736942430.123, '43'] },
  ]));
  assert.deepEqual(r.samples.map((s) => [s.kind, s.caller, s.callee, s.value]), [['requests', 'productpage', 'reviews', 41], ['requests', 'productpage', 'reviews', 2]]);
  assert.notEqual(r.samples[0]!.series, r.samples[1]!.series);
  assert.match(r.samples[0]!.series, /^istio_requests_total\{destination_app="reviews",.*pod="reviews-v1-545db77b95-8xlqh",/);
  assert.deepEqual(r.skipped, [{ line: 3, reason: 'reporter="source" for a destination with a proxy: counted from its reporter="destination" series' }]);
  assert.deepEqual(r.rejects, []);
});

test('answers that are not a successful vector are one reject saying what came back', () => {
  assert.deepEqual(prometheusQuerySamples('istio_requests_total', { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query"' }).rejects,
    [{ reason: 'istio_requests_total: Prometheus answered error (bad_data): invalid parameter "query"' }]);
  assert.deepEqual(prometheusQuerySamples('istio_requests_total', { status: 'success', data: { resultType: 'matrix', result: [] } }).rejects,
    [{ reason: 'istio_requests_total: expected data.resultType "vector" with a result array, got "matrix"' }]);
  assert.deepEqual(prometheusQuerySamples('istio_requests_total', [1, 2]).rejects, [{ reason: 'istio_requests_total: the answer is not a JSON object' }]);
});

test('series without a usable value are rejected by position', () => {
  const r = prometheusQuerySamples('istio_requests_total', vector([{ metric: LABELS, value: [1, 'NaN'] }, { metric: LABELS }, { metric: LABELS, value: [1, '5'] }]));
  assert.deepEqual(r.rejects, [
    { line: 1, reason: 'istio_requests_total: value NaN is not a counter value (a finite number >= 0)' },
    { line: 2, reason: 'istio_requests_total: result 2 is not {metric, value: [time, "value"]}' },
  ]);
  assert.equal(r.samples.length, 1);
});
