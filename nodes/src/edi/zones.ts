/**
 * The IANA time zone of a US state or Canadian province (N402, MS102), for times sent as `LT`
 * (local time). One zone per state: where a state spans two zones, the one most of its
 * population uses (a partner with a different site sets its time zone in its profile).
 */
const REGION_ZONES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'America/New_York': 'CT DE DC FL GA IN KY ME MD MA MI NH NJ NY NC OH PA RI SC VT VA WV ON QC',
    'America/Chicago': 'AL AR IL IA KS LA MN MS MO NE ND OK SD TN TX WI MB',
    'America/Denver': 'CO ID MT NM UT WY AB',
    'America/Phoenix': 'AZ',
    'America/Los_Angeles': 'CA NV OR WA BC',
    'America/Anchorage': 'AK',
    'Pacific/Honolulu': 'HI',
    'America/Puerto_Rico': 'PR VI',
    'America/Halifax': 'NS NB PE',
    'America/St_Johns': 'NL',
    'America/Regina': 'SK',
  }).flatMap(([zone, regions]) => regions.split(' ').map((r) => [r, zone] as const)),
);

/** The time zone of a US/CA region code, or undefined. */
export function zoneOfRegion(region: string | undefined, country?: string): string | undefined {
  if (region === undefined) return undefined;
  if (country !== undefined && country !== 'US' && country !== 'CA' && country !== 'USA')
    return undefined;
  return REGION_ZONES.get(region);
}
