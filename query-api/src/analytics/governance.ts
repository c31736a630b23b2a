import { bindObserved, observedKey } from './api-match.ts';

/** What governance compares: observed traffic in a window, and the catalog. */
export interface GovernanceInput {
  /** Services seen in traffic. */
  services: string[];
  /** Observed server operations: service, HTTP method ('' for RPC and others), route template or operation name, calls, calling services. */
  operations: Array<{ service: string; method: string; route: string; calls: number; callers: string[] }>;
  /** Observed calls between services. */
  calls: Array<{ caller: string; callee: string; calls: number }>;
  /** Components keyed by the service name their telemetry uses. */
  components: Map<string, { ref: string; owner: string | null; provides: string[]; consumes: string[]; dependsOn: string[] }>;
  /** API refs each telemetry service provides. */
  providedBy: Map<string, string[]>;
  /** API operations by API ref. */
  apiOperations: Map<string, Array<{ method: string; fullPath: string; deprecated: boolean }>>;
  /** Every entity ref in the catalog (to tell a dangling owner from a real one). */
  refs: Set<string>;
}

export type FindingKind = 'SHADOW_ENDPOINT' | 'UNUSED_API' | 'UNUSED_OPERATION' | 'DEPRECATED_IN_USE' | 'UNDECLARED_DEPENDENCY' | 'STALE_DECLARATION' | 'NO_OWNER' | 'UNCATALOGED_SERVICE';

export interface Finding {
  kind: FindingKind;
  severity: 'HIGH' | 'MEDIUM' | 'LOW';
  message: string;
  entityRef: string | null;
  service: string | null;
  method: string | null;
  path: string | null;
  counterpart: string | null;
}

const HTTP_METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE']);

/** Compares traffic with the catalog and lists what disagrees (DESIGN.md §8). Pure. */
export function governanceFindings(input: GovernanceInput): Finding[] {
  const findings: Finding[] = [];
  const add = (f: Omit<Finding, 'entityRef' | 'service' | 'method' | 'path' | 'counterpart'> & Partial<Finding>) =>
    findings.push({ entityRef: null, service: null, method: null, path: null, counterpart: null, ...f });
  const used = new Set<string>(); // `${apiRef} ${method} ${fullPath}` observed
  const apiOwner = new Map<string, string>(); // api ref -> providing service
  for (const [service, apis] of input.providedBy) for (const api of apis) apiOwner.set(api, service);

  for (const service of input.services) {
    if (!input.components.has(service)) add({ kind: 'UNCATALOGED_SERVICE', severity: 'MEDIUM', service, message: `${service} serves traffic but is not in the catalog` });
  }
  for (const [service, c] of input.components) {
    if (!c.owner || !input.refs.has(c.owner)) add({ kind: 'NO_OWNER', severity: 'MEDIUM', entityRef: c.ref, service, message: c.owner ? `${c.ref} is owned by ${c.owner}, which is not in the catalog` : `${c.ref} has no owner` });
  }

  const bindings = bindObserved(input.operations.map((o) => ({ target: o.service, method: o.method, route: o.route })), input);
  for (const op of input.operations) {
    const provided = input.providedBy.get(op.service) ?? [];
    if (provided.length === 0) continue;
    const hit = bindings.get(observedKey({ target: op.service, method: op.method, route: op.route }));
    if (!hit) {
      // Only HTTP is judged: other server span names are not always operation names.
      if (op.method === '') continue;
      const owner = input.components.get(op.service)?.ref ?? provided[0]!;
      add({ kind: 'SHADOW_ENDPOINT', severity: 'HIGH', entityRef: owner, service: op.service, method: op.method, path: op.route, message: `${op.method} ${op.route} on ${op.service} is in no API that ${owner} provides` });
      continue;
    }
    used.add(`${hit.api} ${hit.method} ${hit.path}`);
    if (hit.deprecated) {
      for (const caller of op.callers.length > 0 ? op.callers : [null]) {
        add({ kind: 'DEPRECATED_IN_USE', severity: 'HIGH', entityRef: hit.api, service: op.service, method: hit.method, path: hit.path, counterpart: caller, message: `deprecated ${hit.method} ${hit.path} of ${hit.api} is still called${caller ? ` by ${caller}` : ''}` });
      }
    }
  }

  for (const [api, ops] of input.apiOperations) {
    const provider = apiOwner.get(api);
    const usedOps = ops.filter((o) => used.has(`${api} ${o.method} ${o.fullPath}`));
    const httpOps = ops.filter((o) => HTTP_METHODS.has(o.method));
    if (httpOps.length === 0) continue; // event APIs are judged by topic traffic, in a later step
    if (usedOps.length === 0) {
      add({ kind: 'UNUSED_API', severity: 'LOW', entityRef: api, service: provider ?? null, message: `${api} had no traffic in this window` });
      continue;
    }
    for (const o of httpOps) {
      if (!usedOps.includes(o)) add({ kind: 'UNUSED_OPERATION', severity: 'LOW', entityRef: api, service: provider ?? null, method: o.method, path: o.fullPath, message: `${o.method} ${o.fullPath} of ${api} had no traffic in this window` });
    }
  }

  for (const k of input.calls) {
    const caller = input.components.get(k.caller);
    const callee = input.components.get(k.callee);
    if (!caller || !callee) continue;
    const declared = callee.provides.some((api) => caller.consumes.includes(api)) || caller.dependsOn.includes(callee.ref);
    if (!declared) add({ kind: 'UNDECLARED_DEPENDENCY', severity: 'MEDIUM', entityRef: caller.ref, service: k.caller, counterpart: callee.ref, message: `${k.caller} calls ${k.callee} but ${caller.ref} declares none of its APIs` });
  }
  for (const [service, c] of input.components) {
    for (const api of c.consumes) {
      const provider = apiOwner.get(api);
      if (!provider || !input.services.includes(service)) continue;
      if (!input.calls.some((k) => k.caller === service && k.callee === provider)) {
        add({ kind: 'STALE_DECLARATION', severity: 'LOW', entityRef: c.ref, service, counterpart: api, message: `${c.ref} declares it consumes ${api}, but ${service} never called ${provider} in this window` });
      }
    }
  }
  return findings;
}
