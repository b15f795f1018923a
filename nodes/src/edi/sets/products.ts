/**
 * Product id qualifier/value pairs (PO1-06.., W01-04.., LIN-02..). Every pair is kept; `sku`
 * comes from the partner's preference order, `gtin` from the qualifiers that carry a GTIN
 * (check digit verified only there), `lot` from LT.
 */
import { hasValidGs1CheckDigit } from '../../canonical/gs1';
import { mappingProblem, type ReadContext, val } from '../elements';
import { at, type Segment } from '../types';

/** Qualifiers whose value is a GTIN/UPC/EAN (element 235): UP UPC-12, UK GTIN-14, EN EAN-13, UA UPC/EAN case code, UI/UN/UD other U.P.C. forms. */
const GTIN_QUALIFIERS = new Set(['UP', 'UK', 'EN', 'UA', 'UI', 'UN', 'UD', 'EO']);

/** The default sku preference: buyer's and vendor's item numbers before anything else. */
export const DEFAULT_SKU_QUALIFIERS: readonly string[] = [
  'SK',
  'VN',
  'BP',
  'IN',
  'VP',
  'PI',
  'MG',
  'VC',
  'CB',
];

export interface ProductId {
  qualifier: string;
  value: string;
}

export interface ProductIds {
  sku?: string;
  gtin?: string;
  lot?: string;
  /** Every pair as sent, present only when it says more than sku, gtin and lot. */
  productIds?: ProductId[];
}

/** Reads qualifier/value pairs starting at element `from` until the segment ends. */
export function readProductIds(ctx: ReadContext, s: Segment, from: number): ProductIds {
  const pairs: ProductId[] = [];
  for (let n = from; n + 1 < s.elements.length; n += 2) {
    const qualifier = val(s, n);
    const value = val(s, n + 1);
    if (qualifier === undefined || value === undefined) continue;
    pairs.push({ qualifier, value });
  }
  const ids: ProductIds = {};
  const preference = ctx.options?.skuQualifiers ?? DEFAULT_SKU_QUALIFIERS;
  for (const q of preference) {
    const found = pairs.find((p) => p.qualifier === q);
    if (found) {
      ids.sku = found.value;
      break;
    }
  }
  for (const p of pairs) {
    if (GTIN_QUALIFIERS.has(p.qualifier) && ids.gtin === undefined) {
      // A UPC-12 is a GTIN-12; an EAN-13 a GTIN-13: the same check digit rule for all lengths.
      if (/^(\d{8}|\d{12,14})$/.test(p.value) && hasValidGs1CheckDigit(p.value)) ids.gtin = p.value;
      else {
        mappingProblem(
          ctx,
          s,
          undefined,
          `Product id ${p.qualifier} "${p.value}" is not a valid GTIN (length or check digit); it is kept in productIds only ${at(s)}.`,
          { severity: 'warning', code: 'bad-check-digit' },
        );
      }
    } else if (p.qualifier === 'LT') ids.lot ??= p.value;
  }
  if (ids.sku === undefined) {
    const fallback = pairs.find((p) => p.qualifier !== 'LT');
    if (fallback) {
      ids.sku = fallback.value;
      mappingProblem(
        ctx,
        s,
        undefined,
        `No product id with a preferred qualifier (${preference.join(', ')}); sku is the ${fallback.qualifier} "${fallback.value}" ${at(s)}.`,
        { severity: 'warning', code: 'default-applied' },
      );
    }
  }
  const plain =
    pairs.length === [ids.sku, ids.gtin, ids.lot].filter((v) => v !== undefined).length &&
    pairs.every(
      (p) =>
        (p.qualifier === 'SK' && p.value === ids.sku) ||
        (p.qualifier === 'UK' && p.value === ids.gtin) ||
        (p.qualifier === 'LT' && p.value === ids.lot),
    );
  if (!plain) ids.productIds = pairs;
  return ids;
}

/** Writes the pairs as sent when the object has them, else SK, UK and LT. */
export function writeProductIds(ids: ProductIds): string[] {
  if (ids.productIds && ids.productIds.length > 0)
    return ids.productIds.flatMap((p) => [p.qualifier, p.value]);
  return [
    ...(ids.sku !== undefined ? ['SK', ids.sku] : []),
    ...(ids.gtin !== undefined ? ['UK', ids.gtin] : []),
    ...(ids.lot !== undefined ? ['LT', ids.lot] : []),
  ];
}
