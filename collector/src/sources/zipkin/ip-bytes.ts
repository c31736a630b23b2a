// Zipkin's proto3 form carries endpoint addresses as raw bytes; JSON carries
// text. Both end up as the text form JSON senders use.

/** Four bytes as dotted IPv4 text; undefined for any other length. */
export function ipv4FromBytes(bytes: Uint8Array): string | undefined {
  return bytes.length === 4 ? Array.from(bytes).join('.') : undefined;
}

/** Sixteen bytes as RFC 5952 IPv6 text (lower case, longest zero run as `::`); undefined for any other length. */
export function ipv6FromBytes(bytes: Uint8Array): string | undefined {
  if (bytes.length !== 16) return undefined;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // RFC 5952 §4.2: shorten the longest run of two or more zero groups, the first when tied.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
