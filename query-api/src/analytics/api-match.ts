import { matchOperation } from '@plexus/catalog';

// The one matcher between traffic and the catalog (DESIGN.md §8). Observed
// operations are few (service × method × route template, or a topic), so they
// are matched here, in TypeScript, and the result is handed to SQL as arrays;
// a catalog re-import then re-attributes history without recomputing anything.

/** An operation as the catalog declares it. */
export interface CatalogOperation {
  method: string;
  fullPath: string;
  deprecated: boolean;
}

/** What the matcher needs of the catalog. */
export interface MatchIndex {
  /** API refs each telemetry service provides (declared by its component, or the API's own service-name annotation). */
  providedBy: Map<string, string[]>;
  apiOperations: Map<string, CatalogOperation[]>;
}

/** An observed operation: served by a service, or a topic read by consumers. */
export type Observed = { target: string; method: string; route: string } | { topic: string };

/** An observation attributed to an API operation. */
export interface Binding {
  api: string;
  method: string;
  path: string;
  deprecated: boolean;
}

const SEP = '\u001f';

/** The key an observation has in SQL too (see `observedKeySql`): service, method and route, or the topic. */
export function observedKey(o: Observed): string {
  return 'topic' in o ? `topic:${o.topic}` : `${o.target}${SEP}${o.method}${SEP}${o.route}`;
}

const EVENT_METHODS = new Set(['SEND', 'RECEIVE']);

/**
 * Attributes each observation to at most one API operation: HTTP by method and
 * path template among the APIs its service provides (most specific wins), RPC
 * and other named operations by exact name, topics by AsyncAPI channel address
 * (the publisher's API preferred). Unmatched observations are left out.
 */
export function bindObserved(observed: readonly Observed[], index: MatchIndex): Map<string, Binding> {
  const bindings = new Map<string, Binding>();
  const eventApis = [...index.apiOperations].filter(([, ops]) => ops.some((o) => EVENT_METHODS.has(o.method)))
    // Channels are declared by publishers and subscribers alike; the publisher owns the topic.
    .sort(([a, x], [b, y]) => Number(y.some((o) => o.method === 'SEND')) - Number(x.some((o) => o.method === 'SEND')) || a.localeCompare(b));
  for (const o of observed) {
    const key = observedKey(o);
    if ('topic' in o) {
      for (const [api, ops] of eventApis) {
        const hit = matchOperation(ops.filter((op) => EVENT_METHODS.has(op.method)).map((op) => ({ ...op, method: 'EVENT' })), 'EVENT', o.topic);
        if (hit) {
          bindings.set(key, { api, method: hit.method === 'EVENT' ? 'CHANNEL' : hit.method, path: hit.fullPath, deprecated: hit.deprecated });
          break;
        }
      }
      continue;
    }
    for (const api of index.providedBy.get(o.target) ?? []) {
      const ops = index.apiOperations.get(api) ?? [];
      const hit = o.method !== '' ? matchOperation(ops, o.method, o.route) : ops.find((op) => !EVENT_METHODS.has(op.method) && op.fullPath === o.route);
      if (hit) {
        bindings.set(key, { api, method: hit.method, path: hit.fullPath, deprecated: hit.deprecated });
        break;
      }
    }
  }
  return bindings;
}
