// Who owns a service on the map: the rows of its hover card, and a colour per owning team.
// Pure functions: they run under `node --test`.
import type { DependencyGraph, GraphNode } from './api.ts';
import { entityPath, parseRef, refLabel } from './catalog.ts';

export interface OwnershipRow {
  key: 'owner' | 'system' | 'domain' | 'component';
  label: string;
  /** The entity ref as served, or null when the component does not say. */
  ref: string | null;
  /** Short name to show (`checkout-team`), or `—`. */
  text: string;
  /** Entity page of the ref, or null. */
  path: string | null;
}

const ROWS: { key: OwnershipRow['key']; label: string; kind: string }[] = [
  { key: 'owner', label: 'Owner', kind: 'group' },
  { key: 'system', label: 'System', kind: 'system' },
  { key: 'domain', label: 'Domain', kind: 'domain' },
  { key: 'component', label: 'Component', kind: 'component' },
];

/** Whether a node is a service the catalog knows (as a component). */
export function isCataloged(n: GraphNode): boolean {
  return n.kind === 'SERVICE' && !!n.component;
}

/** Owner, system, domain and component of a cataloged service, each with its entity page; null when not cataloged. */
export function ownershipRows(n: GraphNode): OwnershipRow[] | null {
  if (!isCataloged(n)) return null;
  return ROWS.map(({ key, label, kind }) => {
    const ref = n[key] ?? null;
    const r = ref ? parseRef(ref, kind) : null;
    return { key, label, ref, text: r ? refLabel(r) : (ref ?? '—'), path: ref ? entityPath(ref, kind) : null };
  });
}

/** How many team colours there are (--team-0 .. --team-7); beyond that they repeat. */
export const TEAM_COLOURS = 8;

/**
 * A colour slot per owning team, by sorted ref over the whole graph, so that a team keeps its
 * colour when filters hide others.
 */
export function teamColours(g: DependencyGraph): Map<string, number> {
  const teams = [...new Set(g.nodes.filter((n) => n.kind === 'SERVICE' && n.owner).map((n) => n.owner as string))].sort();
  return new Map(teams.map((t, i) => [t, i % TEAM_COLOURS]));
}

export interface TeamLegendEntry {
  ref: string;
  label: string;
  colour: number;
  services: number;
}

/** Legend of the teams that own services in `g` (by label), with their colour slot and service count. */
export function teamLegend(g: DependencyGraph, colours: ReadonlyMap<string, number>): TeamLegendEntry[] {
  const count = new Map<string, number>();
  for (const n of g.nodes) if (n.kind === 'SERVICE' && n.owner) count.set(n.owner, (count.get(n.owner) ?? 0) + 1);
  return [...count]
    .filter(([ref]) => colours.has(ref))
    .map(([ref, services]) => {
      const r = parseRef(ref, 'group');
      return { ref, label: r ? refLabel(r) : ref, colour: colours.get(ref) as number, services };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
}
