import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../../../test/fixtures.ts';
import { meshSamples } from './exposition.ts';
import { ISTIO_SCRAPE } from './fixture-readings.ts';

const LINKERD_SCRAPE = readFileSync(fixturePath('mesh-metrics/linkerd/sampleMetrics.txt'), 'utf8');
const LINKERD_AUTHZ = readFileSync(fixturePath('mesh-metrics/linkerd/obfuscate-diagnostics-proxy-metrics.input.txt'), 'utf8');

const REQUESTS_LINE = ISTIO_SCRAPE.split('\n').find((l) => l.startsWith('istio_requests_total{'))!;
const BOUNDS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000, Infinity];

// One requests line of the fixture with labels replaced, as a scrape of its own.
function istioLine(replace: Array<[string, string]>, value = '7'): string {
  let line = REQUESTS_LINE;
  for (const [from, to] of replace) {
    assert.ok(line.includes(from), `fixture line has ${from}`);
    line = line.replace(from, to);
  }
  return `${line.replace(/ \S+$/, ` ${value}`)}\n`;
}

const edge = (text: string, o = {}) => meshSamples(text, o).samples.map((s) => ({ caller: s.caller, callee: s.callee, error: s.error, value: s.value }));

test('Istio sidecar fixture: the one productpage -> reviews series, its 20 buckets, sum and count; nothing else is read', () => {
  const r = meshSamples(ISTIO_SCRAPE);
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.skipped, []);
  assert.equal(r.samples.length, 23);
  for (const s of r.samples) {
    assert.equal(s.mesh, 'istio');
    assert.equal(s.caller, 'productpage');
    assert.equal(s.callee, 'reviews');
    assert.equal(s.error, false);
  }
  const [requests, ...rest] = r.samples;
  assert.deepEqual({ kind: requests!.kind, value: requests!.value, line: requests!.line }, { kind: 'requests', value: 1, line: 2 });
  assert.match(requests!.series, /^istio_requests_total\{connection_security_policy="mutual_tls",.*response_code="200",.*source_workload_namespace="default"\}$/);
  const buckets = rest.filter((s) => s.kind === 'bucket');
  assert.deepEqual(buckets.map((s) => s.le), BOUNDS);
  // The one call took 1050 ms: cumulative 0 up to le=1000, 1 from le=2500 on.
  assert.deepEqual(buckets.map((s) => s.value), BOUNDS.map((b) => (b >= 2500 ? 1 : 0)));
  assert.deepEqual(buckets.map((s) => s.line), BOUNDS.map((_, i) => 29 + i));
  assert.equal(new Set(buckets.map((s) => s.series)).size, 1, 'buckets of one series share its identity');
  const tail = rest.filter((s) => s.kind !== 'bucket').map((s) => [s.kind, s.value, s.line]);
  assert.deepEqual(tail, [['sum', 1050, 49], ['count', 1, 50]]);
});

test('Istio: the naming rule applies to both ends', () => {
  const keepNs = meshSamples(ISTIO_SCRAPE, { naming: { format: 'name.namespace', aliases: {} } }).samples[0]!;
  assert.deepEqual([keepNs.caller, keepNs.callee], ['productpage.default', 'reviews.default']);
  const aliased = meshSamples(ISTIO_SCRAPE, { naming: { format: 'name', aliases: { reviews: 'reviews-api' } } }).samples[0]!;
  assert.deepEqual([aliased.caller, aliased.callee], ['productpage', 'reviews-api']);
});

test('Istio reporter rule: destination counts; source only when the destination has no proxy; gateways follow the same rule', () => {
  const source = meshSamples(istioLine([['reporter="destination"', 'reporter="source"']]));
  assert.deepEqual(source.samples, []);
  assert.deepEqual(source.skipped, [{ line: 1, reason: 'reporter="source" for a destination with a proxy: counted from its reporter="destination" series' }]);

  // An external destination without a proxy: only the caller's source report exists.
  const external = istioLine([
    ['reporter="destination"', 'reporter="source"'],
    ['destination_workload="reviews-v1"', 'destination_workload="unknown"'],
    ['destination_service="reviews.default.svc.cluster.local"', 'destination_service="api.github.com"'],
    ['destination_service_name="reviews"', 'destination_service_name="api.github.com"'],
    ['destination_app="reviews"', 'destination_app="unknown"'],
    ['destination_canonical_service="reviews"', 'destination_canonical_service="unknown"'],
  ]);
  assert.deepEqual(edge(external), [{ caller: 'productpage', callee: 'api.github.com', error: false, value: 7 }]);

  const gateway: Array<[string, string]> = [
    ['source_workload="productpage-v1"', 'source_workload="istio-ingressgateway"'],
    ['source_app="productpage"', 'source_app="istio-ingressgateway"'],
    ['source_canonical_service="productpage"', 'source_canonical_service="istio-ingressgateway"'],
    ['source_workload_namespace="default"', 'source_workload_namespace="istio-system"'],
  ];
  // The gateway's own source report of a call into a meshed service is the second report of that call.
  assert.deepEqual(meshSamples(istioLine([...gateway, ['reporter="destination"', 'reporter="source"']])).samples, []);
  assert.deepEqual(edge(istioLine(gateway)), [{ caller: 'istio-ingressgateway', callee: 'reviews', error: false, value: 7 }]);

  assert.deepEqual(edge(istioLine([['reporter="destination"', 'reporter="waypoint"']])), [{ caller: 'productpage', callee: 'reviews', error: false, value: 7 }]);
  assert.deepEqual(meshSamples(istioLine([['reporter="destination"', 'reporter="proxy"']])).rejects, [{ line: 1, reason: 'reporter "proxy" unknown (expected destination, source or waypoint)' }]);
});

test('Istio: a caller without a proxy is unknown; 5xx and gRPC statuses other than OK are errors', () => {
  const unmeshed = istioLine([
    ['source_workload="productpage-v1"', 'source_workload="unknown"'],
    ['source_app="productpage"', 'source_app="unknown"'],
    ['source_canonical_service="productpage"', 'source_canonical_service="unknown"'],
    ['source_workload_namespace="default"', 'source_workload_namespace="unknown"'],
  ]);
  assert.deepEqual(edge(unmeshed), [{ caller: 'unknown', callee: 'reviews', error: false, value: 7 }]);
  assert.equal(edge(istioLine([['response_code="200"', 'response_code="503"']]))[0]!.error, true);
  assert.equal(edge(istioLine([['response_code="200"', 'response_code="404"']]))[0]!.error, false);
  assert.equal(edge(istioLine([['grpc_response_status=""', 'grpc_response_status="14"']]))[0]!.error, true);
  assert.equal(edge(istioLine([['grpc_response_status=""', 'grpc_response_status="0"']]))[0]!.error, false);
});

test('escaped label values are unescaped by the parser', () => {
  const escaped = istioLine([['source_app="productpage"', 'source_app="product\\"page\\\\v\\n2"']]);
  assert.equal(meshSamples(escaped).samples[0]!.caller, 'product"page\\v\n2');
});

test('unusable lines are rejected with their line number and why; the rest of the scrape is read', () => {
  const lines = ISTIO_SCRAPE.split('\n');
  lines[1] = lines[1]!.replace(/ 1$/, ' NaN'); // istio_requests_total
  lines[28] = lines[28]!.replace('le="0.5"', 'le="half"'); // first bucket
  lines[29] = lines[29]!.replace('reporter="destination",', 'reporter "destination",'); // broken label syntax
  const r = meshSamples(lines.join('\n'));
  assert.deepEqual(r.rejects, [
    { line: 2, reason: 'value NaN is not a counter value (a finite number >= 0)' },
    { line: 29, reason: 'bucket le "half" is not a number' },
    { line: 30, reason: `malformed sample line (Encountered invalid line: ${lines[29]!.slice(0, 160 - 'Encountered invalid line: '.length)})` },
  ]);
  assert.equal(r.samples.length, 20);
});

test('a scrape read as the other mesh yields nothing, and says so', () => {
  const r = meshSamples(ISTIO_SCRAPE, { mesh: 'linkerd' });
  assert.deepEqual(r.samples, []);
  assert.deepEqual(r.rejects, [{ reason: "no response_total series: not a linkerd proxy's metrics, or no requests through it yet" }]);
});

test('Linkerd proxy fixture: its only HTTP traffic is inbound to the admin port 4191, skipped line by line as not calls', () => {
  const r = meshSamples(LINKERD_SCRAPE);
  assert.deepEqual(r.samples, []);
  assert.deepEqual(r.rejects, []);
  // response_latency_ms: 26 buckets (lines 18-43), _count (44), _sum (45); response_total (48).
  assert.deepEqual(r.skipped.map((s) => s.line), [...Array.from({ length: 28 }, (_, i) => 18 + i), 48]);
  assert.ok(r.skipped.every((s) => s.reason === "inbound to the proxy's admin port 4191: probes and scrapes of the proxy, not calls to the service"));
});

test('Linkerd authorization fixture: no response metrics at all, rejected as a whole', () => {
  const r = meshSamples(LINKERD_AUTHZ, { mesh: 'linkerd' });
  assert.deepEqual(r, { samples: [], rejects: [{ reason: "no response_total series: not a linkerd proxy's metrics, or no requests through it yet" }], skipped: [] });
});

// The fixture's inbound response_total, moved from the admin port to the app port 8080.
const LINKERD_INBOUND = LINKERD_SCRAPE.split('\n').find((l) => l.startsWith('response_total{'))!
  .replace('target_addr="0.0.0.0:4191",target_ip="0.0.0.0",target_port="4191"', 'target_addr="10.42.0.63:8080",target_ip="10.42.0.63",target_port="8080"');
// The fixture's outbound connection to opaque-pod (tcp_open_total's dst_* labels) as a response series.
const LINKERD_OUTBOUND = LINKERD_SCRAPE.split('\n').find((l) => l.startsWith('tcp_open_total{direction="outbound",peer="dst"'))!
  .replace('tcp_open_total{direction="outbound",peer="dst",', 'response_total{direction="outbound",')
  .replace('dst_serviceaccount="default"} 1', 'dst_serviceaccount="default",status_code="500",classification="failure"} 12');

test('Linkerd inbound from an unmeshed client counts as unknown -> the proxy\'s own workload; over mTLS it was counted at the client', () => {
  const self = { workload: 'slow-cooker', namespace: 'linkerd-opaque-ports-test' };
  assert.deepEqual(edge(LINKERD_INBOUND, { self }), [{ caller: 'unknown', callee: 'slow-cooker', error: false, value: 29 }]);
  assert.deepEqual(meshSamples(LINKERD_INBOUND).rejects, [{ line: 1, reason: "inbound series but the proxy's own workload is unknown (no deployment/namespace labels; configure the target's workload)" }]);
  // Through a Prometheus, linkerd-viz's relabeling puts the workload on the series.
  const relabeled = LINKERD_INBOUND.replace('{direction="inbound",', '{namespace="emojivoto",deployment="web",pod="web-5f86686c4d-58p7k",direction="inbound",');
  assert.deepEqual(edge(relabeled), [{ caller: 'unknown', callee: 'web', error: false, value: 29 }]);
  const mtls = LINKERD_INBOUND.replace('tls="no_identity",no_tls_reason="no_tls_from_remote"', 'tls="true",client_id="web.emojivoto.serviceaccount.identity.linkerd.cluster.local"');
  assert.deepEqual(meshSamples(mtls, { self }).skipped, [{ line: 1, reason: "inbound from a meshed client: counted from that client's outbound series" }]);
});

test('Linkerd outbound: the proxy\'s workload -> dst_deployment; classification="failure" is an error', () => {
  assert.deepEqual(edge(LINKERD_OUTBOUND, { self: { workload: 'slow-cooker' } }), [{ caller: 'slow-cooker', callee: 'opaque-pod', error: true, value: 12 }]);
  assert.deepEqual(edge(LINKERD_OUTBOUND, { naming: { format: 'name.namespace', aliases: {} } }), [{ caller: 'unknown', callee: 'opaque-pod.linkerd-opaque-ports-test', error: true, value: 12 }]);
  const service = LINKERD_OUTBOUND.replace('dst_deployment="opaque-pod"', 'dst_deployment="opaque-pod",dst_service="opaque-svc"').replace('classification="failure"', 'classification="success"');
  assert.deepEqual(edge(service, { self: { workload: 'slow-cooker' } }), [{ caller: 'slow-cooker', callee: 'opaque-svc', error: false, value: 12 }]);
});
