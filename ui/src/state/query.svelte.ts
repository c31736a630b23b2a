// A GraphQL-backed value that refetches when its variables change and keeps showing the
// last good data while a refresh is in flight (no flashing on the 15 s auto-refresh).
import { untrack } from 'svelte';
import { errorMessage, isAbort } from '../lib/graphql.ts';

export class Query<V, T> {
  data: T | undefined = $state.raw(undefined);
  /** Variables the shown `data` was fetched with. */
  dataVars: V | undefined = $state.raw(undefined);
  error: string | null = $state(null);
  loading = $state(false);
  #retry = $state(0);

  /** Must be constructed during component initialisation (it owns an effect). */
  constructor(vars: () => V | null, run: (vars: V, signal: AbortSignal) => Promise<T>) {
    $effect(() => {
      this.#retry;
      const v = vars();
      if (v === null) return;
      const ctrl = new AbortController();
      untrack(() => {
        this.loading = true;
        run(v, ctrl.signal).then(
          (d) => {
            if (ctrl.signal.aborted) return;
            this.data = d;
            this.dataVars = v;
            this.error = null;
            this.loading = false;
          },
          (err: unknown) => {
            if (ctrl.signal.aborted || isAbort(err)) return;
            this.error = errorMessage(err);
            this.loading = false;
          },
        );
      });
      return () => ctrl.abort();
    });
  }

  retry(): void {
    this.#retry++;
  }
}
