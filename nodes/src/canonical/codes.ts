/**
 * Public code sets used by the canonical model. Lists are `as const` tuples so that TypeScript
 * types and JSON Schema enums come from one source.
 */

/**
 * UN/ECE Recommendation 20 unit codes Crossdock uses (Rec 20 includes the Rec 21 package codes
 * with an `X` prefix, e.g. `XCT` carton). `EA` is Rec 20's "each", common in North American EDI.
 */
export const UNIT_CODES = [
  'EA', // each
  'H87', // piece
  'C62', // one (unit)
  'PR', // pair
  'DZN', // dozen
  'SET', // set
  'KGM', // kilogram
  'GRM', // gram
  'TNE', // tonne
  'LBR', // pound
  'ONZ', // ounce
  'MTR', // metre
  'CMT', // centimetre
  'MMT', // millimetre
  'INH', // inch
  'FOT', // foot
  'MTQ', // cubic metre
  'CMQ', // cubic centimetre
  'FTQ', // cubic foot
  'LTR', // litre
  'XCT', // carton
  'XBX', // box
  'XPK', // package
  'XPX', // pallet
  'XCS', // case
] as const;
export type UnitCode = (typeof UNIT_CODES)[number];

export const WEIGHT_UNITS = ['KGM', 'GRM', 'TNE', 'LBR', 'ONZ'] as const;
export type WeightUnit = (typeof WEIGHT_UNITS)[number];
export const VOLUME_UNITS = ['MTQ', 'CMQ', 'FTQ', 'LTR'] as const;
export type VolumeUnit = (typeof VOLUME_UNITS)[number];
export const LENGTH_UNITS = ['MTR', 'CMT', 'MMT', 'INH', 'FOT'] as const;
export type LengthUnit = (typeof LENGTH_UNITS)[number];

/** ISO 4217 active currency codes (funds and precious metals left out). */
export const CURRENCY_CODES = [
  ...(
    'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP ' +
    'BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP ' +
    'GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR ' +
    'KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK ' +
    'MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR ' +
    'SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS ' +
    'UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG'
  ).split(' '),
];

/** ISO 3166-1 alpha-2 shape; the list itself changes too often to pin here. */
export const COUNTRY_PATTERN = '^[A-Z]{2}$';
/** UN/LOCODE: country (2 letters) + location (3 letters or digits 2-9), e.g. `USCHI`, `NLRTM`. */
export const UN_LOCODE_PATTERN = '^[A-Z]{2}[A-Z2-9]{3}$';
/** Standard Carrier Alpha Code: 2 to 4 letters. */
export const SCAC_PATTERN = '^[A-Z]{2,4}$';

export const SERVICE_LEVELS = [
  'same-day',
  'next-day',
  'two-day',
  'three-day',
  'standard',
  'economy',
] as const;
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];

export const TRANSPORT_MODES = [
  'truckload',
  'ltl',
  'parcel',
  'air',
  'ocean',
  'rail',
  'intermodal',
] as const;
export type TransportMode = (typeof TRANSPORT_MODES)[number];
