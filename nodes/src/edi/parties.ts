/** The N1 loop (N1, N2, N3, N4, REF, PER): reading and writing a canonical `Party`. */
import type { Address, Party } from '../canonical/types';
import { mappingProblem, type Out, type ReadContext, val } from './elements';
import { at, type Segment } from './types';

const LOOP_MEMBERS = new Set(['N2', 'N3', 'N4', 'REF', 'PER', 'G61']);

/** ISO 3166 alpha-3 codes partners send in N404, to the alpha-2 the canonical model uses. */
const ALPHA3 = new Map([
  ['USA', 'US'],
  ['CAN', 'CA'],
  ['MEX', 'MX'],
  ['GBR', 'GB'],
  ['DEU', 'DE'],
  ['FRA', 'FR'],
  ['NLD', 'NL'],
  ['BEL', 'BE'],
  ['CHN', 'CN'],
  ['JPN', 'JP'],
  ['KOR', 'KR'],
  ['IND', 'IN'],
  ['BRA', 'BR'],
  ['AUS', 'AU'],
  ['ITA', 'IT'],
  ['ESP', 'ES'],
  ['PRI', 'PR'],
]);

/** US states and territories (N402), so a US address without N404 can still be placed. */
const US_STATES = new Set(
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP'.split(
    ' ',
  ),
);
/** Canadian provinces (N402). */
const CA_PROVINCES = new Set('AB BC MB NB NL NS NT NU ON PE QC SK YT'.split(' '));

/** The country of an N4: N404 (alpha-2 or alpha-3), else the partner's default, else the region's. */
function countryOf(ctx: ReadContext, n4: Segment): string | undefined {
  const sent = val(n4, 4)?.toUpperCase();
  if (sent !== undefined && /^[A-Z]{2}$/.test(sent)) return sent;
  const alpha3 = sent === undefined ? undefined : ALPHA3.get(sent);
  if (alpha3 !== undefined) return alpha3;
  if (sent !== undefined) {
    mappingProblem(ctx, n4, 'N404', `N404 country "${sent}" is not an ISO 3166 code ${at(n4)}.`, {
      severity: 'warning',
      code: 'unknown-code',
    });
  }
  if (ctx.options?.defaultCountry !== undefined) return ctx.options.defaultCountry;
  const region = val(n4, 2) ?? '';
  const guess = US_STATES.has(region) ? 'US' : CA_PROVINCES.has(region) ? 'CA' : undefined;
  mappingProblem(
    ctx,
    n4,
    'N404',
    guess
      ? `N404 (country) is missing and the partner has no default country; ${guess} is taken from the state "${region}" ${at(n4)}.`
      : `N404 (country) is missing and the partner has no default country ${at(n4)}.`,
    { severity: 'warning', code: 'default-applied' },
  );
  return guess;
}

export interface PartyRead {
  /** N101, e.g. ST (ship to), BY (buyer), SF (ship from), WH (warehouse). */
  entity: string;
  party: Party;
  /** Index of the first segment after the loop. */
  next: number;
}

/**
 * Walks a transaction set's body in order: each N1 loop is read into the returned map (keyed by
 * its N101 entity code), every other segment goes to `visit`.
 */
export function readBody(
  ctx: ReadContext,
  body: Segment[],
  visit: (segment: Segment) => void,
): Map<string, Party> {
  const parties = new Map<string, Party>();
  for (let i = 0; i < body.length; ) {
    const s = body[i] as Segment;
    if (s.id === 'N1') {
      const read = readParty(ctx, body, i);
      // The first loop of an entity is the header party; a detail-level N1 loop (inside a line
      // or an HL) with the same code must not overwrite it.
      if (!parties.has(read.entity)) parties.set(read.entity, read.party);
      i = read.next;
      continue;
    }
    visit(s);
    i++;
  }
  return parties;
}

/**
 * Reads the N1 loop that starts at `body[start]`. N1-03/04 carry a GLN (qualifier UL) or the
 * partner's code (92); with both, the code travels in a `REF*ZZ` inside the loop. N4-05/06
 * with qualifier UN carry a UN/LOCODE.
 */
export function readParty(ctx: ReadContext, body: Segment[], start: number): PartyRead {
  const n1 = body[start] as Segment;
  const party: Party = { name: val(n1, 2) ?? '' };
  if (party.name === '') mappingProblem(ctx, n1, 'N102', `N102 (name) is missing ${at(n1)}.`);
  const qualifier = val(n1, 3);
  const code = val(n1, 4);
  if (code !== undefined) {
    if (qualifier === 'UL') party.gln = code;
    else party.id = code;
  }
  const lines: string[] = [];
  let n4: Segment | undefined;
  let i = start + 1;
  for (; i < body.length; i++) {
    const s = body[i] as Segment;
    if (!LOOP_MEMBERS.has(s.id)) break;
    if (s.id === 'N2') {
      // N2 is more name (an attention line); a party keeps one name, so it goes with it.
      const more = [val(s, 1), val(s, 2)].filter((v) => v !== undefined).join(' ');
      if (more !== '') party.name = party.name === '' ? more : `${party.name} ${more}`;
    } else if (s.id === 'N3') {
      for (const n of [1, 2]) {
        const line = val(s, n);
        if (line !== undefined) lines.push(line);
      }
    } else if (s.id === 'N4') {
      n4 = s;
    } else if (s.id === 'REF' && val(s, 1) === 'ZZ' && party.gln !== undefined) {
      const id = val(s, 2);
      if (id !== undefined) party.id = id;
    }
  }
  if (n4 && val(n4, 5) === 'UN') {
    const locode = val(n4, 6);
    if (locode !== undefined) party.unLocode = locode;
  }
  const city = val(n4, 1);
  const country = n4 ? countryOf(ctx, n4) : undefined;
  if (lines.length > 3) {
    mappingProblem(
      ctx,
      n1,
      'N3',
      `${val(n1, 1) ?? 'A party'} "${party.name}" has ${lines.length} street lines; lines after the third are joined to it ${at(n1)}.`,
      { severity: 'warning', code: 'default-applied' },
    );
    lines.splice(2, lines.length - 2, lines.slice(2).join(', '));
  }
  if (lines.length > 0 && city !== undefined && country !== undefined) {
    const address: Address = { lines, city, country };
    const region = val(n4, 2);
    const postalCode = val(n4, 3);
    if (region !== undefined) address.region = region;
    if (postalCode !== undefined) address.postalCode = postalCode;
    party.address = address;
  } else if (lines.length > 0 || city !== undefined || country !== undefined) {
    mappingProblem(
      ctx,
      n4 ?? n1,
      n4 ? 'N4' : 'N3',
      `The address of ${val(n1, 1) ?? 'a party'} "${party.name}" needs street lines (N3), a city (N401) and a country (N404) ${at(n4 ?? n1)}.`,
      { severity: 'warning', code: 'missing-optional' },
    );
  }
  return { entity: val(n1, 1) ?? '', party, next: i };
}

/** Writes a party as an N1 loop with entity code `entity`. */
export function writeParty(entity: string, party: Party): Out[] {
  const out: Out[] = [];
  if (party.gln !== undefined) out.push(['N1', entity, party.name, 'UL', party.gln]);
  else if (party.id !== undefined) out.push(['N1', entity, party.name, '92', party.id]);
  else out.push(['N1', entity, party.name]);
  const a = party.address;
  if (a) {
    out.push(['N3', a.lines[0] ?? '', a.lines[1] ?? '']);
    if (a.lines[2] !== undefined) out.push(['N3', a.lines[2]]);
  }
  if (a || party.unLocode !== undefined) {
    out.push([
      'N4',
      a?.city ?? '',
      a?.region ?? '',
      a?.postalCode ?? '',
      a?.country ?? '',
      ...(party.unLocode !== undefined ? ['UN', party.unLocode] : []),
    ]);
  }
  if (party.gln !== undefined && party.id !== undefined) out.push(['REF', 'ZZ', party.id]);
  return out;
}
