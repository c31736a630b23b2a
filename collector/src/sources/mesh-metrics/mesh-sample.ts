import type { MeshKind } from './mesh-delta.ts';
import type { NamingRule, ServiceIdentity } from '../naming.ts';

/** What a series measures: calls (the requests counter), one histogram bucket, the histogram's sum or its count. */
export type MeshSeriesKind = 'requests' | 'bucket' | 'sum' | 'count';

/**
 * One reading of one mesh counter series, already mapped onto the edge it
 * belongs to. Values are raw counter values; MeshRateTracker turns successive
 * readings into increases.
 */
export interface MeshSample {
  mesh: MeshKind;
  kind: MeshSeriesKind;
  /**
   * The series' identity across readings: metric name and every label except
   * `le`, sorted, so the buckets of one histogram series share it.
   */
  series: string;
  /** Calling service after the naming rule; 'unknown' when the mesh could not tell. */
  caller: string;
  /** Called service after the naming rule. */
  callee: string;
  /** The calls this series counts are errors (HTTP >= 500, a gRPC status other than OK, Linkerd `classification="failure"`). */
  error: boolean;
  /** Bucket upper bound in ms (Infinity for `+Inf`); buckets only. */
  le?: number;
  value: number;
  /** 1-based line in the exposition text; absent for Prometheus API results. */
  line?: number;
}

/** A line or series that cannot be used, and why. */
export interface MeshReject {
  line?: number;
  reason: string;
}

/** How to read a scrape or a query result. */
export interface MeshReadOptions {
  /** Read only this mesh's metric names (an Istio sidecar's merged scrape also carries the app's own metrics). */
  mesh?: MeshKind;
  naming?: NamingRule;
  /**
   * The scraped proxy's own workload, for Linkerd proxies scraped directly:
   * their series do not carry it (a Prometheus adds `namespace`/`deployment` by relabeling).
   */
  self?: ServiceIdentity;
  /** Linkerd's proxy admin port; inbound calls to it are probes and scrapes of the proxy itself. Default 4191. */
  linkerdAdminPort?: string;
}

/** Result of reading one series: a sample, a deliberate skip (counted elsewhere or not a call), or a reject. */
export type SeriesReading =
  | { sample: Omit<MeshSample, 'line'> }
  | { skip: string }
  | { reject: string };

/** The metric names Plexus reads, by mesh, with what each measures. */
export const MESH_METRICS: Record<MeshKind, Record<string, MeshSeriesKind>> = {
  istio: {
    istio_requests_total: 'requests',
    istio_request_duration_milliseconds_bucket: 'bucket',
    istio_request_duration_milliseconds_sum: 'sum',
    istio_request_duration_milliseconds_count: 'count',
  },
  linkerd: {
    response_total: 'requests',
    response_latency_ms_bucket: 'bucket',
    response_latency_ms_sum: 'sum',
    response_latency_ms_count: 'count',
  },
};

/** Which mesh and kind a metric name belongs to, or undefined when Plexus does not read it. */
export function meshMetric(name: string, only?: MeshKind): { mesh: MeshKind; kind: MeshSeriesKind } | undefined {
  for (const mesh of only ? [only] : (['istio', 'linkerd'] as const)) {
    const kind = MESH_METRICS[mesh][name];
    if (kind) return { mesh, kind };
  }
  return undefined;
}

/** A series' reading once its edge is known: the sample, or a reject for a bucket without a numeric `le`. */
export function edgeReading(
  mesh: MeshKind,
  name: string,
  kind: MeshSeriesKind,
  labels: Record<string, string>,
  edge: { caller: string; callee: string; error: boolean },
  value: number,
): SeriesReading {
  const series = seriesKey(name, labels);
  if (kind !== 'bucket') return { sample: { mesh, kind, series, ...edge, value } };
  const le = bucketBound(labels.le);
  if (le === undefined) return { reject: `bucket le ${labels.le === undefined ? 'missing' : `"${labels.le}" is not a number`}` };
  return { sample: { mesh, kind, series, ...edge, le, value } };
}

/** The series identity: metric name and sorted labels without `le`. */
function seriesKey(name: string, labels: Record<string, string>): string {
  const parts = Object.keys(labels).filter((k) => k !== 'le' && k !== '__name__').sort().map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${name}{${parts.join(',')}}`;
}

/** A counter value that can be a counter: finite and not negative. */
export function counterValue(raw: string | number | undefined): number | string {
  if (raw === undefined || raw === '') return 'no value';
  const v = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isFinite(v) || v < 0) return `value ${String(raw)} is not a counter value (a finite number >= 0)`;
  return v;
}

/** A bucket's `le` bound: a number, `+Inf` being Infinity. */
function bucketBound(le: string | undefined): number | undefined {
  if (le === undefined) return undefined;
  const t = le.trim();
  if (t === '+Inf' || t === 'Inf') return Infinity;
  const v = t === '' ? NaN : Number(t);
  return Number.isNaN(v) ? undefined : v;
}

/** A label value that names something: meshes write 'unknown' (or nothing) when they could not tell. */
export function known(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t && t !== 'unknown' ? t : undefined;
}

/** HTTP status >= 500. */
export function isServerError(code: string | undefined): boolean {
  const n = Number(code);
  return Number.isInteger(n) && n >= 500;
}

/** A gRPC status that is reported and is not OK (0). */
export function isGrpcError(status: string | undefined): boolean {
  const t = status?.trim();
  return !!t && t !== '0' && t.toUpperCase() !== 'OK';
}
