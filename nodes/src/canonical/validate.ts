import type { SchemaProblem } from '../sdk/schema-check';
import { checkSchema } from '../sdk/schema-check';
import { canonicalSchemas } from './schemas';
import type { CanonicalObjects, CanonicalType } from './types';

/** Checks a value against a canonical schema; an empty list means it is valid. */
export function validateCanonical(type: CanonicalType, value: unknown): SchemaProblem[] {
  return checkSchema(canonicalSchemas[type], value);
}

/** Narrows `value` to the canonical type when it has no problems. */
export function isCanonical<T extends CanonicalType>(
  type: T,
  value: unknown,
): value is CanonicalObjects[T] {
  return validateCanonical(type, value).length === 0;
}

/** True when `name` is one of the canonical type names. */
export function isCanonicalType(name: string): name is CanonicalType {
  return Object.hasOwn(canonicalSchemas, name);
}
