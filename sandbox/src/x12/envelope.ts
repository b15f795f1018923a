/**
 * A small, independent X12 004010 writer: the sandbox plays a trading partner, so it must not
 * share code with Crossdock's own EDI nodes (a shared bug would cancel itself out in tests).
 */

/** One segment: its id followed by its elements (`['B10', 'PRO1', 'SHP-1', 'ABCD']`). */
export type Segment = readonly string[];

export interface TransactionSet {
  /** `214`, `210`, `856`, ... */
  code: string;
  /** The segments between ST and SE. */
  body: readonly Segment[];
}

export interface InterchangeOptions {
  senderId: string;
  receiverId: string;
  interchangeControl: number;
  groupControl: number;
  /** GS01: QM (214), IM (210), SH (856). */
  functionalId: string;
  at: Date;
  usage?: 'P' | 'T';
  transactions: readonly TransactionSet[];
}

export const separators = { element: '*', component: '>', segment: '~' } as const;

/** Removes the characters that would break the envelope out of a value. */
export function clean(value: string): string {
  return value.replace(/[*~>\r\n]/g, ' ').trim();
}

function fixed(value: string, width: number): string {
  return clean(value).slice(0, width).padEnd(width, ' ');
}

function digits(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** CCYYMMDD and HHMM in UTC. */
export function x12Date(at: Date): { date: string; time: string } {
  const iso = at.toISOString();
  return { date: iso.slice(0, 10).replaceAll('-', ''), time: iso.slice(11, 16).replace(':', '') };
}

function line(segment: Segment): string {
  const elements = [...segment];
  while (elements.length > 1 && elements[elements.length - 1] === '') elements.pop();
  return `${elements.map((e, i) => (i === 0 ? e : clean(e))).join(separators.element)}${separators.segment}`;
}

/** Builds ISA/GS/ST..SE/GE/IEA with correct counts and matching control numbers. */
export function buildInterchange(options: InterchangeOptions): string {
  const { date, time } = x12Date(options.at);
  const isa = [
    'ISA',
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    'ZZ',
    fixed(options.senderId, 15),
    'ZZ',
    fixed(options.receiverId, 15),
    date.slice(2),
    time,
    'U',
    '00401',
    digits(options.interchangeControl, 9),
    '0',
    options.usage ?? 'T',
    separators.component,
  ];
  const out: string[] = [`${isa.join(separators.element)}${separators.segment}`];
  out.push(
    line([
      'GS',
      options.functionalId,
      options.senderId,
      options.receiverId,
      date,
      time,
      String(options.groupControl),
      'X',
      '004010',
    ]),
  );
  options.transactions.forEach((tx, index) => {
    const control = digits(index + 1, 4);
    out.push(line(['ST', tx.code, control]));
    for (const segment of tx.body) out.push(line(segment));
    out.push(line(['SE', String(tx.body.length + 2), control]));
  });
  out.push(line(['GE', String(options.transactions.length), String(options.groupControl)]));
  out.push(line(['IEA', '1', digits(options.interchangeControl, 9)]));
  return `${out.join('\n')}\n`;
}
