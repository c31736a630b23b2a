// The global time range: a relative or absolute spec from the URL, resolved against `now`.
// `now` advances on refresh(); pages that read `window` refetch when it changes.
import {
  describeRelativeRange,
  isRelative,
  normalizeRange,
  rangeSeconds,
  resolveRange,
  type RangeSpec,
  type ResolvedRange,
} from '../lib/timerange.ts';
import type { UrlState } from './url-state.svelte.ts';

export const AUTO_REFRESH_MS = 15_000;

export class TimeRange {
  #url: UrlState;
  now = $state(Date.now());

  spec: RangeSpec;
  relative: boolean;
  resolved: ResolvedRange;
  fromIso: string;
  toIso: string;
  seconds: number;
  /** Variables for GraphQL queries. */
  window: { from: string; to: string };
  label: string | undefined;

  constructor(url: UrlState) {
    this.#url = url;
    // Deriveds are chained through strings so that unrelated URL changes (a selection, a filter)
    // do not produce new objects here, and so do not refetch anything.
    const normalized = $derived(normalizeRange(url.params['from'], url.params['to']));
    const from = $derived(normalized.from);
    const to = $derived(normalized.to);
    this.spec = $derived({ from, to });
    this.relative = $derived(isRelative(this.spec));
    this.resolved = $derived(resolveRange(this.spec, this.now));
    this.fromIso = $derived(this.resolved.from.toISOString());
    this.toIso = $derived(this.resolved.to.toISOString());
    this.seconds = $derived(rangeSeconds(this.resolved));
    this.window = $derived({ from: this.fromIso, to: this.toIso });
    this.label = $derived(describeRelativeRange(this.spec));
  }

  refresh(): void {
    this.now = Date.now();
  }

  /** Sets the range in the URL (a new history entry) and resolves it at the present. */
  set(spec: RangeSpec, opts: { replace?: boolean } = {}): void {
    this.now = Date.now();
    this.#url.setParams({ from: spec.from, to: spec.to }, opts);
  }

  /** Link to the current page with another range. */
  href(spec: RangeSpec): string {
    return this.#url.hrefWith({ from: spec.from, to: spec.to });
  }

  /** Keeps `now` current while the range is relative: every 15 s while the tab is visible. */
  autoRefresh(): () => void {
    if (!this.relative) return () => {};
    const tick = () => {
      if (document.visibilityState === 'visible') this.refresh();
    };
    const id = setInterval(tick, AUTO_REFRESH_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible' && Date.now() - this.now > AUTO_REFRESH_MS) this.refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(id);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }
}
