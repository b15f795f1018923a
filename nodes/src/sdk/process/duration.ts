import { Duration } from 'luxon';

/**
 * Milliseconds of an ISO 8601 duration (`PT4H`, `P2D`, `P1DT12H`), or `undefined` when it is not
 * one. Months and years have no fixed length, so they are refused: an SLA must mean one instant.
 */
export function durationMs(text: string): number | undefined {
  const d = Duration.fromISO(text);
  if (!d.isValid) return undefined;
  if (d.years !== 0 || d.quarters !== 0 || d.months !== 0) return undefined;
  const ms = d.as('milliseconds');
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}
