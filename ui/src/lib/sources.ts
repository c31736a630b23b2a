// Sources (query-api/src/schema/sources.graphql) and which sources saw a map edge
// (graph.graphql Edge.sources): ordering, relative times, the source-only edge style.
// Pure functions, run under `node --test`.
//   /sources?from=now-1h&to=now
import type { GatewaySource, MeshTarget } from './api.ts';

/** Edge sources in the schema's tie order; labels are the names themselves, as the API spells them. */
export const EDGE_SOURCES: readonly string[] = ['traces', 'mesh', 'gateway', 'kafka'];

/** What each source is, for the chips' tooltips. */
export const SOURCE_TITLE: Record<string, string> = {
  traces: 'Seen in traces (OTLP, Zipkin)',
  mesh: 'Seen in mesh metrics (Istio, Linkerd)',
  gateway: 'Seen in gateway access logs',
  kafka: 'Seen by Kafka (producers, consumer groups)',
};

/** An edge's sources in the schema's order (traces, mesh, gateway, kafka), unknown ones last, duplicates dropped. */
export function orderedSources(sources: readonly string[] | null | undefined): string[] {
  const rank = (s: string) => {
    const i = EDGE_SOURCES.indexOf(s);
    return i === -1 ? EDGE_SOURCES.length : i;
  };
  return [...new Set(sources ?? [])].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Seen by a gateway or a mesh but by no trace: the map draws it in the source-only style, since
 * nothing tells which operations or downstream calls it carried.
 */
export function isSourceOnly(sources: readonly string[] | null | undefined): boolean {
  const s = sources ?? [];
  return !s.includes('traces') && (s.includes('gateway') || s.includes('mesh'));
}

/** Down targets first (they need attention), then by name. */
export function sortTargets<T extends Pick<MeshTarget, 'name' | 'up'>>(targets: readonly T[]): T[] {
  return [...targets].sort((a, b) => Number(a.up) - Number(b.up) || a.name.localeCompare(b.name, undefined, { numeric: true }));
}

/** How many mesh targets failed their last scrape. */
export function downCount(targets: readonly Pick<MeshTarget, 'up'>[] | null | undefined): number {
  return (targets ?? []).filter((t) => !t.up).length;
}

/** Busiest gateway first, ties by name. */
export function sortGateways<G extends Pick<GatewaySource, 'name' | 'calls'>>(gateways: readonly G[]): G[] {
  return [...gateways].sort((a, b) => b.calls - a.calls || a.name.localeCompare(b.name));
}

/** Share of a gateway's calls that failed; 0 without calls (ErrorRate shows a dash then). */
export function gatewayErrorRate(g: Pick<GatewaySource, 'calls' | 'errors'>): number {
  return g.calls > 0 ? g.errors / g.calls : 0;
}

/** `just now`, `42 s ago`, `5 min ago`, `3 h ago`, `2 d ago`; `never` for null, `—` when unreadable. */
export function formatAgo(iso: string | null | undefined, now: number): string {
  if (iso === null || iso === undefined) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  // A collector clock slightly ahead of the browser's is still "just now".
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}
