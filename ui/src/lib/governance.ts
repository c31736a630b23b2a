// Governance findings (traffic vs. catalog): kind labels, severity order, the `kinds` URL filter
// and the evidence links of a finding.
//   /governance?from=now-1h&to=now&kinds=SHADOW_ENDPOINT,UNUSED_API
import type { Finding, FindingKind, Severity } from './api.ts';
import { FINDING_KINDS } from './api.ts';
import { entityPath, parseRef, refLabel } from './catalog.ts';
import { parseSet, serializeSet, servicePath, type ParamPatch, type Params } from './url.ts';

export const FINDING_KIND_LABEL: Record<FindingKind, string> = {
  SHADOW_ENDPOINT: 'Shadow endpoint',
  UNUSED_API: 'Unused API',
  UNUSED_OPERATION: 'Unused operation',
  DEPRECATED_IN_USE: 'Deprecated in use',
  UNDECLARED_DEPENDENCY: 'Undeclared dependency',
  STALE_DECLARATION: 'Stale declaration',
  NO_OWNER: 'No owner',
  UNCATALOGED_SERVICE: 'Uncataloged service',
};

export const FINDING_KIND_DESCRIPTION: Record<FindingKind, string> = {
  SHADOW_ENDPOINT: 'Served in traffic but not declared in the API definition',
  UNUSED_API: 'Declared API with no traffic in this window',
  UNUSED_OPERATION: 'Declared operation with no traffic in this window',
  DEPRECATED_IN_USE: 'Deprecated API or operation still called',
  UNDECLARED_DEPENDENCY: 'Observed call not declared in the catalog',
  STALE_DECLARATION: 'Declared dependency with no traffic in this window',
  NO_OWNER: 'Catalog entity without an owner',
  UNCATALOGED_SERVICE: 'Service seen in traffic but missing from the catalog',
};

/** `SOME_NEW_KIND` -> `Some new kind` (kinds added to the server after this UI). */
export function kindLabel(kind: string): string {
  const known = (FINDING_KIND_LABEL as Record<string, string>)[kind];
  if (known) return known;
  const s = kind.toLowerCase().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const SEVERITIES: readonly Severity[] = ['HIGH', 'MEDIUM', 'LOW'];

/** HIGH first; unknown severities last. */
export function severityRank(s: string): number {
  const i = (SEVERITIES as readonly string[]).indexOf(s);
  return i < 0 ? SEVERITIES.length : i;
}

/** A glyph per severity, so colour is never the only signal. */
export function severityGlyph(s: string): string {
  return s === 'HIGH' ? '▲' : s === 'MEDIUM' ? '◆' : s === 'LOW' ? '●' : '○';
}

/** The colour class of a severity (see `.lvl-*` in app.css). */
export function severityLevel(s: string): 'lvl-bad' | 'lvl-warn' | 'lvl-idle' {
  return s === 'HIGH' ? 'lvl-bad' : s === 'MEDIUM' ? 'lvl-warn' : 'lvl-idle';
}

function kindRank(k: string): number {
  const i = (FINDING_KINDS as readonly string[]).indexOf(k);
  return i < 0 ? FINDING_KINDS.length : i;
}

function compareText(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
}

/** Default order: severity (HIGH first), then kind (declaration order), then message. */
export function compareFindings(a: Finding, b: Finding): number {
  return severityRank(a.severity) - severityRank(b.severity) || kindRank(a.kind) - kindRank(b.kind) || compareText(a.message, b.message);
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/** Selected kinds from `kinds=...`: every kind when absent; `none` (or nothing valid) selects none. */
export function parseKinds(params: Params): Set<FindingKind> {
  return parseSet(params['kinds'], FINDING_KINDS) ?? new Set(FINDING_KINDS);
}

/** The patch that puts a selection in the URL (omitted when every kind is selected). */
export function kindsPatch(selected: ReadonlySet<FindingKind>): ParamPatch {
  return { kinds: selected.size === 0 ? 'none' : serializeSet(selected, FINDING_KINDS) };
}

export function toggleKind(selected: ReadonlySet<FindingKind>, kind: FindingKind): Set<FindingKind> {
  const next = new Set(selected);
  if (next.has(kind)) next.delete(kind);
  else next.add(kind);
  return next;
}

/** Findings per kind (every known kind present, possibly 0). */
export function kindCounts(findings: readonly Finding[]): Record<FindingKind, number> {
  const out = Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Record<FindingKind, number>;
  for (const f of findings) if (f.kind in out) out[f.kind] += 1;
  return out;
}

/** Findings of the selected kinds; kinds unknown to this UI are shown only when nothing is filtered. */
export function filterFindings(findings: readonly Finding[], selected: ReadonlySet<FindingKind>): Finding[] {
  const all = selected.size === FINDING_KINDS.length;
  return findings.filter((f) => selected.has(f.kind) || (all && !(FINDING_KINDS as readonly string[]).includes(f.kind)));
}

export interface EvidenceLink {
  /** What the link points at, for the row's accessible text. */
  role: 'service' | 'entity' | 'counterpart';
  label: string;
  path: string;
  title: string;
}

/** A catalog ref (`kind:ns/name`) -> its entity page; a plain name -> the service page. */
function targetLink(value: string, role: EvidenceLink['role']): EvidenceLink | null {
  const v = value.trim();
  if (!v) return null;
  if (v.includes(':')) {
    const r = parseRef(v);
    const path = entityPath(v);
    if (r && path) return { role, label: refLabel(r), path, title: `Catalog: ${v}` };
    return null;
  }
  return { role, label: v, path: servicePath(v), title: `Service: ${v}` };
}

/** Links to the evidence of a finding: its service, catalog entity and counterpart (deduplicated). */
export function evidenceLinks(f: Pick<Finding, 'service' | 'entityRef' | 'counterpart'>): EvidenceLink[] {
  const out: EvidenceLink[] = [];
  const push = (l: EvidenceLink | null) => {
    if (l && !out.some((o) => o.path === l.path)) out.push(l);
  };
  if (f.service) push({ role: 'service', label: f.service, path: servicePath(f.service), title: `Service: ${f.service}` });
  if (f.entityRef) push(targetLink(f.entityRef, 'entity'));
  if (f.counterpart) push(targetLink(f.counterpart, 'counterpart'));
  return out;
}

/** `GET /stock/{sku}`, or null when the finding is not about an operation. */
export function operationLabel(f: Pick<Finding, 'method' | 'path'>): string | null {
  if (!f.method && !f.path) return null;
  return [f.method, f.path].filter(Boolean).join(' ');
}

/** A stable row key. */
export function findingKey(f: Finding): string {
  return [f.kind, f.severity, f.entityRef, f.service, f.method, f.path, f.counterpart, f.message].map((v) => v ?? '').join('\u0000');
}
