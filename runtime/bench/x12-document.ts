/**
 * A large, realistic X12 interchange for the parse bench: one ISA with a PO group of 850s and
 * an SH group of 856s interleaved as real mailboxes deliver them (purchase orders with several
 * lines, product ids, ship-to parties; ship notices S-O-P-I with labelled cartons and valid
 * SSCCs), one segment per line after `~` as many translators write it. Deterministic: the
 * same size gives the same file.
 */
import { gs1CheckDigit } from '@crossdock/nodes';

/** Small seeded generator (mulberry32), so the file is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const STORES = [
  ['Harbor Outfitters DC 4', '4100 Commerce Pkwy', 'Fort Worth', 'TX', '76177'],
  ['Northwind Retail East', '88 Logistics Blvd', 'Allentown', 'PA', '18106'],
  ['Pinecrest Home Goods', '2200 Distribution Dr', 'Reno', 'NV', '89506'],
  ['Bluefin Sporting DC', '15 Harbor Rd', 'Savannah', 'GA', '31408'],
] as const;
const UNITS = ['EA', 'CA', 'PK', 'BX', 'DZ'] as const;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function upc(n: number): string {
  const data = `03600${pad(n % 1_000_000, 6)}`;
  return `${data}${gs1CheckDigit(data)}`;
}

function gln(n: number): string {
  const data = `0614141${pad(n % 100_000, 5)}`;
  return `${data}${gs1CheckDigit(data)}`;
}

function sscc(n: number): string {
  const data = `00614141${pad(n % 1_000_000_000, 9)}`;
  return `${data}${gs1CheckDigit(data)}`;
}

function purchaseOrder(pick: () => number, n: number): string[] {
  const store = STORES[n % STORES.length] ?? STORES[0];
  const lines = 3 + Math.floor(pick() * 6);
  const segments = [
    `BEG*00*SA*PO-${pad(n, 8)}**20261201`,
    'CUR*BY*USD',
    `REF*DP*${pad(100 + (n % 80), 3)}`,
    `DTM*002*202612${pad(10 + (n % 18), 2)}`,
    `N1*BY*${store[0].split(' ')[0]} Buying*92*B${pad(n % 500, 4)}`,
    `N1*ST*${store[0]}*UL*${gln(n)}`,
    `N3*${store[1]}`,
    `N4*${store[2]}*${store[3]}*${store[4]}*US`,
  ];
  for (let line = 1; line <= lines; line++) {
    const item = n * 10 + line;
    const qty = 1 + Math.floor(pick() * 96);
    const unit = UNITS[Math.floor(pick() * UNITS.length)] ?? 'EA';
    const price = (2 + pick() * 120).toFixed(2);
    segments.push(
      `PO1*${line}*${qty}*${unit}*${price}**UP*${upc(item)}*VN*V-${pad(item % 90_000, 5)}*SK*SKU-${pad(item % 40_000, 5)}`,
      `PID*F****Item ${item % 40_000} assorted colour size ${1 + (line % 5)}`,
    );
  }
  segments.push(`CTT*${lines}`);
  return segments;
}

function shipNotice(pick: () => number, n: number): string[] {
  const store = STORES[n % STORES.length] ?? STORES[0];
  const cartons = 1 + Math.floor(pick() * 4);
  const segments = [
    `BSN*00*ASN-${pad(n, 8)}*20261203*1415*0001`,
    'HL*1**S',
    `TD1*CTN*${cartons}****G*${20 + Math.floor(pick() * 400)}*LB`,
    'TD5*B*2*FRTX*M*Fictional Freight Lines',
    `REF*BM*BOL-${pad(n, 7)}`,
    'DTM*011*20261203',
    'N1*SF*Acme Supply Co*92*ACME',
    'N3*12 Foundry Rd',
    'N4*Dayton*OH*45402*US',
    `N1*ST*${store[0]}`,
    `N3*${store[1]}`,
    `N4*${store[2]}*${store[3]}*${store[4]}*US`,
    'HL*2*1*O',
    `PRF*PO-${pad(n - 1, 8)}`,
  ];
  let hl = 2;
  for (let c = 0; c < cartons; c++) {
    const pack = ++hl;
    segments.push(`HL*${pack}*2*P`, `MAN*GM*${sscc(n * 8 + c)}`);
    const items = 1 + Math.floor(pick() * 3);
    for (let i = 1; i <= items; i++) {
      const item = n * 10 + c * 3 + i;
      segments.push(
        `HL*${++hl}*${pack}*I`,
        `LIN*${i}*UP*${upc(item)}*SK*SKU-${pad(item % 40_000, 5)}`,
        `SN1**${1 + Math.floor(pick() * 48)}*EA`,
      );
    }
  }
  segments.push(`CTT*${hl}`);
  return segments;
}

/** An interchange of about `bytes` characters; returns it with its set counts. */
export function benchInterchange(bytes: number): { text: string; sets: number; orders: number } {
  const pick = random(20261204);
  const orders: string[] = [];
  const notices: string[] = [];
  let size = 0;
  let n = 0;
  const envelope = (segments: string[], id: string, control: string) =>
    [`ST*${id}*${control}`, ...segments, `SE*${segments.length + 2}*${control}`].join('~\n');
  while (size < bytes - 400) {
    n++;
    const control = pad(n, 6);
    const set =
      n % 2 === 1
        ? envelope(purchaseOrder(pick, n), '850', control)
        : envelope(shipNotice(pick, n), '856', control);
    (n % 2 === 1 ? orders : notices).push(set);
    size += set.length + 2;
  }
  const isa =
    'ISA*00*          *00*          *ZZ*PARTNERX       *ZZ*CROSSDOCK      *261201*0830*U*00401*000007001*0*P*>';
  const text = [
    isa,
    'GS*PO*PARTNERX*CROSSDOCK*20261201*0830*1*X*004010',
    ...orders,
    `GE*${orders.length}*1`,
    'GS*SH*PARTNERX*CROSSDOCK*20261201*0830*2*X*004010',
    ...notices,
    `GE*${notices.length}*2`,
    'IEA*2*000007001',
  ].join('~\n');
  return { text: `${text}~\n`, sets: n, orders: orders.length };
}
