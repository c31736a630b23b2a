// Measures parseGatewayLog alone, per format, on 200k synthesized lines shaped
// like the fixtures (CRI-wrapped for Envoy/Istio). Not a test: run it by hand,
//   node collector/src/sources/gateway-logs/parse-speed.ts [lines]
// The ingest path's target is 100k lines/s on 2 cores, so the parse should
// take a small part of that budget.
import { GATEWAY_FORMATS, type GatewayFormat } from './api-call.ts';
import { parseGatewayLog } from './parse-gateway-log.ts';

const LINES = Number(process.argv[2] ?? 200_000);
const START = Date.UTC(2026, 0, 8, 14);
const iso = (i: number) => new Date(START + i).toISOString();
const cri = (i: number, log: string) => `${iso(i).replace('Z', '000000+00:00')} stdout F ${log}`;

const LINE: Record<GatewayFormat, (i: number) => string> = {
  kong: (i) =>
    JSON.stringify({
      request: { id: `2f6946328ffc4946b8c9120704a4${i}`, method: 'GET', uri: `/pets/${i}?q=1`, url: `http://localhost:8000/pets/${i}`, size: 139, headers: { accept: '*/*', 'user-agent': 'HTTPie/3.2.3', host: 'localhost:8000', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, querystring: {} },
      response: { status: 200, size: 9982, headers: { 'content-type': 'application/json', 'x-kong-upstream-latency': '171', 'x-kong-proxy-latency': '1' } },
      route: { id: '0f1a4101-3327-4274-b1e4-484a4ab0c030', name: 'pets', paths: ['/pets'], protocols: ['http', 'https'], strip_path: true },
      service: { host: 'pets.default.svc.cluster.local', name: 'pets', port: 80, protocol: 'http', retries: 5 },
      consumer: { id: 'ae974d6c-0f8a-4dc5-b701-fa0aa38592bd', username: `team-${i % 20}` },
      latencies: { kong: 1, proxy: 171, request: 173, receive: 1 },
      tries: [{ balancer_start: START + i, ip: '10.0.0.5', port: 80, balancer_latency: 0 }],
      client_ip: '192.168.65.1', upstream_uri: `/pets/${i}`, started_at: START + i, source: 'upstream', workspace_name: 'default',
    }),
  envoy: (i) =>
    cri(i, JSON.stringify({
      ':authority': 'www.example.com', bytes_received: 0, bytes_sent: 121258, connection_termination_details: null, downstream_local_address: '10.42.0.77:10443',
      downstream_remote_address: '10.0.0.12:59292', duration: 11, method: 'GET', protocol: 'HTTP/2', requested_server_name: null, response_code: 200,
      response_code_details: 'via_upstream', response_flags: '-', route_name: 'httproute/app/app-www-example-com/rule/0/match/0/www_example_com', start_time: iso(i),
      upstream_cluster: 'httproute/app/app-www-example-com/rule/0', upstream_host: '10.42.0.82:8080', upstream_local_address: '10.42.0.77:51216',
      upstream_transport_failure_reason: null, 'user-agent': 'Mozilla/5.0', 'x-envoy-origin-path': `/assets/${i}.webp`, 'x-envoy-upstream-service-time': '9',
      'x-forwarded-for': '10.0.0.12', 'x-request-id': `3bbc0252-2d5c-49fe-bd89-${i}`,
    })),
  istio: (i) =>
    cri(i, `[${iso(i)}] "GET /details/${i} HTTP/1.1" 200 - via_upstream - "-" 0 178 1 0 "-" "Go-http-client/1.1" "e7d5b6ce-5f7f-9731-8471-${i}" "details:9080" "10.244.0.32:9080" outbound|9080||details.bookinfo.svc.cluster.local 10.244.0.37:40000 10.96.185.196:9080 10.244.0.37:52134 - default`),
  'aws-apigateway': (i) =>
    JSON.stringify({ requestId: `c6af9ac6-7b61-11e6-9a41-${i}`, ip: '198.51.100.7', requestTime: '21/Nov/2025:14:03:07 +0000', requestTimeEpoch: START + i, httpMethod: 'GET', routeKey: 'GET /pets/{id}', path: `/pets/${i}`, status: '200', protocol: 'HTTP/1.1', responseLength: '58', responseLatency: '12', integrationLatency: '10', apiId: 'a1b2c3d4e5', stage: 'prod' }),
  traefik: (i) =>
    JSON.stringify({
      ClientAddr: '172.17.0.1:39496', ClientHost: '172.17.0.1', ClientPort: '39496', ClientUsername: '-', DownstreamContentSize: 357, DownstreamStatus: 200, Duration: 357313,
      OriginContentSize: 357, OriginDuration: 324669, OriginStatus: 200, Overhead: 32644, RequestAddr: 'test.docker.localhost', RequestContentSize: 0, RequestCount: i,
      RequestHost: 'test.docker.localhost', RequestMethod: 'GET', RequestPath: `/item/${i}`, RequestPort: '-', RequestProtocol: 'HTTP/1.1', RequestScheme: 'http', RetryAttempts: 0,
      RouterName: 'test@docker', ServiceAddr: '172.17.0.3:80', ServiceName: 'test@docker', ServiceURL: 'http://172.17.0.3:80', StartLocal: iso(i), StartUTC: iso(i),
      entryPointName: 'http', level: 'info', msg: '', 'request_User-Agent': 'Nikto', 'request_X-Request-Id': `req-${i}`, time: iso(i),
    }),
};

for (const format of GATEWAY_FORMATS) {
  const body = Array.from({ length: LINES }, (_, i) => LINE[format](i)).join('\n');
  parseGatewayLog(format, body.slice(0, 1_000_000)); // warm up
  const t0 = performance.now();
  const r = parseGatewayLog(format, body);
  const s = (performance.now() - t0) / 1000;
  if (r.calls.length !== LINES) throw new Error(`${format}: ${r.calls.length} calls, first reject ${JSON.stringify(r.rejects[0])}`);
  console.log(`${format.padEnd(15)} ${LINES} lines ${(body.length / 1e6).toFixed(0).padStart(4)} MB  ${s.toFixed(2)} s  ${Math.round(LINES / s).toLocaleString('en-US').padStart(9)} lines/s`);
}
