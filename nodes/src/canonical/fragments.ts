/**
 * Schema pieces shared by the canonical schemas. Each schema is a self-contained plain object
 * (no `$ref` across schemas), so any JSON Schema tool can use one on its own.
 */
import type { JsonObject } from '../sdk/json';
import {
  COUNTRY_PATTERN,
  CURRENCY_CODES,
  LENGTH_UNITS,
  SCAC_PATTERN,
  SERVICE_LEVELS,
  TRANSPORT_MODES,
  UN_LOCODE_PATTERN,
  UNIT_CODES,
  VOLUME_UNITS,
  WEIGHT_UNITS,
} from './codes';
import { GLN_PATTERN, GTIN_PATTERN, SSCC_PATTERN } from './gs1';
import { MILESTONE_STATUSES } from './milestones';

/** Keeps literal types (like `as const`) while staying assignable to `JsonObject`. */
export function schema<const S extends JsonObject>(s: S): S {
  return s;
}

export const text = schema({ type: 'string', minLength: 1, maxLength: 256 });
export const identifier = schema({ type: 'string', minLength: 1, maxLength: 80 });
export const isoDate = schema({ type: 'string', format: 'date' });
export const isoDateTime = schema({ type: 'string', format: 'date-time' });
export const country = schema({ type: 'string', pattern: COUNTRY_PATTERN });
export const gtin = schema({ type: 'string', pattern: GTIN_PATTERN, format: 'gtin' });
export const sscc = schema({ type: 'string', pattern: SSCC_PATTERN, format: 'sscc' });
export const gln = schema({ type: 'string', pattern: GLN_PATTERN, format: 'gln' });
export const unLocode = schema({ type: 'string', pattern: UN_LOCODE_PATTERN });
export const unit = schema({ type: 'string', enum: [...UNIT_CODES] });
export const currency = schema({ type: 'string', enum: [...CURRENCY_CODES] });
export const serviceLevel = schema({ type: 'string', enum: [...SERVICE_LEVELS] });
export const transportMode = schema({ type: 'string', enum: [...TRANSPORT_MODES] });
/** `unknown`: a carrier's status code Crossdock does not map (the raw code is in `statusCode`). */
export const milestoneStatus = schema({
  type: 'string',
  enum: [...MILESTONE_STATUSES, 'unknown'],
});
/** Product identifiers as a trading partner sent them (X12 element 235 qualifier + value). */
export const productIds = schema({
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['qualifier', 'value'],
    properties: {
      qualifier: { type: 'string', pattern: '^[A-Z0-9]{2}$' },
      value: { type: 'string', minLength: 1, maxLength: 80 },
    },
  },
});
export const positive = schema({ type: 'number', exclusiveMinimum: 0 });
export const nonNegative = schema({ type: 'number', minimum: 0 });

export const address = schema({
  type: 'object',
  additionalProperties: false,
  required: ['lines', 'city', 'country'],
  properties: {
    lines: { type: 'array', minItems: 1, maxItems: 3, items: text },
    city: text,
    region: { type: 'string', minLength: 1, maxLength: 3 },
    postalCode: { type: 'string', minLength: 1, maxLength: 15 },
    country,
  },
});

const partyProperties = {
  name: text,
  id: identifier,
  gln,
  unLocode,
  address,
};

export const party = schema({
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: partyProperties,
});

/** A party whose address is required (ship-to, stops). */
export const addressedParty = schema({
  type: 'object',
  additionalProperties: false,
  required: ['name', 'address'],
  properties: partyProperties,
});

export const weight = schema({
  type: 'object',
  additionalProperties: false,
  required: ['value', 'unit'],
  properties: { value: positive, unit: { type: 'string', enum: [...WEIGHT_UNITS] } },
});

export const volume = schema({
  type: 'object',
  additionalProperties: false,
  required: ['value', 'unit'],
  properties: { value: positive, unit: { type: 'string', enum: [...VOLUME_UNITS] } },
});

export const dimensions = schema({
  type: 'object',
  additionalProperties: false,
  required: ['length', 'width', 'height', 'unit'],
  properties: {
    length: positive,
    width: positive,
    height: positive,
    unit: { type: 'string', enum: [...LENGTH_UNITS] },
  },
});

export const money = schema({
  type: 'object',
  additionalProperties: false,
  required: ['amount', 'currency'],
  properties: { amount: nonNegative, currency },
});

export const carrier = schema({
  type: 'object',
  additionalProperties: false,
  required: ['scac'],
  properties: { scac: { type: 'string', pattern: SCAC_PATTERN }, name: text },
});

export const orderLineProperties = {
  lineNumber: identifier,
  sku: identifier,
  gtin,
  productIds,
  description: text,
  quantity: positive,
  unit,
  unitPrice: nonNegative,
};

export const milestoneLocation = schema({
  type: 'object',
  additionalProperties: false,
  required: ['city', 'country'],
  properties: {
    city: text,
    region: { type: 'string', minLength: 1, maxLength: 3 },
    country,
    unLocode,
  },
});
