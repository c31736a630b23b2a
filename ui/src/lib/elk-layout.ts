// Runs ELK's layered layout in a Web Worker (elkjs' own worker script, served as a static asset),
// so laying out hundreds of nodes never blocks the page. Browser-only; the input comes from graph.ts.
import ELK from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { fallbackPositions, layoutFromElk, toElkInput, type Layout } from './graph.ts';
import type { DependencyGraph } from './api.ts';

type ElkInstance = InstanceType<typeof ELK>;

let elk: ElkInstance | null = null;
let broken = false;

function instance(): ElkInstance | null {
  if (broken) return null;
  if (!elk) {
    try {
      elk = new ELK({ workerUrl: elkWorkerUrl });
    } catch {
      broken = true;
      return null;
    }
  }
  return elk;
}

const TIMEOUT_MS = 15_000;

/** Starts the worker (downloads and compiles ELK) while the graph is still being fetched. */
export function warmUpLayout(): void {
  instance();
}

/**
 * Node positions keyed by node id, plus edge routes. Falls back to a simple longest-path
 * layering (no routes) when the worker cannot start or takes too long, so the map always shows something.
 */
export async function layoutGraph(g: DependencyGraph): Promise<Layout> {
  const fallback = (): Layout => ({ nodes: fallbackPositions(g), edges: new Map() });
  if (g.nodes.length === 0) return { nodes: new Map(), edges: new Map() };
  const e = instance();
  if (!e) return fallback();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('layout timed out')), TIMEOUT_MS);
    });
    const result = await Promise.race([e.layout(toElkInput(g)), timeout]);
    return layoutFromElk(result);
  } catch (err) {
    console.warn('ELK layout failed, using the simple layout instead:', err);
    // A stuck worker is replaced on the next call.
    try {
      e.terminateWorker();
    } catch {
      /* ignore */
    }
    elk = null;
    return fallback();
  } finally {
    clearTimeout(timer);
  }
}
