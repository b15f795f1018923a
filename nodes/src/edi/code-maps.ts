/**
 * Two-way maps between canonical codes and the X12 code lists they travel as. Each map is
 * one-to-one, so a document generated from a canonical object parses back to the same codes;
 * the `aliases` accept other codes partners commonly send for the same thing.
 */
import type {
  ServiceLevel,
  TransportMode,
  UnitCode,
  VolumeUnit,
  WeightUnit,
} from '../canonical/codes';

export interface CodeMap<C extends string> {
  toX12: Partial<Record<C, string>>;
  aliases?: Record<string, C>;
}

/** X12 element 355 (unit or basis for measurement) for UN/ECE Rec 20 units. */
export const UNIT_MAP: CodeMap<UnitCode> = {
  toX12: {
    EA: 'EA',
    H87: 'PC',
    C62: 'UN',
    PR: 'PR',
    DZN: 'DZ',
    SET: 'ST',
    KGM: 'KG',
    GRM: 'GR',
    LBR: 'LB',
    ONZ: 'OZ',
    MTR: 'MR',
    CMT: 'CM',
    MMT: 'MM',
    INH: 'IN',
    FOT: 'FT',
    MTQ: 'CR',
    CMQ: 'CC',
    FTQ: 'CF',
    LTR: 'LT',
    XCT: 'CT',
    XBX: 'BX',
    XPK: 'PK',
    XPX: 'PL',
    XCS: 'CA',
  },
};

/** X12 element 211 (packaging form), used in TD1 and OID for package units. */
export const PACKAGING_MAP: CodeMap<UnitCode> = {
  toX12: { XPX: 'PLT', XCT: 'CTN', XBX: 'BOX', XCS: 'CAS', XPK: 'PKG', EA: 'PCS' },
  aliases: { PCK: 'XPK', PAL: 'XPX' },
};

/** X12 element 188 (weight unit code). */
export const WEIGHT_UNIT_MAP: CodeMap<WeightUnit> = { toX12: { LBR: 'L', KGM: 'K' } };

/** X12 element 355 for weights, where a segment takes a full unit code (TD1-08, AT8). */
export const WEIGHT_UOM_MAP: CodeMap<WeightUnit> = {
  toX12: { LBR: 'LB', KGM: 'KG', GRM: 'GR', ONZ: 'OZ' },
};

/** X12 element 184 (volume unit qualifier). */
export const VOLUME_UNIT_MAP: CodeMap<VolumeUnit> = { toX12: { FTQ: 'E', MTQ: 'X' } };

/** X12 element 284 (service level code), TD5-12. */
export const SERVICE_LEVEL_MAP: CodeMap<ServiceLevel> = {
  toX12: {
    'same-day': 'SA',
    'next-day': 'ND',
    'two-day': 'SE',
    'three-day': '3D',
    standard: 'G2',
    economy: 'DF',
  },
  aliases: { ON: 'next-day', SC: 'two-day', SG: 'standard', CG: 'standard' },
};

/** X12 element 91 (transportation method/type code), TD5-04, MS3-04. */
export const TRANSPORT_MODE_MAP: CodeMap<TransportMode> = {
  toX12: {
    truckload: 'M',
    ltl: 'LT',
    parcel: 'U',
    air: 'A',
    ocean: 'S',
    rail: 'R',
    intermodal: 'X',
  },
};

export function toX12<C extends string>(map: CodeMap<C>, code: C): string | undefined {
  return map.toX12[code];
}

export function fromX12<C extends string>(map: CodeMap<C>, x12: string): C | undefined {
  for (const [canonical, value] of Object.entries(map.toX12)) {
    if (value === x12) return canonical as C;
  }
  return map.aliases && Object.hasOwn(map.aliases, x12) ? map.aliases[x12] : undefined;
}
