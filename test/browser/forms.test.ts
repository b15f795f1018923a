import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  catalog,
  type FlowDocument,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  manifests,
  type NodeManifest,
  validateFlow,
} from '@crossdock/nodes';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  buildDesigner,
  launchChromium,
  type PartnerServer,
  type Runtime,
  startPartner,
  startRuntime,
} from './stack';

/**
 * Every node type's form, driven field by field in Chromium: each setting the schema has is
 * edited through its editor (lists get two items, a reorder and a removal), the flow is saved and
 * the file must hold exactly what was typed.
 */

let partner: PartnerServer;
let runtime: Runtime;
let browser: Browser;
let page: Page;

type Path = (string | number)[];
const domId = (p: Path) => ['root', ...p].join('_');

/** Values that satisfy each field's pattern; `n` tells list items apart. */
function stringFor(type: string, key: string, n: number): string {
  const byType: Record<string, string> = {
    'trigger.webhook.path': 'erp/orders-released',
    'trigger.schedule.cron': '30 5 * * 1-5',
    'trigger.schedule.timeZone': 'Europe/Berlin',
    'trigger.manual.sample': 'released-order',
    'exception.notify.path': '/alerts',
    'connector.csv-parse.field': 'body',
    'connector.csv-generate.field': 'rows',
    'connector.edi-parse.field': 'body',
    'flow.milestone.process': 'order-to-cash',
    'flow.milestone.milestone': 'invoiced',
    'trigger.amqp.queue': 'crossdock.wms.picks',
    'trigger.amqp.exchange': `wms.events${n}`,
    'trigger.amqp.routingKey': `pick.completed.${n}`,
    'trigger.amqp.deadLetterExchange': 'wms.dead',
    'trigger.nats.stream': 'TMS',
    'trigger.nats.consumer': 'crossdock-milestones',
    'trigger.nats.filterSubject': 'tms.milestones.>',
    'trigger.mqtt.topic': 'dock/+/scan',
    'connector.amqp-publish.exchange': 'tms',
    'trigger.sftp.folder': '/outbound/214',
    'trigger.sftp.pattern': '*.edi',
    'trigger.sftp.archiveFolder': '/archive/214',
    'trigger.sftp.errorFolder': '/error/214',
    'connector.sql-query.statement': 'SELECT id FROM order_staging WHERE status = $1',
    'connector.sql-execute.statement': "UPDATE order_staging SET status = 'SENT' WHERE id = $1",
    'connector.sftp-put.path': '/inbound/{{number}}.edi',
    'connector.sftp-get.path': '/outbound/{{number}}.edi',
  };
  const byKey: Record<string, string> = {
    signatureSecret: 'ERP_HOOK_SECRET',
    path: '/orders/{{number}}',
    delimiter: ';',
    senderId: 'ACME',
    receiverId: 'PARTNER2',
    senderQualifier: '01',
    receiverQualifier: '08',
    senderCode: 'ACMEAPP',
    receiverCode: 'PARTAPP',
    element: '|',
    component: ':',
    segment: '!',
    repetition: '^',
    flowId: 'cancel-fulfillment',
    port: `route-${n}`,
    label: `Route ${n}`,
    name: `check-${n}`,
    message: `Check ${n} failed`,
    target: `field${n}`,
    field: `lines.sku${n}`,
    header: `Header ${n}`,
  };
  const value = byType[`${type}.${key}`] ?? byKey[key];
  if (value === undefined) throw new Error(`no test value for ${type} ${key}`);
  return value;
}

function integerFor(key: string, prop: JsonObject): number {
  const byKey: Record<string, number> = { timeoutMs: 5000, maxRows: 500, maxItems: 50, qos: 1 };
  return byKey[key] ?? (typeof prop.minimum === 'number' ? prop.minimum + 7 : 7);
}

const CONNECTIONS: Record<string, string> = {
  'connector.http': 'partner',
  'connector.erp': 'erp',
  'connector.wms': 'wms',
  'connector.tms': 'tms',
  'connector.carrier': 'carrier',
  'exception.notify': 'notify',
  'trigger.amqp': 'wms-events',
  'connector.amqp-publish': 'wms-events',
  'trigger.nats': 'tms-events',
  'connector.nats-publish': 'tms-events',
  'trigger.mqtt': 'yard',
  'connector.mqtt-publish': 'yard',
  'trigger.sftp': 'carrier-sftp',
  'connector.sftp-put': 'carrier-sftp',
  'connector.sftp-get': 'carrier-sftp',
  'connector.sql-query': 'erp-db',
  'connector.sql-execute': 'erp-db',
};

/** Fields left out of the walk: the other half of a one-of-two choice. */
/** Fields left out of the walk: the other half of a one-of-two choice. */
const LEFT_OUT: Record<string, readonly string[]> = { 'flow.delay': ['delayMs'] };

async function fillObject(
  m: NodeManifest,
  schema: JsonObject,
  at: Path,
  n: number,
  current: JsonObject,
): Promise<JsonObject> {
  const out: JsonObject = {};
  const props = isJsonObject(schema.properties) ? schema.properties : {};
  for (const [key, prop] of Object.entries(props)) {
    if (!isJsonObject(prop)) continue;
    if (at.length === 0 && LEFT_OUT[m.type]?.includes(key)) {
      if (current[key] !== undefined) await page.locator(`#${domId([key])}`).fill('');
      continue;
    }
    out[key] = await fillField(m, key, prop, [...at, key], n, current[key]);
  }
  return out;
}

async function fillJson(id: string, value: JsonValue): Promise<JsonValue> {
  await page.locator(`#${id}`).fill(JSON.stringify(value));
  return value;
}

async function fillField(
  m: NodeManifest,
  key: string,
  prop: JsonObject,
  at: Path,
  n: number,
  current: JsonValue | undefined,
): Promise<JsonValue> {
  const id = domId(at);
  if (prop['x-expression'] === true) {
    const field = page
      .locator('.expression-field')
      .filter({ has: page.locator(`label[for="${id}"]`) });
    await field.getByRole('tab', { name: 'JSON' }).click();
    return fillJson(id, { '==': [{ var: `order.${key}` }, `value-${n}`] });
  }
  if (at.length === 1 && key === 'partner') {
    await page.locator(`#${id}`).selectOption('harbor-outfitters');
    return 'harbor-outfitters';
  }
  if (at.length === 1 && key === 'connection') {
    const name = CONNECTIONS[m.type] ?? 'partner';
    await page.locator(`#${id}`).selectOption(name);
    return name;
  }
  if (Array.isArray(prop.type)) {
    await page.locator(`#${id}`).fill(String(n + 1));
    return n + 1;
  }
  if (prop.type === 'object') {
    if (!isJsonObject(prop.properties)) {
      const value: JsonValue =
        key === 'headers'
          ? { 'X-Trace': 'on' }
          : key === 'tables'
            ? { uom: { LB: 'KGM' } }
            : key === 'query'
              ? { q: { var: 'order.number' } }
              : { warehouse: 'DEHAM1' };
      return fillJson(id, value);
    }
    return fillObject(m, prop, at, n, isJsonObject(current) ? current : {});
  }
  if (prop.type === 'array' && isJsonObject(prop.items)) {
    const items = prop.items;
    const list = page.locator(`#${id}`);
    if (Array.isArray(items.enum)) {
      const picked = items.enum.slice(-2) as string[];
      for (const v of picked) await list.getByLabel(v, { exact: true }).check();
      return items.enum.filter((v) => picked.includes(v as string)) as JsonValue;
    }
    const itemsOf = () => list.locator(':scope > .array-field__items > .array-item');
    // New nodes start with some lists empty (a switch's cases): count what the form shows.
    const existing = await itemsOf().count();
    // Clear what the defaults put in, then two new items.
    const tool = (i: number | 'first', name: RegExp) => {
      const items = list.locator(':scope > .array-field__items > .array-item');
      const item = i === 'first' ? items.first() : items.nth(i);
      return item.locator(':scope > .array-item__header').getByRole('button', { name });
    };
    for (let i = existing; i > 0; i--) {
      await tool('first', /^Remove/).click();
      await expect.poll(() => itemsOf().count()).toBe(i - 1);
    }
    const add = list.locator(':scope > .array-field__add');
    const filled: JsonValue[] = [];
    for (let i = 0; i < 2; i++) {
      await add.click();
      await expect.poll(() => itemsOf().count()).toBe(i + 1);
      if (items.type === 'object') {
        filled.push(await fillObject(m, items, [...at, i], i + 1, {}));
      } else if (items['x-expression'] === true) {
        filled.push(await fillField(m, `${key}${i}`, items, [...at, i], i + 1, undefined));
      } else {
        const v = 400 + i;
        await page.locator(`#${domId([...at, i])}`).fill(String(v));
        filled.push(v);
      }
    }
    // The second moves up, then the (now second) first is removed.
    await tool(1, /^Move .* up$/).click();
    await tool(1, /^Remove/).click();
    return [filled[1] as JsonValue];
  }
  const input = page.locator(`#${id}`);
  if (Array.isArray(prop.enum)) {
    const options = prop.enum as string[];
    const value = options.find((v) => v !== (current ?? prop.default)) ?? (options[0] as string);
    const names: Record<string, string> = { '\n': 'LF (Unix)', '\r\n': 'CR LF (Windows)' };
    await input.selectOption({ label: names[value] ?? value });
    return value;
  }
  if (prop.type === 'boolean') {
    const value = !(current ?? prop.default ?? false);
    await input.setChecked(value);
    return value;
  }
  if (prop.type === 'integer') {
    const value = integerFor(key, prop);
    await input.fill(String(value));
    return value;
  }
  const value = stringFor(m.type, key, n);
  await input.fill(value);
  return value;
}

/** The mapping editor: one plain row, through its own controls. */
async function fillMapping(): Promise<JsonObject> {
  await page.getByRole('button', { name: '+ Target field' }).click();
  await page.getByLabel('Target 1', { exact: true }).fill('orderRef');
  await page.getByLabel('Expression for orderRef', { exact: true }).fill('{"var": "order.number"}');
  return { target: 'orderRef', expression: { var: 'order.number' } };
}

async function walk(m: NodeManifest): Promise<JsonObject> {
  await page.getByRole('searchbox', { name: 'Search nodes' }).fill(m.title);
  await page.getByRole('button', { name: `Add ${m.title}`, exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search nodes' }).fill('');
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect.poll(() => inspector.locator('.inspector__type').textContent()).toBe(m.title);
  // No form field is ever labelled with its raw key, and nothing is unsupported.
  expect(await inspector.locator('.unsupported-field').count()).toBe(0);
  const expected: JsonObject = {};
  const current = structuredClone(m.defaults) as JsonObject;
  const props = isJsonObject(m.configSchema.properties) ? m.configSchema.properties : {};
  for (const [key, prop] of Object.entries(props)) {
    if (!isJsonObject(prop)) continue;
    if (LEFT_OUT[m.type]?.includes(key)) {
      if (current[key] !== undefined) await page.locator(`#${domId([key])}`).fill('');
      continue;
    }
    if (m.type === 'mapping.map' && key === 'fields') {
      expected.fields = [await fillMapping()];
      continue;
    }
    expected[key] = await fillField(m, key, prop, [key], 1, current[key]);
  }
  const labels = await inspector.locator('.control-label').allTextContents();
  for (const key of Object.keys(props)) {
    if (/[a-z][A-Z]/.test(key)) expect(labels).not.toContain(key);
  }
  return expected;
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  buildDesigner();
  partner = await startPartner();
  runtime = await startRuntime(
    partner.url,
    {},
    {
      // Broker connections for the broker nodes' pickers (nothing connects: no flow uses them).
      'tms-events': { kind: 'nats', system: 'tms', host: '127.0.0.1', allowPrivateNetwork: true },
      yard: { kind: 'mqtt', system: 'wms', host: '127.0.0.1', allowPrivateNetwork: true },
      'carrier-sftp': {
        kind: 'sftp',
        system: 'carrier',
        host: '127.0.0.1',
        allowPrivateNetwork: true,
        auth: { type: 'basic', usernameSecret: 'SFTP_USER', passwordSecret: 'SFTP_PASSWORD' },
      },
      'erp-db': {
        kind: 'postgres',
        system: 'erp',
        host: '127.0.0.1',
        database: 'erp',
        allowPrivateNetwork: true,
        auth: { type: 'basic', usernameSecret: 'DB_USER', passwordSecret: 'DB_PASSWORD' },
      },
      notify: {
        system: 'notify',
        baseUrl: partner.url,
        auth: { type: 'none' },
        allowPrivateNetwork: true,
      },
    },
  );
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(10_000);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  await partner?.close();
});

async function newFlow(name: string): Promise<void> {
  await page.goto(`${runtime.url}/#/flows`);
  await page.getByRole('button', { name: 'New flow' }).click();
  await page.getByRole('dialog').getByLabel('Flow name').fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => page.locator('.editor__title h1').textContent()).toBe(name);
}

async function saveAndRead(id: string): Promise<FlowDocument> {
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /Save version/ })
    .click();
  await expect.poll(() => page.locator('.notice').textContent()).toMatch(/Saved/);
  return JSON.parse(
    readFileSync(path.join(runtime.flowsDir, `${id}.flow.json`), 'utf8'),
  ) as FlowDocument;
}

describe('every node type’s form', () => {
  const triggers = manifests.filter((m) => m.category === 'trigger');
  const others = manifests.filter((m) => m.category !== 'trigger');

  it.each(triggers.map((m) => [m.type, m] as const))(
    'edits every field of %s',
    async (_t, m) => {
      const name = `Form walk ${m.type.split('.')[1]}`;
      await newFlow(name);
      const expected = await walk(m);
      const saved = await saveAndRead(`form-walk-${m.type.split('.')[1]}`);
      expect(saved.nodes.find((n) => n.type === m.type)?.config).toEqual(expected);
    },
    60_000,
  );

  it('edits every field of every other node type and saves exactly that', async () => {
    await newFlow('Form walk nodes');
    const expected = new Map<string, JsonObject>();
    for (const m of others) {
      expected.set(m.type, await walk(m));
      if (
        m.type === 'rule.switch' ||
        m.type === 'exception.catch' ||
        m.type === 'connector.csv-parse'
      ) {
        await page.screenshot({
          path: path.join(ARTIFACTS, `form-${m.type.replace('.', '-')}.png`),
        });
      }
    }
    const saved = await saveAndRead('form-walk-nodes');
    for (const m of others) {
      expect({ type: m.type, config: saved.nodes.find((n) => n.type === m.type)?.config }).toEqual({
        type: m.type,
        config: expected.get(m.type),
      });
    }
    const errors = validateFlow(saved, catalog).filter(
      (d) => d.severity === 'error' && d.pointer[0] === 'nodes' && d.pointer[2] === 'config',
    );
    expect(errors).toEqual([]);
  }, 240_000);
});
