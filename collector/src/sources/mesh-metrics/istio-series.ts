import type { ServiceIdentity } from '../naming.ts';
import { edgeReading, isGrpcError, isServerError, known, type MeshSeriesKind, type SeriesReading } from './mesh-sample.ts';

// Envoy's catch-all clusters: not a service name; the destination host says more.
const PSEUDO_CLUSTERS = new Set(['PassthroughCluster', 'BlackHoleCluster', 'InboundPassthroughClusterIpv4', 'InboundPassthroughClusterIpv6']);

/**
 * Reads one Istio series.
 *
 * Count each call once. A call between two Envoy proxies is reported twice:
 * `reporter="source"` by the caller's proxy and `reporter="destination"` by the
 * callee's. So:
 * - `reporter="destination"` always counts: every call that reached a proxy,
 *   whatever called it (a sidecar, an ingress gateway, or a client without a
 *   proxy, then `source_workload="unknown"`).
 * - `reporter="source"` counts only when the destination has no proxy
 *   (`destination_workload` unknown: an external host, a ServiceEntry, a pod
 *   without sidecar), because then no destination report exists. This is the
 *   "source for gateways" case of the design made exact: a gateway's calls into
 *   meshed services are counted from those services' destination reports (the
 *   gateway's own source report would count them a second time); its calls to
 *   destinations without a proxy only exist as source reports and count here.
 * - `reporter="waypoint"` (ambient mode) counts: the waypoint is the only L7 reporter there.
 */
export function istioSeries(name: string, kind: MeshSeriesKind, labels: Record<string, string>, value: number, namer: (id: ServiceIdentity) => string): SeriesReading {
  const reporter = labels.reporter;
  if (reporter === 'source') {
    if (known(labels.destination_workload)) return { skip: 'reporter="source" for a destination with a proxy: counted from its reporter="destination" series' };
  } else if (reporter !== 'destination' && reporter !== 'waypoint') {
    return { reject: `reporter ${reporter === undefined ? 'missing' : `"${reporter}" unknown`} (expected destination, source or waypoint)` };
  }
  const serviceName = known(labels.destination_service_name);
  const callee = namer({
    name: (serviceName && !PSEUDO_CLUSTERS.has(serviceName) ? serviceName : undefined) ?? known(labels.destination_app) ?? known(labels.destination_canonical_service),
    namespace: known(labels.destination_service_namespace) ?? known(labels.destination_workload_namespace),
    workload: known(labels.destination_workload),
    host: known(labels.destination_service),
  });
  if (!callee) return { reject: 'no destination: destination_service_name, destination_app, destination_workload and destination_service are all unknown' };
  const caller = namer({
    name: known(labels.source_app) ?? known(labels.source_canonical_service),
    namespace: known(labels.source_workload_namespace),
    workload: known(labels.source_workload),
  }) || 'unknown';
  const error = isServerError(labels.response_code) || isGrpcError(labels.grpc_response_status);
  return edgeReading('istio', name, kind, labels, { caller, callee, error }, value);
}
