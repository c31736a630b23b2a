// A colour per service name that stays the same on every page and in every trace: the
// hue comes from a hash of the name, lightness and chroma are fixed (OKLCH), so every
// service reads equally well on the light and the dark theme.

/** FNV-1a of the name, 32 bits. */
function hash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The service's hue in degrees, 0..359. */
export function serviceHue(name: string): number {
  return hash(name) % 360;
}

/** A CSS colour for the service (bars, swatches), light and dark theme variants. */
export function serviceColour(name: string): string {
  const h = serviceHue(name);
  return `light-dark(oklch(58% 0.14 ${h}), oklch(72% 0.12 ${h}))`;
}
