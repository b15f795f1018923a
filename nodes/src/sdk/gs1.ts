/**
 * GS1 identifiers (GTIN, SSCC, GLN) share one check-digit rule: weights 3 and 1 alternate from
 * the rightmost data digit, and the check digit brings the weighted sum up to a multiple of 10.
 */

/** True when `digits` is all digits and its last digit is the GS1 check digit of the rest. */
export function hasValidGs1CheckDigit(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === Number(digits.slice(-1));
}

/** The GS1 check digit for the data digits (everything but the check digit). */
export function gs1CheckDigit(data: string): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const digit = Number(data[data.length - 1 - i]);
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** GTIN-8, -12, -13 or -14 with a correct check digit. */
export function isGtin(value: string): boolean {
  return /^(\d{8}|\d{12,14})$/.test(value) && hasValidGs1CheckDigit(value);
}

/** Serial Shipping Container Code: 18 digits with a correct check digit. */
export function isSscc(value: string): boolean {
  return /^\d{18}$/.test(value) && hasValidGs1CheckDigit(value);
}

/** Global Location Number: 13 digits with a correct check digit. */
export function isGln(value: string): boolean {
  return /^\d{13}$/.test(value) && hasValidGs1CheckDigit(value);
}

/** Patterns that match the shape (not the check digit) so forms can hint before validating. */
export const GTIN_PATTERN = '^(\\d{8}|\\d{12,14})$';
export const SSCC_PATTERN = '^\\d{18}$';
export const GLN_PATTERN = '^\\d{13}$';
