// Each page is its own chunk: elk/xyflow load only with the map, uPlot only with the service and
// entity pages (an API's traffic). The catalog list and reuse pages have no heavy dependency.
import type { Component } from 'svelte';
import type { Route } from '../lib/url.ts';

export type PageKey = Exclude<Route['page'], 'root'>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyComponent = Component<any>;

export const pageLoaders: Record<PageKey, () => Promise<{ default: AnyComponent }>> = {
  map: () => import('./MapPage.svelte'),
  services: () => import('./ServicesPage.svelte'),
  service: () => import('./ServicePage.svelte'),
  catalog: () => import('./CatalogPage.svelte'),
  entity: () => import('./EntityPage.svelte'),
  governance: () => import('./GovernancePage.svelte'),
  reuse: () => import('./ReusePage.svelte'),
  topics: () => import('./TopicsPage.svelte'),
  topic: () => import('./TopicPage.svelte'),
  sources: () => import('./SourcesPage.svelte'),
  traces: () => import('./TracesPage.svelte'),
  trace: () => import('./TracePage.svelte'),
  notfound: () => import('./NotFoundPage.svelte'),
};

export const PAGE_TITLE: Record<PageKey, string> = {
  map: 'Service map',
  services: 'Services',
  service: 'Service',
  catalog: 'Catalog',
  entity: 'Catalog entity',
  governance: 'Governance',
  reuse: 'API reuse',
  topics: 'Topics',
  topic: 'Topic',
  sources: 'Sources',
  traces: 'Traces',
  trace: 'Trace',
  notfound: 'Not found',
};

/** Warm the chunk for a page (e.g. on link hover) so navigation feels instant. */
export function preload(key: PageKey): void {
  void pageLoaders[key]().catch(() => {});
}
