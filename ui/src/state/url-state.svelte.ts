// The URL is the single source of truth for what is on screen (page, time range, filters, selection).
import {
  applyPatch,
  buildHref,
  parseRoute,
  parseSearch,
  serializeSearch,
  type ParamPatch,
  type Params,
  type Route,
} from '../lib/url.ts';

export interface NavigateOptions {
  replace?: boolean;
}

export class UrlState {
  path = $state('/');
  search = $state('');
  params: Params = $derived(parseSearch(this.search));
  route: Route = $derived(parseRoute(this.path));

  constructor() {
    this.#read();
    window.addEventListener('popstate', () => this.#read());
  }

  #read(): void {
    this.path = location.pathname;
    this.search = location.search;
  }

  /** Client-side navigation to a same-origin href (path + query). */
  navigate(href: string, opts: NavigateOptions = {}): void {
    const url = new URL(href, location.href);
    if (url.origin !== location.origin) {
      location.assign(url.href);
      return;
    }
    const next = url.pathname + url.search + url.hash;
    const current = location.pathname + location.search + location.hash;
    const pageChanged = url.pathname !== location.pathname;
    if (next !== current) {
      if (opts.replace) history.replaceState(history.state, '', next);
      else history.pushState(null, '', next);
    }
    this.path = url.pathname;
    this.search = url.search;
    if (pageChanged && !opts.replace) document.getElementById('main')?.scrollTo?.(0, 0);
  }

  /** Changes query parameters of the current page (null/'' removes one). */
  setParams(patch: ParamPatch, opts: NavigateOptions = {}): void {
    this.navigate(this.path + serializeSearch(applyPatch(this.params, patch)), opts);
  }

  /** Link to another page that keeps the time range. */
  href(path: string, patch: ParamPatch = {}): string {
    return buildHref(path, this.search, patch);
  }

  /** Link to the current page with some parameters changed. */
  hrefWith(patch: ParamPatch): string {
    return this.path + serializeSearch(applyPatch(this.params, patch));
  }
}
