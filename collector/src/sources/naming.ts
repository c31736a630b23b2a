/**
 * One rule maps every source's idea of a service onto one name, so traces,
 * gateway logs, mesh metrics and Zipkin spans meet at the same map node.
 * OpenTelemetry's `service.name` is the reference: it is stored as sent, and
 * the other sources are mapped onto it.
 */
export interface NamingRule {
  /**
   * `name`: a Kubernetes service or workload is named by its app name alone
   * (`reviews.default` and `reviews.default.svc.cluster.local` become `reviews`).
   * `name.namespace`: keep the namespace (`reviews.default`), for landscapes
   * where one app name lives in several namespaces.
   */
  format: 'name' | 'name.namespace';
  /** Explicit renames applied last, e.g. `{ "productpage-v1": "productpage" }`. */
  aliases: Record<string, string>;
}

export const DEFAULT_NAMING: NamingRule = { format: 'name', aliases: {} };

/** What a source knows about a service; any part may be missing. */
export interface ServiceIdentity {
  /** App or service name (Istio `app` / `destination_service_name`, Linkerd `dst_service`, OTel `service.name`). */
  name?: string | undefined;
  namespace?: string | undefined;
  /** Kubernetes workload (Deployment) name, used when there is no app name. */
  workload?: string | undefined;
  /** A host name such as `details.default.svc.cluster.local` or an Istio `<app>.<namespace>`. */
  host?: string | undefined;
}

const CLUSTER_SUFFIX = /\.svc(\.cluster\.local)?\.?$/;
// `<app>.<namespace>` and `<name>.<tld>` look alike; a namespace named like a
// generic top-level domain is rare, a public host behind a gateway is not.
const PUBLIC_TLDS = new Set(['com', 'org', 'net', 'io', 'dev', 'app', 'ai', 'cloud', 'co', 'gov', 'edu', 'info', 'biz', 'me', 'tech', 'xyz']);

/** The app name and namespace an identity names, before any rule's format and aliases; name is '' when it names nothing. */
export function identityParts(id: ServiceIdentity): { name: string; namespace: string } {
  let name = id.name?.trim() || '';
  let namespace = id.namespace?.trim() || '';
  if (!name && id.host) {
    const host = id.host.trim().toLowerCase().replace(/:\d+$/, '').replace(CLUSTER_SUFFIX, '');
    const dot = host.indexOf('.');
    // An IP address or a public host is not a Kubernetes name: keep it whole.
    if (dot > 0 && !/^\d+\.\d+\.\d+\.\d+$/.test(host) && host.split('.').length === 2 && !PUBLIC_TLDS.has(host.slice(dot + 1))) {
      name = host.slice(0, dot);
      namespace ||= host.slice(dot + 1);
    } else name = host;
  }
  if (!name) name = id.workload?.trim() || '';
  return { name, namespace };
}

/** Builds the naming function for a rule; returns '' when the identity names nothing. */
export function serviceNamer(rule: NamingRule = DEFAULT_NAMING): (id: ServiceIdentity) => string {
  return (id) => {
    const { name, namespace } = identityParts(id);
    if (!name) return '';
    const full = rule.format === 'name.namespace' && namespace && !name.endsWith(`.${namespace}`) ? `${name}.${namespace}` : name;
    return rule.aliases[full] ?? rule.aliases[name] ?? full;
  };
}
