/** The current reconciliation file format. */
export const RECONCILIATION_SCHEMA_VERSION = 1;

/** Transactional streams compare objects in flight; master data compares reference data. */
export const RECONCILIATION_KINDS = ['transactional', 'master-data'] as const;
export type ReconciliationKind = (typeof RECONCILIATION_KINDS)[number];

/** The reference-data domains a master-data stream covers, each with its system of record. */
export const MASTER_DATA_DOMAINS = ['items', 'locations', 'carriers', 'customers'] as const;
export type MasterDataDomain = (typeof MASTER_DATA_DOMAINS)[number];

/**
 * Who owns each master-data domain: ERP owns items and customers, TMS carriers, and (for
 * locations) the ERP's plant master. A stream that names another system of record is refused.
 */
export const SYSTEM_OF_RECORD: Readonly<Record<MasterDataDomain, string>> = {
  items: 'erp',
  locations: 'erp',
  carriers: 'tms',
  customers: 'erp',
};

export type ReconciliationSide = 'left' | 'right';

/** Paging of a list endpoint: page by offset, or stop when a page comes back short. */
export interface ReadPaging {
  /** Query parameter carrying the offset (`$skip`, `offset`). */
  offsetParam: string;
  /** Query parameter carrying the page size (`$top`, `limit`). */
  limitParam: string;
  pageSize: number;
  /** Safety stop: a read never fetches more pages than this. */
  maxPages?: number;
}

/**
 * How one side is read: an HTTP GET on a named connection through `connector.http` (`connection`
 * and `path`, with paging), or one node of the library that answers a list (`node`, e.g. a
 * connector operation), run once with the same context as a flow step.
 */
export interface ReconciliationRead {
  /** The system (ERP, WMS, TMS...) read; shown on every difference. */
  system: string;
  /** The environment's connection name (HTTP reads; a node names its own). */
  connection?: string;
  path?: string;
  node?: { type: string; config: Record<string, unknown> };
  /** Fixed query parameters. */
  query?: Record<string, string>;
  /** Dotted path of the list in the response body; the body itself when absent. */
  items?: string;
  paging?: ReadPaging;
  /** Dotted paths whose values, joined with "/", make the business key. */
  key: string[];
}

export interface NumberTolerance {
  /** Values within this absolute distance are equal. */
  absolute?: number;
  /** Values within this fraction of the larger magnitude are equal. */
  relative?: number;
}

export interface StringTolerance {
  ignoreCase?: boolean;
  /** Trim and collapse runs of whitespace before comparing. */
  ignoreWhitespace?: boolean;
}

/** How one side's value becomes comparable: read, translated, scaled. */
export interface FieldSide {
  path: string;
  /** Native code to the shared vocabulary (`{"REL": "released"}`); unknown codes stay as read. */
  values?: Record<string, string>;
  /** Multiplies a number into the shared unit (pounds to kilograms: 0.45359237). */
  scale?: number;
}

export interface ReconciliationField {
  /** The field's name in reports and decisions. */
  name: string;
  type: 'string' | 'number';
  left: FieldSide;
  right: FieldSide;
  tolerance?: NumberTolerance & StringTolerance;
}

/** Where a business key's control tower object lives (`/api/processes/:process/objects/:key`). */
export interface TowerLink {
  process: string;
}

/** A master-data stream's correction: the flow that pushes the system of record's value. */
export interface Correction {
  flow: string;
}

/** A reconciliation stream (`flows/reconciliations/<id>.json`). */
export interface ReconciliationDocument {
  $schema?: string;
  schemaVersion: typeof RECONCILIATION_SCHEMA_VERSION;
  id: string;
  name: string;
  description?: string;
  kind: ReconciliationKind;
  /** Master data only: the domain, which fixes the system of record. */
  domain?: MasterDataDomain;
  /** The team that works the differences. */
  owner: string;
  schedule: { cron: string; timeZone?: string };
  /** Master data only: the side holding the system of record. */
  systemOfRecord?: ReconciliationSide;
  left: ReconciliationRead;
  right: ReconciliationRead;
  fields: ReconciliationField[];
  tower?: TowerLink;
  correction?: Correction;
}
