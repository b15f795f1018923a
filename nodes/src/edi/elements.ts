/**
 * Reading and writing X12 element values: dates (CCYYMMDD), times (HHMM[SS]) with time codes,
 * real numbers, N2 amounts (two implied decimals) and coded values through the code maps.
 * Readers never throw: they record a problem naming the element and segment, and return
 * undefined.
 */
import { PermanentError } from '../sdk/errors';
import { type CodeMap, fromX12, toX12 } from './code-maps';
import { at, type EdiProblem, type Segment } from './types';

/** How a partner's documents are read (from its trading-partner profile). */
export interface ReadOptions {
  /** Turn every mapping warning into an error (the set is then rejected). */
  strict?: boolean;
  /** ISO 3166 country for an N4 without N404. */
  defaultCountry?: string;
  /** IANA time zone for `LT` (local time) and for times without a time code. */
  timeZone?: string;
  /** Product id qualifiers, most preferred first, that give a line its `sku`. */
  skuQualifiers?: readonly string[];
}

export interface ReadContext {
  problems: EdiProblem[];
  setId: string;
  groupControlNumber: string;
  setControlNumber: string;
  options?: ReadOptions;
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
    code: options.code ?? (options.severity === 'warning' ? 'missing-optional' : 'bad-element'),
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

/**
 * The century window for 6-digit (YYMMDD) dates: 00-69 are 2000-2069, 70-99 are 1970-1999.
 * Fixed rather than sliding, so the same document always reads the same.
 */
export const CENTURY_PIVOT = 70;

export function expandYear(yy: string): string {
  return `${Number(yy) < CENTURY_PIVOT ? '20' : '19'}${yy}`;
}

/** CCYYMMDD (or YYMMDD, read through the century window, with a warning) to an ISO date. */
export function readDate(
  ctx: ReadContext,
  s: Segment | undefined,
  n: number,
  what: string,
): string | undefined {
  const v = val(s, n);
  if (v === undefined || !s) return undefined;
  let full = v;
  if (/^\d{6}$/.test(v)) {
    full = expandYear(v.slice(0, 2)) + v.slice(2);
    mappingProblem(
      ctx,
      s,
      ref(s, n),
      `${ref(s, n)} (${what}) "${v}" has a 2-digit year; read as ${full.slice(0, 4)} ${at(s)}.`,
      { severity: 'warning', code: 'short-date' },
    );
  }
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

/**
 * X12 time codes (element 623). The standard (S) and daylight (D) forms name a fixed UTC
 * offset; the plain forms (ET, CT, MT, PT, AT, HT, TT, NT) mean "the clock on the wall there",
 * so their offset depends on the date and comes from the IANA zone. `AKT` is not in the code
 * list but partners send it for Alaska. A Map, so that no code (`constructor`...) reaches
 * the prototype chain.
 */
const TIME_CODES: ReadonlyMap<string, { offset: string } | { zone: string }> = new Map<
  string,
  { offset: string } | { zone: string }
>([
  ['UT', { offset: 'Z' }],
  ['GM', { offset: 'Z' }],
  ['Z', { offset: 'Z' }],
  ['ES', { offset: '-05:00' }],
  ['ED', { offset: '-04:00' }],
  ['CS', { offset: '-06:00' }],
  ['CD', { offset: '-05:00' }],
  ['MS', { offset: '-07:00' }],
  ['MD', { offset: '-06:00' }],
  ['PS', { offset: '-08:00' }],
  ['PD', { offset: '-07:00' }],
  ['AS', { offset: '-09:00' }],
  ['AD', { offset: '-08:00' }],
  ['HS', { offset: '-10:00' }],
  ['HD', { offset: '-09:00' }],
  ['TS', { offset: '-04:00' }],
  ['TD', { offset: '-03:00' }],
  ['NS', { offset: '-03:30' }],
  ['ND', { offset: '-02:30' }],
  ['ET', { zone: 'America/New_York' }],
  ['CT', { zone: 'America/Chicago' }],
  ['MT', { zone: 'America/Denver' }],
  ['PT', { zone: 'America/Los_Angeles' }],
  ['AT', { zone: 'America/Anchorage' }],
  ['AKT', { zone: 'America/Anchorage' }],
  ['HT', { zone: 'Pacific/Honolulu' }],
  ['TT', { zone: 'America/Halifax' }],
  ['NT', { zone: 'America/St_Johns' }],
]);

/** The X12 time codes Crossdock reads, for the docs and tests. */
export const X12_TIME_CODES: readonly string[] = [...TIME_CODES.keys()];

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `zone` from UTC at instant `ms`, in ms; undefined for a zone Intl does not know. */
function zoneOffset(zone: string, ms: number): number | undefined {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      return undefined;
    }
    formatters.set(zone, f);
  }
  const parts = new Map(f.formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(
    parts.get('year') ?? 0,
    (parts.get('month') ?? 1) - 1,
    parts.get('day') ?? 1,
    parts.get('hour') ?? 0,
    parts.get('minute') ?? 0,
    parts.get('second') ?? 0,
  );
  return wall - Math.floor(ms / 1000) * 1000;
}

/** A wall-clock time in an IANA zone to the UTC instant (ms), or undefined for an unknown zone. */
export function wallTimeToUtc(wallMs: number, zone: string): number | undefined {
  const first = zoneOffset(zone, wallMs);
  if (first === undefined) return undefined;
  const second = zoneOffset(zone, wallMs - first) ?? first;
  return wallMs - second;
}

/**
 * A date, a time (HHMM or HHMMSS) and a time code to an ISO date-time in UTC. `LT` (local
 * time) and a missing code are placed in `localZone` (the stop's or location's zone, when the
 * set knows one), else in the partner's time zone; with neither, the time is taken as UTC with
 * a warning. An unknown code is a warning too.
 */
export function readDateTime(
  ctx: ReadContext,
  s: Segment | undefined,
  dateN: number,
  timeN: number,
  codeN: number,
  what: string,
  localZone?: string,
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
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, Number(m[1]), Number(m[2]), Number(m[3] ?? 0));
  const code = val(s, codeN);
  const known = code === undefined ? undefined : TIME_CODES.get(code);
  let utc: number | undefined;
  if (known && 'offset' in known) {
    utc = Date.parse(`${date}T${m[1]}:${m[2]}:${m[3] ?? '00'}${known.offset}`);
  } else if (known) {
    utc = wallTimeToUtc(wall, known.zone);
  } else {
    const zone =
      code === undefined || code === 'LT' ? (localZone ?? ctx.options?.timeZone) : undefined;
    if (zone !== undefined) utc = wallTimeToUtc(wall, zone);
    if (utc === undefined) {
      const why =
        code === undefined
          ? 'is missing'
          : code === 'LT'
            ? 'is LT (local time) and no time zone is known for the place'
            : `"${code}" is not an X12 time code`;
      mappingProblem(
        ctx,
        s,
        ref(s, codeN),
        `${ref(s, codeN)} time code ${why}; the time is taken as UTC ${at(s)}.`,
        {
          severity: 'warning',
          code: code === undefined || code === 'LT' ? 'local-time' : 'unknown-code',
        },
      );
      utc = wall;
    }
  }
  if (utc === undefined || Number.isNaN(utc)) utc = wall;
  return new Date(utc).toISOString().replace('.000Z', 'Z');
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
): C | undefined;
/** With a fallback: an absent or unknown code reads as it, and the warning says so. */
export function readCode<C extends string>(
  ctx: ReadContext,
  s: Segment | undefined,
  n: number,
  map: CodeMap<C>,
  what: string,
  fallback: C,
): C;
export function readCode<C extends string>(
  ctx: ReadContext,
  s: Segment | undefined,
  n: number,
  map: CodeMap<C>,
  what: string,
  fallback?: C,
): C | undefined {
  const v = val(s, n);
  if (v === undefined || !s) return fallback;
  const code = fromX12(map, v);
  if (code === undefined) {
    mappingProblem(
      ctx,
      s,
      ref(s, n),
      `${ref(s, n)} (${what}) "${v}" is not a code Crossdock maps; ${fallback === undefined ? 'it is left out' : `it is read as ${fallback}`} ${at(s)}.`,
      { severity: 'warning', code: 'unknown-code' },
    );
  }
  return code ?? fallback;
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
