// Reads Plexus's own Prometheus /metrics, the server-side view of ingest.

/** One sample line: name, raw label text and value. */
export interface MetricSample {
  name: string;
  labels: string;
  value: number;
}

/** Parses the Prometheus text format (comments skipped). */
export function parsePrometheus(text: string): MetricSample[] {
  const out: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m) out.push({ name: m[1]!, labels: m[2] ?? '', value: Number(m[3]) });
  }
  return out;
}

/** Sum of a metric over all its label sets whose label text contains `labelPart` (NaN when absent). */
export function metricSum(samples: readonly MetricSample[], name: string, labelPart = ''): number {
  const hits = samples.filter((s) => s.name === name && s.labels.includes(labelPart));
  return hits.length ? hits.reduce((a, s) => a + s.value, 0) : NaN;
}

/** A histogram series' sum or count; the Prometheus exporter may or may not append the unit to the name. */
export function histogramMetric(m: readonly MetricSample[], name: string, suffix: 'sum' | 'count', labelPart = ''): number {
  const plain = metricSum(m, `${name}_${suffix}`, labelPart);
  return Number.isNaN(plain) ? metricSum(m, `${name}_seconds_${suffix}`, labelPart) : plain;
}

/** Fetches and parses `${url}/metrics`. */
export async function scrapeMetrics(url: string): Promise<MetricSample[]> {
  const res = await fetch(`${url}/metrics`);
  if (!res.ok) throw new Error(`GET /metrics: HTTP ${res.status}`);
  return parsePrometheus(await res.text());
}
