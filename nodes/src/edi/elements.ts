/**
 * Reading and writing X12 element values: dates (CCYYMMDD), times (HHMM[SS]) with time codes,
 * real numbers, N2 amounts (two implied decimals) and coded values through the code maps.
 * Readers never throw: they record a problem naming the element and segment, and return
 * undefined.
 */
import { PermanentError } from '../sdk/errors';
import { type CodeMap, fromX12, toX12 } from './code-maps';
import { at, type EdiProblem, type Segment } from './types';

export interface ReadContext {
  problems: EdiProblem[];
  setId: string;
  groupControlNumber: string;
  setControlNumber: string;
}

/** A segment to write: the id first, then its elements (trailing empty ones are dropped). */
export type Out = string[];

export const ref = (s: Segment, n: number) => `${s.id}${String(n).padStart(2, '0')}`;

export function mappingProblem(
  ctx: ReadContext,
  s: Segment | undefined,
  element: string | undefined,
  message: string,
  options: { code?: EdiProblem['code']; severity?: EdiProblem['severity'] } = {},
): void {
  ctx.problems.push({
    code: options.code ?? 'bad-element',
    level: 'mapping',
    severity: options.severity ?? 'error',
    message,
    ...(s ? { segment: { id: s.id, position: s.position } } : {}),
    ...(element ? { element } : {}),
    groupControlNumber: ctx.groupControlNumber,
    setControlNumber: ctx.setControlNumber,
  });
}

/** The element's value, or undefined when it is absent or blank. */
export function val(s: Segment | undefined, n: number): string | undefined {
  const v = s?.elements[n]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

export function need(ctx: ReadContext, s: Segment, n: number, what: string): string {
  const v = val(s, n);
  if (v === undefined)
    mappingProblem(ctx, s, ref(s, n), `${ref(s, n)} (${what}) is missing ${at(s)}.`);
  return v ?? '';
}

/** The first segment with this id (and, if given, this value in element 1). */
export function find(body: Segment[], id: string, qualifier?: string): Segment | undefined {
  return body.find((s) => s.id === id && (qualifier === undefined || val(s, 1) === qualifier));
}

export function required(
  ctx: ReadContext,
  body: Segment[],
  id: string,
  what: string,
): Segment | undefined {
  const s = find(body, id);
  if (!s) {
    mappingProblem(
      ctx,
      undefined,
      id,
      `Transaction set ${ctx.setId} ${ctx.setControlNumber} has no ${id} segment (${what}).`,
      {
        code: 'missing-segment',
      },
    );
  }
  return s;
}

function isRealDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** CCYYMMDD (or YYMMDD, taken as 20YY) to an ISO date. */
export function readDate(
  ctx: ReadContext,
  s: Segment | undefined,
  n: number,
  what: string,
): string | undefined {
  const v = val(s, n);
  if (v === undefined || !s) return undefined;
  const full = /^\d{6}$/.test(v) ? `20${v}` : v;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(full);
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    mappingProblem(
      ctx,
      s,
      ref(s, n),
      `${ref(s, n)} (${what}) "${v}" is not a date (CCYYMMDD) ${at(s)}.`,
    );
    return undefined;
  }
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** UTC offsets of the X12 time codes (element 623) that name one. */
const TIME_CODE_OFFSETS: Record<string, string> = {
  UT: 'Z',
  GM: 'Z',
  ES: '-05:00',
  ED: '-04:00',
  CS: '-06:00',
  CD: '-05:00',
  MS: '-07:00',
  MD: '-06:00',
  PS: '-08:00',
  PD: '-07:00',
};

/**
 * A date, a time (HHMM or HHMMSS) and a time code to an ISO date-time in UTC. A missing or
 * local (`LT`) time code cannot be placed on the clock; it is taken as UTC, with a warning.
 */
export function readDateTime(
  ctx: ReadContext,
  s: Segment | undefined,
  dateN: number,
  timeN: number,
  codeN: number,
  what: string,
): string | undefined {
  const date = readDate(ctx, s, dateN, what);
  if (!date || !s) return undefined;
  const t = val(s, timeN) ?? '0000';
  const m = /^(\d{2})(\d{2})(\d{2})?\d{0,2}$/.exec(t);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) {
    mappingProblem(
      ctx,
      s,
      ref(s, timeN),
      `${ref(s, timeN)} (${what} time) "${t}" is not a time (HHMM) ${at(s)}.`,
    );
    return undefined;
  }
  const code = val(s, codeN);
  let offset = code ? TIME_CODE_OFFSETS[code] : undefined;
  if (offset === undefined) {
    mappingProblem(
      ctx,
      s,
      ref(s, codeN),
      `${ref(s, codeN)} time code ${code ? `"${code}"` : 'is missing and'} does not say which time zone; the time is taken as UTC ${at(s)}.`,
      { severity: 'warning' },
    );
    offset = 'Z';
  }
  const local = new Date(`${date}T${m[1]}:${m[2]}:${m[3] ?? '00'}${offset}`);
  return local.toISOString().replace('.000Z', 'Z');
}

/** A real number (X12 type R). */
export function readNumber(
  ctx: ReadContext,
  s: Segment | undefined,
  n: number,
  what: string,
): number | undefined {
  const v = val(s, n);
  if (v === undefined || !s) return undefined;
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(v)) {
    mappingProblem(ctx, s, ref(s, n), `${ref(s, n)} (${what}) "${v}" is not a number ${at(s)}.`);
    return undefined;
  }
  return Number(v);
}

/** An amount with two implied decimals (X12 type N2): `48620` is 486.20. */
export function readN2(
  ctx: ReadContext,
  s: Segment | undefined,
  n: number,
  what: string,
): number | undefined {
  const v = val(s, n);
  if (v === undefined || !s) return undefined;
  if (!/^-?\d+$/.test(v)) {
    mappingProblem(
      ctx,
      s,
      ref(s, n),
      `${ref(s, n)} (${what}) "${v}" is not an N2 amount (digits, two implied decimals) ${at(s)}.`,
    );
    return undefined;
  }
  return Number(v) / 100;
}

export function readCode<C extends string>(
  ctx: ReadContext,
  s: Segment | undefined,
  n: number,
  map: CodeMap<C>,
  what: string,
): C | undefined {
  const v = val(s, n);
  if (v === undefined || !s) return undefined;
  const code = fromX12(map, v);
  if (code === undefined) {
    mappingProblem(
      ctx,
      s,
      ref(s, n),
      `${ref(s, n)} (${what}) "${v}" is not a code Crossdock maps ${at(s)}.`,
    );
  }
  return code;
}

/** ISO date to CCYYMMDD. */
export const d8 = (iso: string) => iso.slice(0, 10).replaceAll('-', '');

/** ISO date-time to its UTC date (CCYYMMDD) and time (HHMM, or HHMMSS when seconds matter). */
export function utcDateTime(iso: string): { date: string; time: string } {
  const d = new Date(iso);
  const s = d.toISOString();
  const seconds = s.slice(17, 19);
  return {
    date: d8(s),
    time: s.slice(11, 13) + s.slice(14, 16) + (seconds === '00' ? '' : seconds),
  };
}

/** A real number as X12 writes it: no exponent, no trailing zeros. */
export function real(n: number): string {
  return String(Number(n.toFixed(6)));
}

/** An amount as N2 (two implied decimals). */
export const n2 = (amount: number) => String(Math.round(amount * 100));

/** The X12 code for a canonical code; a code without one cannot be sent, so it is refused. */
export function must<C extends string>(map: CodeMap<C>, code: C, what: string): string {
  const x12 = toX12(map, code);
  if (x12 === undefined) {
    throw new PermanentError(
      'invalid-input',
      `${what} "${code}" has no X12 code Crossdock can send.`,
    );
  }
  return x12;
}

export function opt<C extends string>(map: CodeMap<C>, code: C | undefined, what: string): string {
  return code === undefined ? '' : must(map, code, what);
}
