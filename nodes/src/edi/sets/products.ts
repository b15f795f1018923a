/** Product id qualifier/value pairs (PO1-06.., W01-04.., LIN-02..): SK = SKU, UK = GTIN, LT = lot. */
import { val } from '../elements';
import type { Segment } from '../types';

const GTIN_QUALIFIERS = new Set(['UK', 'EN', 'UP', 'UA']);

export interface ProductIds {
  sku?: string;
  gtin?: string;
  lot?: string;
}

/** Reads qualifier/value pairs starting at element `from` until the segment ends. */
export function readProductIds(s: Segment, from: number): ProductIds {
  const ids: ProductIds = {};
  for (let n = from; n + 1 < s.elements.length; n += 2) {
    const qualifier = val(s, n);
    const value = val(s, n + 1);
    if (qualifier === undefined || value === undefined) continue;
    if (qualifier === 'SK') ids.sku = value;
    else if (qualifier === 'VN' || qualifier === 'BP') ids.sku ??= value;
    else if (GTIN_QUALIFIERS.has(qualifier)) ids.gtin ??= value;
    else if (qualifier === 'LT') ids.lot ??= value;
  }
  return ids;
}

/** Writes SK, then UK and LT when present, as qualifier/value pairs. */
export function writeProductIds(ids: ProductIds): string[] {
  return [
    ...(ids.sku !== undefined ? ['SK', ids.sku] : []),
    ...(ids.gtin !== undefined ? ['UK', ids.gtin] : []),
    ...(ids.lot !== undefined ? ['LT', ids.lot] : []),
  ];
}
