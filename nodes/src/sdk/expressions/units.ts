/** What a unit measures; only units of the same dimension convert into each other. */
export type UnitDimension = 'mass' | 'length' | 'area' | 'volume' | 'count';

interface UnitDefinition {
  dimension: UnitDimension;
  /** How many of the dimension's base unit (kg, m, m², m³, piece) one of this unit is. */
  factor: number;
  name: string;
}

/**
 * UN/ECE Recommendation 20 unit codes Crossdock converts between, with exact factors to the SI
 * base unit (international avoirdupois pound, international inch, US liquid gallon).
 */
export const UNITS: Readonly<Record<string, UnitDefinition>> = {
  KGM: { dimension: 'mass', factor: 1, name: 'kilogram' },
  GRM: { dimension: 'mass', factor: 0.001, name: 'gram' },
  MGM: { dimension: 'mass', factor: 1e-6, name: 'milligram' },
  TNE: { dimension: 'mass', factor: 1000, name: 'tonne' },
  LBR: { dimension: 'mass', factor: 0.45359237, name: 'pound' },
  ONZ: { dimension: 'mass', factor: 0.028349523125, name: 'ounce' },
  STN: { dimension: 'mass', factor: 907.18474, name: 'short ton' },
  LTN: { dimension: 'mass', factor: 1016.0469088, name: 'long ton' },
  MTR: { dimension: 'length', factor: 1, name: 'metre' },
  KMT: { dimension: 'length', factor: 1000, name: 'kilometre' },
  CMT: { dimension: 'length', factor: 0.01, name: 'centimetre' },
  MMT: { dimension: 'length', factor: 0.001, name: 'millimetre' },
  INH: { dimension: 'length', factor: 0.0254, name: 'inch' },
  FOT: { dimension: 'length', factor: 0.3048, name: 'foot' },
  YRD: { dimension: 'length', factor: 0.9144, name: 'yard' },
  SMI: { dimension: 'length', factor: 1609.344, name: 'mile' },
  MTK: { dimension: 'area', factor: 1, name: 'square metre' },
  CMK: { dimension: 'area', factor: 1e-4, name: 'square centimetre' },
  FTK: { dimension: 'area', factor: 0.09290304, name: 'square foot' },
  INK: { dimension: 'area', factor: 0.00064516, name: 'square inch' },
  MTQ: { dimension: 'volume', factor: 1, name: 'cubic metre' },
  DMQ: { dimension: 'volume', factor: 0.001, name: 'cubic decimetre' },
  CMQ: { dimension: 'volume', factor: 1e-6, name: 'cubic centimetre' },
  LTR: { dimension: 'volume', factor: 0.001, name: 'litre' },
  MLT: { dimension: 'volume', factor: 1e-6, name: 'millilitre' },
  FTQ: { dimension: 'volume', factor: 0.028316846592, name: 'cubic foot' },
  INQ: { dimension: 'volume', factor: 0.000016387064, name: 'cubic inch' },
  GLL: { dimension: 'volume', factor: 0.003785411784, name: 'US gallon' },
  EA: { dimension: 'count', factor: 1, name: 'each' },
  C62: { dimension: 'count', factor: 1, name: 'one' },
  H87: { dimension: 'count', factor: 1, name: 'piece' },
  PR: { dimension: 'count', factor: 2, name: 'pair' },
  DZN: { dimension: 'count', factor: 12, name: 'dozen' },
  GRO: { dimension: 'count', factor: 144, name: 'gross' },
};

function unit(code: string): UnitDefinition {
  const def = Object.hasOwn(UNITS, code) ? UNITS[code] : undefined;
  if (!def) {
    throw new Error(
      `Unknown unit "${code}": use a UN/ECE Rec 20 code such as KGM, LBR, MTR, INH, MTQ, LTR or EA.`,
    );
  }
  return def;
}

/**
 * Converts `value` from one Rec 20 unit to another of the same dimension. Throws on an unknown
 * code or across dimensions (kilograms never become metres).
 */
export function convertUnit(value: number, from: string, to: string): number {
  const a = unit(from);
  const b = unit(to);
  if (a.dimension !== b.dimension) {
    throw new Error(
      `Cannot convert ${from} (${a.dimension}) to ${to} (${b.dimension}): the units measure different things.`,
    );
  }
  if (from === to) return value;
  // Twelve significant digits: exact for every factor here, without binary noise like …0001.
  return Number(((value * a.factor) / b.factor).toPrecision(12));
}
