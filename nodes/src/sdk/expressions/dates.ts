import { DateTime, type DurationLikeObject, IANAZone } from 'luxon';

/** Units `date_add` accepts. */
export const DATE_UNITS: readonly string[] = [
  'years',
  'months',
  'weeks',
  'days',
  'hours',
  'minutes',
  'seconds',
  'milliseconds',
];

/** An IANA time zone name, checked; "UTC" when absent. */
export function zoneOf(zone: unknown): string {
  if (zone === undefined || zone === null || zone === '') return 'UTC';
  const name = String(zone);
  if (!IANAZone.isValidZone(name)) {
    throw new Error(`Unknown time zone "${name}": use an IANA name such as "Europe/Berlin".`);
  }
  return name;
}

/** Reads an ISO 8601 string or epoch milliseconds; null when it is neither. */
export function toDateTime(value: unknown, zone: string): DateTime | null {
  let dt: DateTime;
  if (typeof value === 'number' && Number.isFinite(value)) {
    dt = DateTime.fromMillis(value, { zone });
  } else if (typeof value === 'string' && value !== '') {
    dt = DateTime.fromISO(value, { zone, setZone: false });
  } else {
    return null;
  }
  return dt.isValid ? dt : null;
}

/** The canonical form a date leaves an operation in: ISO 8601 in UTC with milliseconds. */
export function toIso(dt: DateTime): string {
  return dt.toUTC().toISO() ?? '';
}

/**
 * Parses a date string with a Luxon format (e.g. "yyyyMMdd HHmm" for X12 DTM) in a time zone;
 * without a format, ISO 8601. Local times are read in `zone`. Null when the text does not fit.
 */
export function parseDate(text: unknown, format: unknown, zone: unknown): string | null {
  const z = zoneOf(zone);
  if (typeof text !== 'string' || text === '') return null;
  const dt =
    format === undefined || format === null || format === ''
      ? DateTime.fromISO(text, { zone: z })
      : DateTime.fromFormat(text, String(format), { zone: z });
  return dt.isValid ? toIso(dt) : null;
}

/** Formats a date (ISO string or epoch ms) with a Luxon format in a time zone. */
export function formatDate(value: unknown, format: unknown, zone: unknown): string | null {
  const z = zoneOf(zone);
  const dt = toDateTime(value, z);
  if (!dt) return null;
  const local = dt.setZone(z);
  return format === undefined || format === null || format === ''
    ? (local.toISO() ?? null)
    : local.toFormat(String(format));
}

/**
 * Adds an amount of a calendar unit in a time zone (so "1 day" across a DST change keeps the
 * wall-clock time); returns ISO 8601 in UTC.
 */
export function addToDate(
  value: unknown,
  amount: unknown,
  unit: unknown,
  zone: unknown,
): string | null {
  const z = zoneOf(zone);
  const name = String(unit);
  if (!DATE_UNITS.includes(name)) {
    throw new Error(`Unknown date unit "${name}": use one of ${DATE_UNITS.join(', ')}.`);
  }
  const n = Number(amount);
  if (!Number.isFinite(n)) return null;
  const dt = toDateTime(value, z);
  if (!dt) return null;
  const duration: DurationLikeObject = { [name]: n };
  return toIso(dt.setZone(z).plus(duration));
}
