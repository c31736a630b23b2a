// The synthetic shop both span generators build: one gateway, eleven backends
// with their databases, three external APIs and an `orders` topic. The OTLP
// bodies (ingest) and the in-ClickHouse generator (query latency) fill the same
// trace templates, so the expected graph can be derived here, independently of
// Plexus's edge SQL.

/** The services: a gateway in front of eleven backends. */
export const GATEWAY = 'api-gateway';
export const BACKENDS = [
  'checkout', 'cart', 'catalog', 'payments', 'users', 'inventory',
  'shipping', 'search', 'recommendations', 'notifications', 'pricing',
] as const;
/** db.system of each backend's database, in BACKENDS order. */
export const BACKEND_DB = [
  'postgresql', 'redis', 'mongodb', 'postgresql', 'postgresql', 'postgresql',
  'mongodb', 'redis', 'redis', 'mongodb', 'postgresql',
] as const;
/** Third-party APIs (EXTERNAL nodes), the topic, and who consumes it. */
export const EXTERNAL_HOSTS = ['api.stripe.com', 'maps.googleapis.com', 'api.sendgrid.com'] as const;
export const TOPIC = 'orders';
export const CONSUMERS = ['notifications', 'shipping', 'inventory'] as const;
/** Share of traces that take the asynchronous (order) path. */
export const ASYNC_SHARE = 0.3;
/** Failing traces per thousand. */
export const FAILURES_PER_MILLE = 15;

/** Span kinds as otel_traces stores them, with their OTLP enum numbers. */
export const KIND_NUMBER = { Server: 2, Client: 3, Producer: 4, Consumer: 5 } as const;
/** A span kind as otel_traces spells it. */
export type StoredKind = keyof typeof KIND_NUMBER;

/**
 * One span of a trace template. Strings may hold tokens filled per trace:
 * {gw} {A} {B} {C} {dbA} {dbB} {ext} {topic} {id} {code} (and {svc} {pod} in
 * resource attributes).
 */
export interface SpanTemplate {
  /** Index of the parent span in the template; -1 for the root. */
  parent: number;
  service: string;
  kind: StoredKind;
  name: string;
  attributes: ReadonlyArray<readonly [string, string]>;
  /** Start and duration as fractions of the root span's duration. */
  start: number;
  duration: number;
  /** On a failing trace: status Error (with an exception event), or status unset with HTTP 502. */
  onFailure?: 'error' | 'http5xx';
}

const http = (method: string, path: string): Array<[string, string]> => [
  ['http.request.method', method], ['url.path', path], ['url.scheme', 'https'], ['http.response.status_code', '{code}'],
];
const httpClient = (method: string, host: string, path: string): Array<[string, string]> => [
  ['http.request.method', method], ['server.address', host], ['server.port', '443'], ['url.full', `https://${host}${path}`], ['http.response.status_code', '{code}'],
];
const db = (system: string, table: string, op: string): Array<[string, string]> => [
  ['db.system', system], ['db.operation.name', op], ['db.collection.name', table], ['server.address', `${table}-db.internal`], ['server.port', '5432'],
];

/** gateway -> A -> (A's database, B -> (B's database, an external API)): 8 spans. */
export const SYNC_TRACE: readonly SpanTemplate[] = [
  { parent: -1, service: '{gw}', kind: 'Server', name: 'GET /api/{A}/:id', attributes: [...http('GET', '/api/{A}/{id}'), ['http.route', '/api/{A}/:id']], start: 0, duration: 1, onFailure: 'http5xx' },
  { parent: 0, service: '{gw}', kind: 'Client', name: 'GET', attributes: httpClient('GET', '{A}', '/{A}/{id}'), start: 0.02, duration: 0.95, onFailure: 'http5xx' },
  { parent: 1, service: '{A}', kind: 'Server', name: 'GET /{A}/:id', attributes: [...http('GET', '/{A}/{id}'), ['http.route', '/{A}/:id']], start: 0.04, duration: 0.9, onFailure: 'error' },
  { parent: 2, service: '{A}', kind: 'Client', name: 'SELECT {A}', attributes: db('{dbA}', '{A}', 'SELECT'), start: 0.06, duration: 0.15 },
  { parent: 2, service: '{A}', kind: 'Client', name: 'GET', attributes: httpClient('GET', '{B}', '/{B}/{id}'), start: 0.25, duration: 0.6, onFailure: 'error' },
  { parent: 4, service: '{B}', kind: 'Server', name: 'GET /{B}/:id', attributes: [...http('GET', '/{B}/{id}'), ['http.route', '/{B}/:id']], start: 0.27, duration: 0.55, onFailure: 'error' },
  { parent: 5, service: '{B}', kind: 'Client', name: 'SELECT {B}', attributes: db('{dbB}', '{B}', 'SELECT'), start: 0.3, duration: 0.15 },
  { parent: 5, service: '{B}', kind: 'Client', name: 'POST', attributes: httpClient('POST', '{ext}', '/v1/requests'), start: 0.5, duration: 0.3 },
];

/** gateway -> checkout -> (postgresql, orders topic -> consumer C): 6 spans. */
export const ASYNC_TRACE: readonly SpanTemplate[] = [
  { parent: -1, service: '{gw}', kind: 'Server', name: 'POST /api/orders', attributes: [...http('POST', '/api/orders'), ['http.route', '/api/orders']], start: 0, duration: 1, onFailure: 'http5xx' },
  { parent: 0, service: '{gw}', kind: 'Client', name: 'POST', attributes: httpClient('POST', 'checkout', '/orders'), start: 0.02, duration: 0.9, onFailure: 'http5xx' },
  { parent: 1, service: 'checkout', kind: 'Server', name: 'POST /orders', attributes: [...http('POST', '/orders'), ['http.route', '/orders']], start: 0.04, duration: 0.85, onFailure: 'error' },
  { parent: 2, service: 'checkout', kind: 'Client', name: 'INSERT orders', attributes: db('postgresql', 'orders', 'INSERT'), start: 0.1, duration: 0.2, onFailure: 'error' },
  { parent: 2, service: 'checkout', kind: 'Producer', name: '{topic} publish', attributes: [['messaging.system', 'kafka'], ['messaging.destination.name', '{topic}'], ['messaging.operation.type', 'publish']], start: 0.4, duration: 0.05 },
  { parent: 4, service: '{C}', kind: 'Consumer', name: '{topic} process', attributes: [['messaging.system', 'kafka'], ['messaging.destination.name', '{topic}'], ['messaging.operation.type', 'process']], start: 0.9, duration: 0.5 },
];

/** Resource attributes of every span ({svc}: its service, {pod}: one of three instances). */
export const RESOURCE_ATTRIBUTES: ReadonlyArray<readonly [string, string]> = [
  ['service.name', '{svc}'], ['service.namespace', 'shop'], ['service.version', '2.3.1'], ['deployment.environment.name', 'production'],
  ['host.name', '{svc}-{pod}'], ['telemetry.sdk.name', 'opentelemetry'], ['telemetry.sdk.language', 'nodejs'],
];

/** Per-trace choices that fill a template's tokens. */
export interface Roles {
  A: string;
  B: string;
  C: string;
  ext: string;
}

/** The token values of one trace ({code} is per span: see httpCode). */
export function tokens(r: Roles, id: number): Record<string, string> {
  return { gw: GATEWAY, A: r.A, B: r.B, C: r.C, ext: r.ext, topic: TOPIC, id: String(id), dbA: dbOf(r.A), dbB: dbOf(r.B), code: '200' };
}

/** The HTTP status a span reports: 500 where it fails with an error, 502 where it relays one. */
export function httpCode(span: SpanTemplate, failing: boolean): string {
  if (!failing || !span.onFailure) return '200';
  return span.onFailure === 'error' ? '500' : '502';
}

/** Replaces {token}s; unknown tokens stay as they are. */
export function fill(template: string, values: Record<string, string>): string {
  return template.includes('{') ? template.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m) : template;
}

/** db.system of a backend. */
export function dbOf(service: string): string {
  const i = (BACKENDS as readonly string[]).indexOf(service);
  return i >= 0 ? BACKEND_DB[i]! : 'postgresql';
}

/**
 * The dependency graph these templates must produce (DESIGN.md §5 rules, read
 * off the templates for every possible choice of roles): node and edge ids.
 */
export function expectedGraph(): { nodes: Set<string>; edges: Set<string> } {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  const add = (from: string, to: string) => {
    nodes.add(from);
    nodes.add(to);
    edges.add(`${from}->${to}`);
  };
  const combos: Array<[readonly SpanTemplate[], Roles]> = [];
  for (const A of BACKENDS) for (const B of BACKENDS) for (const ext of EXTERNAL_HOSTS) if (A !== B) combos.push([SYNC_TRACE, { A, B, C: CONSUMERS[0], ext }]);
  for (const C of CONSUMERS) combos.push([ASYNC_TRACE, { A: 'checkout', B: 'cart', C, ext: EXTERNAL_HOSTS[0] }]);
  for (const [template, roles] of combos) {
    const t = tokens(roles, 1);
    const spans = template.map((s) => ({ ...s, service: fill(s.service, t), attrs: Object.fromEntries(s.attributes.map(([k, v]) => [k, fill(v, t)])) }));
    spans.forEach((s, i) => {
      const svc = `service:${s.service}`;
      if (s.kind === 'Server' || s.kind === 'Consumer') nodes.add(svc);
      const parent = s.parent >= 0 ? spans[s.parent]! : undefined;
      if (s.kind === 'Server' && parent && parent.service !== s.service) add(`service:${parent.service}`, svc);
      const topic = s.attrs['messaging.destination.name'];
      if (s.kind === 'Producer' && topic) add(svc, `topic:${topic}`);
      if (s.kind === 'Consumer' && topic) add(`topic:${topic}`, svc);
      const hasRemoteChild = spans.some((c) => c.parent === i && c.service !== s.service);
      if (s.kind === 'Client' && !topic && !hasRemoteChild) {
        const dbSystem = s.attrs['db.system'];
        add(svc, dbSystem ? `database:${dbSystem}` : `external:${s.attrs['server.address']}`);
      }
    });
  }
  return { nodes, edges };
}
