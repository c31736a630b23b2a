import type { ServiceIdentity } from '../naming.ts';
import { edgeReading, isGrpcError, isServerError, known, type MeshSeriesKind, type SeriesReading } from './mesh-sample.ts';

// Workload kinds as Linkerd names them: `dst_<kind>` on outbound series, and
// `<kind>` added by linkerd-viz's Prometheus relabeling of the proxy's pod
// (its Job becomes `k8s_job`, since `job` is Prometheus' scrape job).
const WORKLOAD_KINDS = ['deployment', 'statefulset', 'daemonset', 'cronjob', 'replicationcontroller'];

function firstKnown(labels: Record<string, string>, keys: string[]): string | undefined {
  for (const k of keys) {
    const v = known(labels[k]);
    if (v) return v;
  }
  return undefined;
}

/** The scraped proxy's own workload: from Prometheus' relabeling when present, else as configured for the target. */
function selfIdentity(labels: Record<string, string>, self: ServiceIdentity | undefined): ServiceIdentity {
  const workload = firstKnown(labels, [...WORKLOAD_KINDS, 'k8s_job']);
  return workload ? { workload, namespace: known(labels.namespace) } : self ?? {};
}

/**
 * Reads one Linkerd proxy series.
 *
 * Count each call once. A call between two meshed pods is seen by both
 * proxies: as `direction="outbound"` by the caller's (which knows the callee:
 * `dst_*` labels) and as `direction="inbound"` by the callee's (which knows the
 * caller only as a TLS identity). So:
 * - outbound counts: caller = the scraped proxy's own workload, callee = `dst_service`
 *   (else `dst_<workload>`, else the `authority` host) in `dst_namespace`;
 * - inbound counts only when the client has no proxy (`tls` is not "true"), as
 *   'unknown' -> the proxy's own workload, since no outbound series exists for it;
 *   inbound over mTLS was counted at the client's outbound side;
 * - inbound to the proxy's admin port (4191) is never a call to the service:
 *   kubelet probes and metric scrapes of the proxy itself.
 * Errors: `classification="failure"` on response_total (Linkerd's own verdict,
 * gRPC status included); else HTTP status >= 500 or a gRPC status other than OK.
 */
export function linkerdSeries(
  name: string,
  kind: MeshSeriesKind,
  labels: Record<string, string>,
  value: number,
  namer: (id: ServiceIdentity) => string,
  o: { self?: ServiceIdentity | undefined; adminPort: string },
): SeriesReading {
  const direction = labels.direction;
  let caller: string;
  let callee: string;
  if (direction === 'outbound') {
    caller = namer(selfIdentity(labels, o.self)) || 'unknown';
    callee = namer({
      name: known(labels.dst_service),
      namespace: known(labels.dst_namespace),
      workload: firstKnown(labels, WORKLOAD_KINDS.map((k) => `dst_${k}`)),
      host: known(labels.authority),
    });
    if (!callee) return { reject: 'outbound series without dst_service, dst_<workload> or authority' };
  } else if (direction === 'inbound') {
    if (labels.target_port === o.adminPort) return { skip: `inbound to the proxy's admin port ${o.adminPort}: probes and scrapes of the proxy, not calls to the service` };
    if (labels.tls === 'true') return { skip: 'inbound from a meshed client: counted from that client\'s outbound series' };
    caller = 'unknown';
    callee = namer(selfIdentity(labels, o.self));
    if (!callee) return { reject: 'inbound series but the proxy\'s own workload is unknown (no deployment/namespace labels; configure the target\'s workload)' };
  } else {
    return { reject: `direction ${direction === undefined ? 'missing' : `"${direction}" unknown`} (expected inbound or outbound)` };
  }
  const classification = labels.classification;
  const error = classification !== undefined ? classification === 'failure' : isServerError(labels.status_code) || isGrpcError(labels.grpc_status);
  return edgeReading('linkerd', name, kind, labels, { caller, callee, error }, value);
}
