import type { PathSpan, SpanTree } from './critical-path.ts';

/** A span as the depth walk needs it: its service and normalized kind (SERVER, CLIENT, PRODUCER, CONSUMER, ...). */
export interface DepthSpan extends PathSpan {
  service: string;
  kind: string;
}

/** The deepest synchronous chain below one span. */
export interface Chain {
  /** Service hops along it (a calls b calls c is 2). */
  depth: number;
  /** Services along it, the entry's first. */
  services: string[];
}

/**
 * The deepest chain of synchronous calls below `entry`: a child in another
 * service than its nearest ancestor with a service is one hop; a CONSUMER
 * span, or any child of a PRODUCER span, is reached asynchronously and ends
 * the chain (a slow consumer does not hold up the request). Among equally deep
 * chains the first in child order (latest end first) is kept.
 */
export function deepestChain(tree: SpanTree<DepthSpan>, entry: number): Chain {
  const top = tree.spans[entry]!;
  let best: Chain = { depth: 0, services: [top.service] };
  const stack: Array<{ span: number; service: string; chain: string[] }> = [{ span: entry, service: top.service, chain: [top.service] }];
  while (stack.length > 0) {
    const { span, service, chain } = stack.pop()!;
    if (chain.length - 1 > best.depth) best = { depth: chain.length - 1, services: chain };
    const kids = syncChildren(tree, span);
    // Pushed in reverse so the first child is walked first.
    for (let k = kids.length - 1; k >= 0; k--) {
      const c = tree.spans[kids[k]!]!;
      const hop = c.service !== '' && c.service !== service;
      stack.push({ span: kids[k]!, service: hop ? c.service : service, chain: hop ? [...chain, c.service] : chain });
    }
  }
  return best;
}

/** The children a span waits for: none below a PRODUCER, and never a CONSUMER (both are asynchronous hops). */
export function syncChildren(tree: SpanTree<DepthSpan>, span: number): number[] {
  if (tree.spans[span]!.kind === 'PRODUCER') return [];
  return tree.children[span]!.filter((c) => tree.spans[c]!.kind !== 'CONSUMER');
}
