/**
 * Node-RED 4 as the reference engine of the order-flow bench: installed from the npm registry
 * into a scratch folder (never a project dependency), run headless (no editor, no admin API)
 * with a flows file that does the order flow's work in function nodes and posts with its own
 * `http request` nodes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const FOLDER = path.join(os.tmpdir(), 'crossdock-bench-node-red');

/** Installs node-red@4 once into the scratch folder; returns the path of its `red.js`. */
export function installNodeRed(): { redJs: string; version: string } {
  const pkg = path.join(FOLDER, 'node_modules', 'node-red', 'package.json');
  const installed = existsSync(pkg)
    ? (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version
    : undefined;
  if (!installed?.startsWith('4.')) {
    mkdirSync(FOLDER, { recursive: true });
    writeFileSync(path.join(FOLDER, 'package.json'), '{"private":true}\n');
    console.log(`installing node-red@4 into ${FOLDER} …`);
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', FOLDER, 'node-red@4'],
      { stdio: 'inherit' },
    );
  }
  const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  return { redJs: path.join(FOLDER, 'node_modules', 'node-red', 'red.js'), version };
}

/** The first mapping, the condition and the second mapping as function-node code (`msg` in, `msg` or null out). */
export const TO_FULFILLMENT = `
const o = msg.payload.order;
const warehouses = { 'dc-east': 'DEHAM1', 'dc-west': 'DEDUS1' };
const round = (n, d) => Math.round(n * 10 ** d) / 10 ** d;
let units = 0, amount = 0, weightKg = 0;
const lines = o.lines.map((l) => {
  units += l.quantity;
  amount += l.quantity * l.unitPrice;
  weightKg += l.quantity * l.weightKg;
  return { lineNumber: l.lineNumber, sku: l.sku, gtin: l.gtin,
    quantity: { value: l.quantity, unit: l.unit ?? 'EA' }, amount: round(l.quantity * l.unitPrice, 2) };
});
msg.payload = {
  orderRef: o.number,
  customerId: o.customer.id,
  warehouse: warehouses[o.shipFrom] ?? 'DC-MAIN',
  priority: o.serviceLevel === 'EXPRESS' ? 'HIGH' : 'NORMAL',
  shipTo: { name: o.shipTo.name, street: o.shipTo.street, city: o.shipTo.city,
    postalCode: o.shipTo.postalCode, countryCode: o.shipTo.countryCode },
  lines,
  totals: { units, amount: round(amount, 2), weightKg: round(weightKg, 3) },
};
msg.fulfillment = msg.payload;
return msg;`;

export const SHIPPABLE = `
const p = msg.payload;
return p.totals.units > 0 && ['DE', 'AT', 'NL'].includes(p.shipTo.countryCode) ? msg : null;`;

export const TO_SHIPMENT = `
const fo = msg.fulfillment;
const wms = msg.payload;
msg.payload = {
  reference: fo.orderRef,
  shipmentRef: fo.orderRef + '/' + wms.id,
  fulfillmentOrderId: wms.id,
  wave: wms.wave,
  origin: fo.warehouse,
  destination: { name: fo.shipTo.name, city: fo.shipTo.city, postalCode: fo.shipTo.postalCode,
    countryCode: fo.shipTo.countryCode },
  serviceLevel: fo.priority === 'HIGH' ? 'EXPRESS' : 'STANDARD',
  pieces: fo.totals.units,
  weightKg: fo.totals.weightKg,
  declaredValue: fo.totals.amount,
};
msg.headers = { 'content-type': 'application/json' };
return msg;`;

/** The Node-RED flows file: webhook answered 202 at once, then the six steps. */
export function nodeRedFlows(stubUrl: string): unknown[] {
  const z = 'bench';
  const fn = (id: string, name: string, func: string, next: string) => ({
    id,
    type: 'function',
    z,
    name,
    func,
    outputs: 1,
    noerr: 0,
    wires: [[next]],
  });
  const post = (id: string, name: string, url: string, next: string[]) => ({
    id,
    type: 'http request',
    z,
    name,
    method: 'POST',
    ret: 'obj',
    paytoqs: 'ignore',
    url,
    persist: true,
    wires: [next],
  });
  return [
    { id: z, type: 'tab', label: 'Order flow bench' },
    {
      id: 'order',
      type: 'http in',
      z,
      name: 'Sales order (ERP)',
      url: '/bench/orders',
      method: 'post',
      wires: [['ack', 'fulfillment']],
    },
    fn(
      'ack',
      'Accept',
      'msg.statusCode = 202; msg.payload = { accepted: true }; return msg;',
      'res',
    ),
    { id: 'res', type: 'http response', z, name: '202', wires: [] },
    fn('fulfillment', 'To fulfillment order', TO_FULFILLMENT, 'shippable'),
    fn('shippable', 'Has units and a domestic address?', SHIPPABLE, 'wms'),
    post('wms', 'Create fulfillment order (WMS)', `${stubUrl}/fulfillment-orders`, ['shipment']),
    fn('shipment', 'To shipment', TO_SHIPMENT, 'tms'),
    post('tms', 'Create shipment (TMS)', `${stubUrl}/shipments`, []),
  ];
}

/** Writes flows and settings into a fresh user folder; returns the arguments for `red.js`. */
export function nodeRedUserDir(dir: string, port: number, stubUrl: string): string[] {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'flows.json'), JSON.stringify(nodeRedFlows(stubUrl), null, 2));
  writeFileSync(
    path.join(dir, 'settings.js'),
    `module.exports = ${JSON.stringify(
      {
        uiPort: port,
        uiHost: '127.0.0.1',
        httpAdminRoot: false,
        flowFile: 'flows.json',
        credentialSecret: false,
        logging: { console: { level: 'warn', metrics: false, audit: false } },
        editorTheme: { projects: { enabled: false } },
        telemetry: { enabled: false },
      },
      null,
      2,
    )};\n`,
  );
  return ['--settings', path.join(dir, 'settings.js'), '--userDir', dir, 'flows.json'];
}
