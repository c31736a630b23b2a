import type { MeshKind } from './mesh-delta.ts';
import type { MeshReadOptions } from './mesh-sample.ts';
import type { MeshScrape } from './exposition.ts';
import { seriesReader } from './read-series.ts';

/**
 * The raw counters to ask a Prometheus server for, one instant query each.
 * Raw series, never `sum by (...)`: a sum drops when one of its pods restarts,
 * which would read as a reset of the whole sum. The histogram's _count is left
 * out: the requests counter already gives the calls.
 */
export const PROMETHEUS_QUERIES: Record<MeshKind, string[]> = {
  istio: ['istio_requests_total', 'istio_request_duration_milliseconds_bucket', 'istio_request_duration_milliseconds_sum'],
  linkerd: ['response_total', 'response_latency_ms_bucket', 'response_latency_ms_sum'],
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads the JSON answer of a Prometheus instant query (`/api/v1/query`) of one
 * metric name into mesh samples. An answer that is not a successful vector is
 * one reject saying what it was; series without a usable value are rejects
 * each (numbered by their position in the result, as `line`).
 */
export function prometheusQuerySamples(query: string, body: unknown, o: MeshReadOptions = {}): MeshScrape {
  const out: MeshScrape = { samples: [], rejects: [], skipped: [] };
  if (!isRecord(body)) {
    out.rejects.push({ reason: `${query}: the answer is not a JSON object` });
    return out;
  }
  if (body.status !== 'success') {
    out.rejects.push({ reason: `${query}: Prometheus answered ${String(body.status)}${body.errorType ? ` (${String(body.errorType)})` : ''}: ${String(body.error ?? 'no error message')}` });
    return out;
  }
  const data = body.data;
  if (!isRecord(data) || data.resultType !== 'vector' || !Array.isArray(data.result)) {
    out.rejects.push({ reason: `${query}: expected data.resultType "vector" with a result array, got ${isRecord(data) ? `"${String(data.resultType)}"` : 'no data'}` });
    return out;
  }
  const read = seriesReader(o);
  data.result.forEach((entry: unknown, i: number) => {
    const line = i + 1;
    const metric = isRecord(entry) ? entry.metric : undefined;
    const value = isRecord(entry) ? entry.value : undefined;
    if (!isRecord(metric) || !Array.isArray(value) || value.length !== 2 || typeof value[1] !== 'string') {
      out.rejects.push({ line, reason: `${query}: result ${line} is not {metric, value: [time, "value"]}` });
      return;
    }
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(metric)) if (typeof v === 'string') labels[k] = v;
    const name = labels.__name__ ?? query;
    const r = read(name, labels, value[1]);
    if (!r) out.rejects.push({ line, reason: `${query}: result ${line} is ${name}, not a metric Plexus reads` });
    else if ('sample' in r) out.samples.push(r.sample);
    else if ('skip' in r) out.skipped.push({ line, reason: r.skip });
    else out.rejects.push({ line, reason: `${query}: ${r.reject}` });
  });
  return out;
}
