import { getContext, setContext } from 'svelte';
import type { UrlState } from './url-state.svelte.ts';
import type { TimeRange } from './time-range.svelte.ts';

const KEY = Symbol('plexus');

export interface AppContext {
  url: UrlState;
  range: TimeRange;
}

export function setApp(ctx: AppContext): void {
  setContext(KEY, ctx);
}

export function app(): AppContext {
  const ctx = getContext<AppContext | undefined>(KEY);
  if (!ctx) throw new Error('app context missing');
  return ctx;
}
