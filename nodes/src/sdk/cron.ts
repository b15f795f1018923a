import { CronExpressionParser } from 'cron-parser';
import { IANAZone } from 'luxon';

/** Five fields (minute hour day-of-month month day-of-week) or six with seconds first. */
const FIELD_COUNT = /^\S+(?:\s+\S+){4,5}$/;

/** True for an IANA time zone name such as "Europe/Berlin" (or "UTC"). */
export function isTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

/**
 * True for a cron expression that cron-parser (the parser BullMQ's job schedulers use) accepts,
 * with five or six fields.
 */
export function isCronExpression(expression: string): boolean {
  if (!FIELD_COUNT.test(expression.trim())) return false;
  try {
    CronExpressionParser.parse(expression);
    return true;
  } catch {
    return false;
  }
}

/** The next `count` times a cron expression fires after `from`, in a time zone (ISO 8601, UTC). */
export function nextFireTimes(
  expression: string,
  timeZone: string,
  from: Date,
  count: number,
): string[] {
  const cron = CronExpressionParser.parse(expression, { tz: timeZone, currentDate: from });
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(cron.next().toDate().toISOString());
  return out;
}
