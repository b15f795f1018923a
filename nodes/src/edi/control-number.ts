/** FNV-1a: a small, stable string hash (no crypto needed, and isomorphic). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** An X12 control number (1..999999999) that is always the same for the same key. */
export function controlNumberFrom(key: string): number {
  return (fnv1a(key) % 999_999_999) + 1;
}
