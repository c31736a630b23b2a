// Realistic gateway access-log lines for the gateway phase: Kong http-log JSON
// objects shaped like Kong's documented sample (its keys, less the route's and
// service's admin metadata: ~1.5 KB) and Envoy default text-format lines
// (~210 bytes), varied over services, routes, consumers, statuses and
// latencies, framed as NDJSON/text bodies.
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { mulberry32 } from '../cli/src/demo/prng.ts';

/** The two log shapes the phase sends, each to its own `POST /ingest/{format}`. */
export type GatewayBenchFormat = 'kong' | 'envoy';
/** Formats the gateway phase can send, in the order it runs them. */
export const GATEWAY_BENCH_FORMATS: readonly GatewayBenchFormat[] = ['kong', 'envoy'];

/** One pre-built request body. */
export interface GatewayBody {
  /** What goes on the wire (gzip when asked for). */
  bytes: Buffer;
  /** Uncompressed size. */
  rawBytes: number;
  lines: number;
}

interface Service {
  name: string;
  host: string;
  port: number;
  routes: Array<{ name: string; path: string; methods: string[] }>;
}

// A shop's APIs behind one gateway: enough variety that source_edges gets many
// (caller, callee, consumer, method, route) groups per minute, as in production.
const SERVICES: Service[] = [
  { name: 'orders', host: 'orders.shop.svc.cluster.local', port: 8080, routes: [{ name: 'orders-list', path: '/api/orders', methods: ['GET'] }, { name: 'orders-item', path: '/api/orders/{id}', methods: ['GET', 'PATCH', 'DELETE'] }, { name: 'orders-create', path: '/api/orders', methods: ['POST'] }] },
  { name: 'payments', host: 'payments.shop.svc.cluster.local', port: 8080, routes: [{ name: 'payments-create', path: '/api/payments', methods: ['POST'] }, { name: 'payments-item', path: '/api/payments/{id}', methods: ['GET'] }] },
  { name: 'catalog', host: 'catalog.shop.svc.cluster.local', port: 80, routes: [{ name: 'products', path: '/api/products', methods: ['GET'] }, { name: 'product', path: '/api/products/{id}', methods: ['GET'] }, { name: 'search', path: '/api/search', methods: ['GET'] }] },
  { name: 'inventory', host: 'inventory.shop.svc.cluster.local', port: 9090, routes: [{ name: 'stock', path: '/api/stock/{id}', methods: ['GET', 'PUT'] }] },
  { name: 'shipping', host: 'shipping.shop.svc.cluster.local', port: 8080, routes: [{ name: 'quotes', path: '/api/shipping/quotes', methods: ['POST'] }, { name: 'shipments', path: '/api/shipments/{id}', methods: ['GET'] }] },
  { name: 'accounts', host: 'accounts.shop.svc.cluster.local', port: 8080, routes: [{ name: 'me', path: '/api/accounts/me', methods: ['GET', 'PATCH'] }, { name: 'login', path: '/api/login', methods: ['POST'] }] },
  { name: 'reviews', host: 'reviews.shop.svc.cluster.local', port: 9080, routes: [{ name: 'reviews', path: '/api/products/{id}/reviews', methods: ['GET', 'POST'] }] },
  { name: 'httpbin', host: 'httpbin.konghq.com', port: 80, routes: [{ name: 'example_route', path: '/example-route', methods: ['GET'] }] },
];
const CONSUMERS = Array.from({ length: 40 }, (_, i) => ({ id: `c0a8${i.toString(16).padStart(4, '0')}-5e1f-4c2b-9d3a-${(0x1a2b3c4d5e6f + i * 7919).toString(16).slice(-12)}`, username: `partner-${i}` }));
const AGENTS = ['HTTPie/3.2.3', 'okhttp/4.12.0', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36', 'python-requests/2.32.3', 'Go-http-client/1.1', 'curl/8.5.0'];
const WS = 'f381e34e-5c25-4e65-b91b-3c0a86cfc393';

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const hex = (n: number) => randomBytes(n).toString('hex');

// Mostly 2xx, some 4xx, ~1.5% 5xx; latencies log-normal-ish with a long tail.
function statusOf(r: () => number, method: string): number {
  const x = r();
  if (x < 0.015) return pick(r, [500, 502, 503, 504]);
  if (x < 0.06) return pick(r, [400, 401, 403, 404, 404, 409, 429]);
  return method === 'POST' ? 201 : method === 'DELETE' ? 204 : 200;
}
function latencyOf(r: () => number): number {
  const base = Math.exp(1.5 + 1.6 * (r() + r() + r() - 1.5));
  return Math.max(1, Math.round(r() < 0.01 ? base * 20 : base));
}
const concrete = (path: string, r: () => number) => path.replace('{id}', String(Math.floor(r() * 100_000)));

/** One Kong http-log record (the plugin's JSON object) for a request at `startedAt`. */
export function kongLine(r: () => number, startedAt: number): string {
  const svc = pick(r, SERVICES);
  const route = pick(r, svc.routes);
  const method = pick(r, route.methods);
  const status = statusOf(r, method);
  const upstream = latencyOf(r);
  const kong = 1 + Math.floor(r() * 3);
  const consumer = r() < 0.85 ? pick(r, CONSUMERS) : undefined;
  const uri = concrete(route.path, r) + (method === 'GET' && r() < 0.3 ? `?page=${1 + Math.floor(r() * 9)}` : '');
  const reqId = hex(16);
  const ip = `10.${Math.floor(r() * 4)}.${Math.floor(r() * 255)}.${1 + Math.floor(r() * 250)}`;
  const size = 200 + Math.floor(r() * 20_000);
  const record = {
    response: {
      size: size + 380,
      headers: {
        'content-type': 'application/json', 'content-length': String(size), via: '1.1 kong/3.8.0.0-enterprise-edition',
        'x-kong-upstream-latency': String(upstream), 'x-kong-proxy-latency': String(kong), 'x-kong-request-id': reqId,
      },
      status,
    },
    route: {
      protocols: ['http', 'https'], service: { id: `fb4eecf8-dec2-40ef-b779-${svc.name.padEnd(12, '0').slice(0, 12)}` },
      name: route.name, id: `0f1a4101-3327-4274-b1e4-${route.name.padEnd(12, '0').slice(0, 12)}`, strip_path: true, ws_id: WS, paths: [route.path.replace('{id}', '~')],
    },
    workspace: WS,
    workspace_name: 'default',
    tries: status === 401 || status === 403 ? [] : [{ balancer_start: startedAt + kong, ip: `10.42.${Math.floor(r() * 8)}.${Math.floor(r() * 250)}`, balancer_latency: 0, port: svc.port }],
    client_ip: ip,
    request: {
      id: reqId,
      headers: {
        accept: 'application/json', 'user-agent': pick(r, AGENTS), host: 'api.shop.example.com',
        traceparent: `00-${hex(16)}-${hex(8)}-01`,
      },
      uri,
      size: method === 'GET' ? 139 + Math.floor(r() * 200) : 400 + Math.floor(r() * 4000),
      method,
      querystring: {},
      url: `https://api.shop.example.com:8443${uri}`,
    },
    upstream_uri: uri,
    started_at: startedAt,
    source: status === 401 || status === 403 ? 'kong' : 'upstream',
    upstream_status: String(status),
    latencies: { kong, proxy: status === 401 || status === 403 ? -1 : upstream, request: upstream + kong + 1, receive: 1 },
    ...(consumer ? { consumer: { id: consumer.id, username: consumer.username } } : {}),
    service: {
      host: svc.host, name: svc.name, id: `fb4eecf8-dec2-40ef-b779-${svc.name.padEnd(12, '0').slice(0, 12)}`, port: svc.port, protocol: 'http', retries: 5,
    },
  };
  return JSON.stringify(record);
}

/** One line in Envoy's default text access-log format for a request at `startedAt`. */
export function envoyLine(r: () => number, startedAt: number): string {
  const svc = pick(r, SERVICES);
  const route = pick(r, svc.routes);
  const method = pick(r, route.methods);
  const status = statusOf(r, method);
  const duration = latencyOf(r);
  const noUpstream = status === 503 && r() < 0.3;
  const flags = noUpstream ? 'UH' : status === 504 ? 'UT' : '-';
  const path = concrete(route.path, r);
  const xff = `10.${Math.floor(r() * 4)}.${Math.floor(r() * 255)}.${1 + Math.floor(r() * 250)}`;
  const bytesIn = method === 'GET' ? 0 : 300 + Math.floor(r() * 4000);
  const bytesOut = 100 + Math.floor(r() * 20_000);
  const upstreamHost = noUpstream ? '-' : `10.42.${Math.floor(r() * 8)}.${Math.floor(r() * 250)}:${svc.port}`;
  const ust = noUpstream ? '-' : String(Math.max(0, duration - 1));
  const id = `${hex(4)}-${hex(2)}-${hex(2)}-${hex(2)}-${hex(6)}`;
  return `[${new Date(startedAt).toISOString()}] "${method} ${path} HTTP/1.1" ${status} ${flags} ${bytesIn} ${bytesOut} ${duration} ${ust} "${xff}" "${pick(r, AGENTS)}" "${id}" "${svc.name}.shop.svc.cluster.local:${svc.port}" "${upstreamHost}"`;
}

/**
 * `count` bodies of `linesPerBody` lines each (NDJSON for Kong, text lines for
 * Envoy), request times spread evenly over the `spreadMs` before `nowMs`.
 */
export function buildGatewayBodies(format: GatewayBenchFormat, count: number, linesPerBody: number, gzip: boolean, nowMs: number, spreadMs = 60_000): GatewayBody[] {
  const r = mulberry32(format === 'kong' ? 0x6b6f6e67 : 0x656e766f);
  const line = format === 'kong' ? kongLine : envoyLine;
  const total = count * linesPerBody;
  const bodies: GatewayBody[] = [];
  for (let b = 0; b < count; b++) {
    const lines: string[] = [];
    for (let i = 0; i < linesPerBody; i++) lines.push(line(r, nowMs - spreadMs + Math.floor(((b * linesPerBody + i) * spreadMs) / total)));
    const raw = Buffer.from(lines.join('\n') + '\n');
    // Fluent Bit's http output compresses with the default zlib level when `compress gzip` is set.
    bodies.push({ bytes: gzip ? gzipSync(raw) : raw, rawBytes: raw.length, lines: linesPerBody });
  }
  return bodies;
}
