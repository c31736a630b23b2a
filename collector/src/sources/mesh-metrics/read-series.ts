import { serviceNamer } from '../naming.ts';
import { istioSeries } from './istio-series.ts';
import { linkerdSeries } from './linkerd-series.ts';
import { counterValue, meshMetric, type MeshReadOptions, type SeriesReading } from './mesh-sample.ts';

/** Reads one series (metric name, labels, raw value); undefined when it is not a metric Plexus reads. */
export type SeriesReader = (name: string, labels: Record<string, string>, raw: string | number | undefined) => SeriesReading | undefined;

/** Builds the series reader for one target's options; the exposition text and the Prometheus API both go through it. */
export function seriesReader(o: MeshReadOptions = {}): SeriesReader {
  const namer = serviceNamer(o.naming);
  const linkerd = { self: o.self, adminPort: o.linkerdAdminPort ?? '4191' };
  return (name, labels, raw) => {
    const metric = meshMetric(name, o.mesh);
    if (!metric) return undefined;
    const value = counterValue(raw);
    if (typeof value === 'string') return { reject: value };
    return metric.mesh === 'istio'
      ? istioSeries(name, metric.kind, labels, value, namer)
      : linkerdSeries(name, metric.kind, labels, value, namer, linkerd);
  };
}
