// The demo shop as data: who calls whom, how long each step takes and how often it fails.
// trace-builder.ts interprets these tables; change the landscape here, not there.

/** Milliseconds, as the median and 95th percentile of a log-normal distribution. */
export interface Latency {
  median: number;
  p95: number;
}

/** Which generation of OpenTelemetry semantic conventions a service's instrumentation emits. */
export type SemconvStyle = 'stable' | 'legacy';

export interface ServiceDef {
  name: string;
  version: string;
  semconv: SemconvStyle;
}

/** What a caller does when a call fails: pass the callee's status on, answer with its own, or carry on degraded. */
export type FailurePolicy = 'propagate' | 'ignore' | { status: number };

interface CallBase {
  /** Chance that the call happens at all in one execution of the operation (default 1). */
  probability?: number;
  onFailure?: FailurePolicy;
}

export interface HttpCall extends CallBase {
  type: 'http';
  service: string;
  /** Key of the callee's operation in OPERATIONS, without the service: `GET /products/{id}`. */
  operation: string;
}

export interface DbCall extends CallBase {
  type: 'db';
  system: 'postgresql' | 'redis';
  namespace: string;
  operation: string;
  collection?: string;
  query: string;
  latency: Latency;
  errorRate?: number;
  /** `error.type` when the call fails, e.g. a PostgreSQL SQLSTATE. */
  errorType?: string;
}

export interface ExternalCall extends CallBase {
  type: 'external';
  host: string;
  method: string;
  path: string;
  latency: Latency;
  errorRate: number;
  errorStatus: number;
}

export interface ProduceCall extends CallBase {
  type: 'produce';
  topic: string;
  latency: Latency;
}

export type Call = HttpCall | DbCall | ExternalCall | ProduceCall;

export interface OperationDef {
  service: string;
  /** `METHOD /route` for HTTP servers, `process <topic>` for consumers. */
  name: string;
  /** The operation's own work, split before and after its calls. */
  self: Latency;
  /** Calls run concurrently (fan-out) instead of one after the other. */
  parallel?: boolean;
  okStatus?: number;
  /** Failures that start in this service rather than in a callee. */
  errorRate?: number;
  errorStatus?: number;
  calls: Call[];
}

export interface ConsumerDef {
  service: string;
  group: string;
  /** `parent`: the consumer span is a child of the producer span; `link`: a new trace with a span link to it. */
  tie: 'parent' | 'link';
  /** Time from the end of the producer span to the start of processing. */
  lag: Latency;
}

export interface TopicDef {
  name: string;
  partitions: number;
  consumers: ConsumerDef[];
}

export interface EntryDef {
  /** Key of a web-gateway operation. */
  operation: string;
  weight: number;
}

export const NAMESPACE = 'shop';
export const ENVIRONMENT = 'demo';
export const GATEWAY = 'web-gateway';
export const INTERNAL_PORT = 8080;
export const POSTGRES_HOST = 'postgres.shop.svc.cluster.local';
export const REDIS_HOST = 'redis.shop.svc.cluster.local';
export const KAFKA_HOST = 'kafka.shop.svc.cluster.local';

/** Host name a service is reached at inside the cluster. */
export function internalHost(service: string): string {
  return `${service}.${NAMESPACE}.svc.cluster.local`;
}

// auth and inventory run older instrumentation (http.method, net.peer.name, ...) and notification
// emits old and new messaging names side by side, as a fleet mid-migration does.
export const SERVICES: readonly ServiceDef[] = [
  { name: 'web-gateway', version: '2.14.0', semconv: 'stable' },
  { name: 'storefront-bff', version: '1.8.2', semconv: 'stable' },
  { name: 'auth', version: '3.1.0', semconv: 'legacy' },
  { name: 'catalog', version: '4.2.1', semconv: 'stable' },
  { name: 'search', version: '1.12.0', semconv: 'stable' },
  { name: 'pricing', version: '2.3.0', semconv: 'stable' },
  { name: 'recommendation', version: '0.9.4', semconv: 'stable' },
  { name: 'cart', version: '2.0.5', semconv: 'stable' },
  { name: 'checkout', version: '1.6.0', semconv: 'stable' },
  { name: 'payment', version: '3.4.2', semconv: 'stable' },
  { name: 'inventory', version: '1.19.0', semconv: 'legacy' },
  { name: 'shipping', version: '1.2.3', semconv: 'stable' },
  { name: 'notification', version: '0.7.1', semconv: 'legacy' },
];

export const ENTRIES: readonly EntryDef[] = [
  { operation: 'GET /products', weight: 40 },
  { operation: 'GET /products/{id}', weight: 30 },
  { operation: 'POST /cart/items', weight: 20 },
  { operation: 'POST /checkout', weight: 10 },
];

export const TOPICS: readonly TopicDef[] = [
  {
    name: 'orders',
    partitions: 6,
    consumers: [
      { service: 'shipping', group: 'shipping', tie: 'parent', lag: { median: 8, p95: 40 } },
      { service: 'notification', group: 'notification', tie: 'link', lag: { median: 30, p95: 200 } },
    ],
  },
];

const http = (service: string, operation: string, extra: CallBase = {}): HttpCall => ({ type: 'http', service, operation, ...extra });

export const OPERATIONS: readonly OperationDef[] = [
  // web-gateway: the edge; every trace starts here.
  { service: 'web-gateway', name: 'GET /products', self: { median: 1.5, p95: 5 }, calls: [http('storefront-bff', 'GET /products')] },
  { service: 'web-gateway', name: 'GET /products/{id}', self: { median: 1.5, p95: 5 }, calls: [http('storefront-bff', 'GET /products/{id}')] },
  {
    service: 'web-gateway', name: 'POST /cart/items', okStatus: 201, self: { median: 2, p95: 6 },
    calls: [http('auth', 'POST /oauth/introspect'), http('cart', 'POST /cart/items')],
  },
  {
    service: 'web-gateway', name: 'POST /checkout', okStatus: 201, self: { median: 2, p95: 6 },
    calls: [http('auth', 'POST /oauth/introspect'), http('checkout', 'POST /checkout')],
  },

  {
    service: 'storefront-bff', name: 'GET /products', self: { median: 4, p95: 12 },
    calls: [http('search', 'GET /search', { probability: 0.5 }), http('catalog', 'GET /products'), http('pricing', 'POST /prices/batch')],
  },
  {
    // Product page fan-out; stock and recommendations are optional, so their failures degrade the page instead of failing it.
    service: 'storefront-bff', name: 'GET /products/{id}', parallel: true, self: { median: 3, p95: 10 },
    calls: [
      http('catalog', 'GET /products/{id}'),
      http('pricing', 'GET /prices/{sku}'),
      http('inventory', 'GET /stock/{sku}', { onFailure: 'ignore' }),
      http('recommendation', 'GET /recommendations/{sku}', { probability: 0.9, onFailure: 'ignore' }),
    ],
  },

  { service: 'auth', name: 'POST /oauth/introspect', self: { median: 2, p95: 6 }, calls: [] },
  { service: 'search', name: 'GET /search', self: { median: 12, p95: 40 }, calls: [] },

  {
    service: 'catalog', name: 'GET /products', self: { median: 3, p95: 9 },
    calls: [{ type: 'db', system: 'postgresql', namespace: 'catalog', operation: 'SELECT', collection: 'products', query: 'SELECT id, name, price_cents FROM products WHERE category_id = $1 ORDER BY rank LIMIT 24', latency: { median: 4, p95: 15 } }],
  },
  {
    service: 'catalog', name: 'GET /products/{id}', self: { median: 2, p95: 6 },
    calls: [{ type: 'db', system: 'postgresql', namespace: 'catalog', operation: 'SELECT', collection: 'products', query: 'SELECT * FROM products WHERE id = $1', latency: { median: 1.5, p95: 6 } }],
  },
  {
    service: 'catalog', name: 'POST /products/batch', self: { median: 2, p95: 8 },
    calls: [{ type: 'db', system: 'postgresql', namespace: 'catalog', operation: 'SELECT', collection: 'products', query: 'SELECT id, name, image_url FROM products WHERE id = ANY($1)', latency: { median: 3, p95: 12 } }],
  },

  {
    service: 'pricing', name: 'POST /prices/batch', self: { median: 2, p95: 6 },
    calls: [{ type: 'db', system: 'redis', namespace: '0', operation: 'MGET', query: 'MGET price:? [...]', latency: { median: 0.5, p95: 1.8 } }],
  },
  {
    service: 'pricing', name: 'GET /prices/{sku}', self: { median: 1, p95: 4 },
    calls: [{ type: 'db', system: 'redis', namespace: '0', operation: 'GET', query: 'GET price:?', latency: { median: 0.3, p95: 1.2 } }],
  },

  {
    // The slow path: model scoring dominates; p95 of the server span lands near 400 ms.
    service: 'recommendation', name: 'GET /recommendations/{sku}', self: { median: 170, p95: 370 },
    calls: [http('catalog', 'POST /products/batch')],
  },

  {
    service: 'inventory', name: 'GET /stock/{sku}', errorRate: 0.005, errorStatus: 500, self: { median: 1.5, p95: 5 },
    calls: [{ type: 'db', system: 'postgresql', namespace: 'inventory', operation: 'SELECT', collection: 'stock', query: 'SELECT available FROM stock WHERE sku = $1', latency: { median: 1.2, p95: 5 } }],
  },
  {
    service: 'inventory', name: 'POST /reservations', okStatus: 201, self: { median: 3, p95: 9 },
    calls: [
      // Concurrent checkouts of the same SKU deadlock now and then (SQLSTATE 40P01).
      { type: 'db', system: 'postgresql', namespace: 'inventory', operation: 'UPDATE', collection: 'stock', query: 'UPDATE stock SET available = available - $1 WHERE sku = $2 AND available >= $1', latency: { median: 2.5, p95: 10 }, errorRate: 0.02, errorType: '40P01', onFailure: { status: 500 } },
      { type: 'db', system: 'postgresql', namespace: 'inventory', operation: 'INSERT', collection: 'reservations', query: 'INSERT INTO reservations (order_id, sku, quantity) VALUES ($1, $2, $3)', latency: { median: 1.5, p95: 6 } },
    ],
  },

  {
    service: 'cart', name: 'POST /cart/items', okStatus: 201, self: { median: 2, p95: 7 },
    calls: [
      { type: 'db', system: 'redis', namespace: '0', operation: 'HGETALL', query: 'HGETALL cart:?', latency: { median: 0.3, p95: 1.2 } },
      http('inventory', 'GET /stock/{sku}'),
      http('pricing', 'GET /prices/{sku}'),
      { type: 'db', system: 'postgresql', namespace: 'cart', operation: 'INSERT', collection: 'cart_items', query: 'INSERT INTO cart_items (cart_id, sku, quantity, price_cents) VALUES ($1, $2, $3, $4)', latency: { median: 2, p95: 8 } },
    ],
  },
  {
    service: 'cart', name: 'GET /cart', self: { median: 1.5, p95: 5 },
    calls: [
      { type: 'db', system: 'redis', namespace: '0', operation: 'HGETALL', query: 'HGETALL cart:?', latency: { median: 0.3, p95: 1.2 } },
      // A cache miss falls through to the database.
      { type: 'db', system: 'postgresql', namespace: 'cart', operation: 'SELECT', collection: 'cart_items', query: 'SELECT sku, quantity, price_cents FROM cart_items WHERE cart_id = $1', latency: { median: 2, p95: 7 }, probability: 0.3 },
    ],
  },

  {
    service: 'checkout', name: 'POST /checkout', okStatus: 201, self: { median: 6, p95: 15 },
    calls: [
      http('cart', 'GET /cart'),
      http('inventory', 'POST /reservations'),
      http('payment', 'POST /payments'),
      { type: 'produce', topic: 'orders', latency: { median: 1.5, p95: 6 } },
    ],
  },

  {
    // The provider's 503s become our 502: the failure is upstream of us.
    service: 'payment', name: 'POST /payments', okStatus: 201, self: { median: 4, p95: 12 },
    calls: [{ type: 'external', host: 'api.stripe.com', method: 'POST', path: '/v1/payment_intents', latency: { median: 40, p95: 95 }, errorRate: 0.03, errorStatus: 503, onFailure: { status: 502 } }],
  },

  { service: 'shipping', name: 'process orders', self: { median: 5, p95: 18 }, calls: [] },
  { service: 'notification', name: 'process orders', self: { median: 4, p95: 25 }, calls: [] },
];

/** The key an operation is found under: `<service> <name>`. */
export function operationKey(service: string, name: string): string {
  return `${service} ${name}`;
}
