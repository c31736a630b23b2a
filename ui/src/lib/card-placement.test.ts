import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeCard } from './card-placement.ts';

// A 1000x600 canvas at (100, 50) on the page; a 260x180 card.
const canvas = { left: 100, top: 50, width: 1000, height: 600 };
const card = { width: 260, height: 180 };

test('right of the node, top-aligned, relative to the container', () => {
  assert.deepEqual(placeCard({ left: 300, top: 150, width: 168, height: 60 }, canvas, card), { x: 200 + 168 + 8, y: 100 });
});

test('near the right edge it flips to the left of the node', () => {
  assert.deepEqual(placeCard({ left: 900, top: 150, width: 168, height: 60 }, canvas, card), { x: 800 - 8 - 260, y: 100 });
});

test('near the bottom it is pulled up to stay inside', () => {
  assert.deepEqual(placeCard({ left: 300, top: 600, width: 168, height: 40 }, canvas, card), { x: 376, y: 600 - 180 - 8 });
});

test('no room on either side: below the node, or above it when below does not fit', () => {
  const narrow = { left: 0, top: 0, width: 400, height: 600 };
  assert.deepEqual(placeCard({ left: 100, top: 50, width: 200, height: 60 }, narrow, card), { x: 100, y: 118 });
  assert.deepEqual(placeCard({ left: 100, top: 480, width: 200, height: 60 }, narrow, card), { x: 100, y: 480 - 8 - 180 });
});

test('a container smaller than the card pins it to the top-left gap', () => {
  assert.deepEqual(placeCard({ left: 10, top: 10, width: 50, height: 20 }, { left: 0, top: 0, width: 100, height: 100 }, card), { x: 8, y: 8 });
});
