/**
 * Redis Cluster's key slot (CRC16-XMODEM of the key, or of its first non-empty `{hash tag}`,
 * modulo 16384), computed here so partition tags can be chosen to spread over the slot space
 * before any node is asked. A test checks it against `CLUSTER KEYSLOT`.
 */

export const CLUSTER_SLOTS = 16_384;

let table: Uint16Array | undefined;

function crcTable(): Uint16Array {
  if (table) return table;
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    t[i] = crc & 0xffff;
  }
  table = t;
  return t;
}

function crc16(bytes: Uint8Array): number {
  const t = crcTable();
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ (t[((crc >> 8) ^ byte) & 0xff] ?? 0)) & 0xffff;
  return crc;
}

/** The cluster slot of a key, with Redis's hash-tag rule. */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) key = key.slice(open + 1, close);
  }
  return crc16(new TextEncoder().encode(key)) % CLUSTER_SLOTS;
}

/** FNV-1a over a string's UTF-16 units: a cheap, stable spread of business keys over partitions. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
