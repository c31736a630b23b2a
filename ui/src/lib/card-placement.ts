// Where a hover card goes next to the element it describes, kept inside its container.
// Pure geometry (screen pixels), so it runs under `node --test`.

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Space kept between the card and the anchor, and between the card and the container's edges. */
export const CARD_GAP = 8;

/**
 * Top-left of a `card`-sized box beside `anchor`, relative to `container` (all in the same
 * coordinates, e.g. client pixels): to the right of the anchor, else to its left, else below
 * it; top-aligned with the anchor and then clamped so the card stays inside the container.
 */
export function placeCard(anchor: Rect, container: Rect, card: { width: number; height: number }, gap = CARD_GAP): { x: number; y: number } {
  const a = { left: anchor.left - container.left, top: anchor.top - container.top, width: anchor.width, height: anchor.height };
  const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(v, hi));
  const maxX = container.width - card.width - gap;
  const maxY = container.height - card.height - gap;
  const right = a.left + a.width + gap;
  const left = a.left - gap - card.width;
  let x: number;
  let y = a.top;
  if (right <= maxX) x = right;
  else if (left >= gap) x = left;
  else {
    x = a.left;
    y = a.top + a.height + gap;
    if (y > maxY) y = a.top - gap - card.height;
  }
  return { x: clamp(x, gap, Math.max(gap, maxX)), y: clamp(y, gap, Math.max(gap, maxY)) };
}
