import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { catalog, type FlowDocument, validateFlow } from '@crossdock/nodes';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
 * The analyst's afternoon, only through the browser: a flow with a three-case Switch, a Catch with
 * two routes and a mapping that builds the WMS lines one per order line with a unit conversion;
 * pinned samples; a safe test run that reaches no system; then a real run and a rejected one.
 */

const FLOW_ID = 'analyst-order-sync';
let partner: PartnerServer;
let runtime: Runtime;
let browser: Browser;
let page: Page;

const ORDER = {
  order: {
    number: 'SO-9001',
    country: 'DE',
    lines: [
      { sku: 'PAL-1', weightLb: 100 },
      { sku: 'BOX-2', weightLb: 2.5 },
    ],
  },
};

function card(name: string): Locator {
  return page.getByRole('group', { name: `Node ${name}`, exact: true });
}

async function drop(item: string, x: number, y: number): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search nodes' }).fill(item);
  await page
    .getByRole('button', { name: `Add ${item}`, exact: true })
    .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
  await page.getByRole('searchbox', { name: 'Search nodes' }).fill('');
}

async function wire(from: string, to: string): Promise<void> {
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await page.waitForTimeout(400);
  await page.getByLabel(from, { exact: true }).dragTo(page.getByLabel(to, { exact: true }));
}

async function shot(name: string): Promise<void> {
  // A fit or layout animates the viewport: wait until two reads of its transform agree.
  const viewport = page.locator('.react-flow__viewport').first();
  if ((await viewport.count()) > 0) {
    let last: string | null = null;
    await expect
      .poll(async () => {
        const now = await viewport.getAttribute('style');
        const same = now === last;
        last = now;
        return same;
      })
      .toBe(true);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, `analyst-${name}.png`) });
}

async function save(): Promise<void> {
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /Save version/ })
    .click();
  await expect.poll(() => page.locator('.notice').textContent()).toMatch(/Saved/);
}

function orderRef(body: unknown): unknown {
  return typeof body === 'object' && body !== null && 'orderRef' in body ? body.orderRef : null;
}

async function runStatus(): Promise<string> {
  const text = await page.getByRole('status', { name: 'Run status' }).textContent();
  return text ?? '';
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  buildDesigner();
  partner = await startPartner();
  runtime = await startRuntime(partner.url);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(10_000);
  // Leaving an unsaved flow asks first; the analyst means to leave.
  page.on('dialog', (d) => void d.accept());
}, 90_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    await page.screenshot({ path: path.join(ARTIFACTS, 'analyst-failure.png') });
  }
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  await partner?.close();
});

describe('an analyst builds, tests safely and runs a flow only through the designer', () => {
  it('builds the flow with a switch, a catch and an each mapping', async () => {
    await page.goto(`${runtime.url}/#/flows`);
    await page.getByRole('button', { name: 'New flow' }).click();
    await page.getByRole('dialog').getByLabel('Flow name').fill('Analyst order sync');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect
      .poll(() => page.locator('.editor__title h1').textContent())
      .toBe('Analyst order sync');

    await drop('Manual trigger', 130, 50);
    await drop('Switch', 130, 250);
    await drop('Map fields', 470, 50);
    await drop('HTTP request', 470, 250);
    await drop('Catch', 470, 430);

    // The switch: three cases, one typed as json-logic, two built with the rule builder.
    await card('Switch').click();
    const addCase = page.getByRole('button', { name: 'Add case', exact: true });
    const caseItems = page.locator('#root_cases > .array-field__items > .array-item');
    const cases = await caseItems.count();
    for (let i = cases; i > 0; i--) {
      await page.getByRole('button', { name: `Remove case ${i}`, exact: true }).click();
      await expect.poll(() => caseItems.count()).toBe(i - 1);
    }
    for (let i = 0; i < 3; i++) {
      await addCase.click();
      await expect.poll(() => caseItems.count()).toBe(i + 1);
    }
    const ports = ['empty', 'heavy', 'standard'];
    for (const [i, port] of ports.entries()) {
      await page.locator(`#root_cases_${i}_port`).fill(port);
      await page.locator(`#root_cases_${i}_label`).fill(port[0]?.toUpperCase() + port.slice(1));
    }
    await page
      .getByRole('tablist', { name: 'Condition of case 1 view' })
      .getByRole('tab', { name: 'JSON' })
      .click();
    await page
      .getByLabel('Condition of case 1 (JSON)', { exact: true })
      .fill('{"==": [{"length": {"var": "order.lines"}}, 0]}');
    for (const [n, field, op, value] of [
      [2, 'order.totalWeightLb', 'is greater than', '2000'],
      [3, 'order.number', 'is set', null],
    ] as const) {
      const tabs = page.getByRole('tablist', { name: `Condition of case ${n} view` });
      const builder = tabs.getByRole('tab', { name: 'Builder' });
      const addCondition = page
        .locator(`.expression-field:has(label[for="root_cases_${n - 1}_condition"])`)
        .getByRole('button', { name: '+ Condition' });
      // The form re-renders as the previous case commits; a click in between can be lost.
      await expect
        .poll(async () => {
          if ((await addCondition.count()) === 0) await builder.click();
          return addCondition.count();
        })
        .toBe(1);
      await addCondition.click();
      await page.getByLabel(`Condition of case ${n} field`, { exact: true }).fill(field);
      await page
        .getByLabel(`Condition of case ${n} operator`, { exact: true })
        .selectOption({ label: op });
      if (value !== null)
        await page.getByLabel(`Condition of case ${n} value`, { exact: true }).fill(value);
    }
    // Reorder: the standard case moves above heavy, then back.
    await page.getByRole('button', { name: 'Move case 3 up', exact: true }).click();
    await expect.poll(() => page.locator('#root_cases_1_port').inputValue()).toBe('standard');
    await page.getByRole('button', { name: 'Move case 2 down', exact: true }).click();
    await expect.poll(() => page.locator('#root_cases_2_port').inputValue()).toBe('standard');
    await shot('switch');

    // The catch: two routes, by status and by error code.
    await card('Catch').click();
    const addRoute = page.getByRole('button', { name: 'Add route', exact: true });
    const routeItems = page.locator('#root_routes > .array-field__items > .array-item');
    await addRoute.click();
    await expect.poll(() => routeItems.count()).toBe(1);
    await addRoute.click();
    await expect.poll(() => routeItems.count()).toBe(2);
    await page.locator('#root_routes_0_port').fill('rejected');
    await page.locator('#root_routes_0_label').fill('Rejected');
    await page.getByRole('button', { name: 'Add status to route 1', exact: true }).click();
    await page.locator('#root_routes_0_statuses_0').fill('422');
    await page.locator('#root_routes_1_port').fill('unavailable');
    await page.locator('#root_routes_1_label').fill('Unavailable');
    await page.locator('#root_routes_1_codes').getByLabel('upstream-unavailable').check();
    await page.locator('#root_routes_1_codes').getByLabel('timeout', { exact: true }).check();
    await shot('catch');

    // The connector.
    await card('HTTP request').click();
    await page.locator('#root_connection').selectOption('partner');
    await page.locator('#root_path').fill('/orders');
    // Two attempts, the second soon after: an unavailable WMS is given up on quickly.
    await page.getByText('Retries and timeout', { exact: true }).click();
    await page.getByLabel(/^Attempts/).fill('2');
    await page.getByLabel(/^First retry after/).fill('100');

    // Wires: the switch's ports are its cases. Laid out first so that no card hides another.
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await shot('before-wiring');
    await wire('Output port Payload of Manual trigger', 'Input port Message of Switch');
    await wire('Output port Standard of Switch', 'Input port Source of Map fields');
    await wire('Output port Mapped of Map fields', 'Input port Message of HTTP request');
    await wire('Output port Error of HTTP request', 'Input port Error of Catch');

    // "+" on the catch's Unavailable port adds the dead letter already wired to it.
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await card('Catch').hover();
    await page
      .getByRole('button', { name: 'Add a node after Unavailable of Catch', exact: true })
      .click();
    const picker = page.getByRole('dialog', { name: 'Add a node after Catch · Unavailable' });
    await picker.getByRole('searchbox', { name: 'Search node types' }).fill('dead');
    await picker.getByRole('button', { name: /^Dead letter/ }).click();
    await expect.poll(() => picker.isVisible()).toBe(false);
    await expect.poll(() => card('Dead letter').count()).toBe(1);
    // What an operator reads when the WMS stays unavailable (the new node is selected).
    await page
      .getByRole('tablist', { name: 'Reason view' })
      .getByRole('tab', { name: 'JSON' })
      .click();
    await page
      .getByLabel('Reason (JSON)', { exact: true })
      .fill('{"cat": ["WMS unavailable: ", {"var": "error.message"}]}');

    // A wire let go on empty canvas offers a node to add there instead of vanishing.
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await page
      .getByLabel('Output port Error of Switch', { exact: true })
      .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: 30, y: 20 } });
    const missed = page.getByRole('dialog', { name: 'Add a node after Switch · Error' });
    await expect.poll(() => missed.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => missed.isVisible()).toBe(false);
    await shot('wired');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(5);
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await shot('canvas');

    // Saved once, so that samples can be pinned to it.
    await save();
  }, 120_000);

  it('maps lines one per item with a unit conversion against a pinned sample', async () => {
    await card('Map fields').click();
    await page.getByText('Pinned sample', { exact: true }).click();
    await page
      .getByLabel('Pinned input of Map fields', { exact: true })
      .fill(JSON.stringify(ORDER));
    await page.getByRole('button', { name: 'Pin sample' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toMatch(/Pinned/);

    await page.getByRole('button', { name: 'Map source order.number' }).click();
    await expect
      .poll(() => page.getByLabel('Target 1', { exact: true }).inputValue())
      .toBe('number');
    await page.getByLabel('Target 1', { exact: true }).fill('orderRef');
    await expect
      .poll(() => page.getByRole('status', { name: 'Preview of orderRef' }).textContent())
      .toBe('= "SO-9001"');

    await page.getByRole('button', { name: '+ Target field', exact: true }).click();
    await page.getByLabel('Target 2', { exact: true }).fill('lines');
    await page.getByLabel('Kind of lines', { exact: true }).selectOption('each');
    await page.getByLabel('Items for lines', { exact: true }).fill('{"var": "order.lines"}');
    await page.getByRole('button', { name: 'Map source item.sku' }).click();
    await page.getByRole('button', { name: '+ Target field in lines', exact: true }).click();
    await page.getByLabel('Target lines 2', { exact: true }).fill('weightKg');
    await page
      .getByLabel('Expression for lines weightKg', { exact: true })
      .fill('{"var": "item.weightLb"}');
    await page
      .getByLabel('Operation for lines weightKg', { exact: true })
      .selectOption('convert_uom');
    await expect
      .poll(() => page.getByRole('status', { name: 'Preview of lines weightKg' }).textContent())
      .toMatch(/^= 45\.359/);
    await shot('mapping');

    // The connector's pinned answer: what the WMS says, for safe test runs.
    await card('HTTP request').click();
    await page.getByText('Pinned sample', { exact: true }).click();
    await page
      .getByLabel('Pinned answer of HTTP request', { exact: true })
      .fill('{"accepted": true, "wmsOrderId": "W-PINNED"}');
    await page.getByRole('button', { name: 'Pin sample' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toMatch(/Pinned/);
    await save();

    const saved = JSON.parse(
      readFileSync(path.join(runtime.flowsDir, `${FLOW_ID}.flow.json`), 'utf8'),
    ) as FlowDocument;
    expect(validateFlow(saved, catalog).filter((d) => d.severity === 'error')).toEqual([]);
    const map = saved.nodes.find((n) => n.type === 'mapping.map');
    expect(map?.config.fields).toEqual([
      { target: 'orderRef', expression: { var: 'order.number' } },
      {
        target: 'lines',
        each: {
          items: { var: 'order.lines' },
          fields: [
            { target: 'sku', expression: { var: 'item.sku' } },
            {
              target: 'weightKg',
              expression: { convert_uom: [{ var: 'item.weightLb' }, 'LBR', 'KGM'] },
            },
          ],
        },
      },
    ]);
    const sw = saved.nodes.find((n) => n.type === 'rule.switch');
    expect(sw?.config.cases).toEqual([
      {
        port: 'empty',
        label: 'Empty',
        condition: { '==': [{ length: { var: 'order.lines' } }, 0] },
      },
      { port: 'heavy', label: 'Heavy', condition: { '>': [{ var: 'order.totalWeightLb' }, 2000] } },
      { port: 'standard', label: 'Standard', condition: { '!!': [{ var: 'order.number' }] } },
    ]);
    const c = saved.nodes.find((n) => n.type === 'exception.catch');
    expect(c?.config.routes).toEqual([
      { port: 'rejected', label: 'Rejected', statuses: [422] },
      { port: 'unavailable', label: 'Unavailable', codes: ['timeout', 'upstream-unavailable'] },
    ]);
    const pin = JSON.parse(
      readFileSync(
        path.join(runtime.flowsDir, 'samples', FLOW_ID, 'nodes', `${map?.id}.json`),
        'utf8',
      ),
    ) as unknown;
    expect(pin).toEqual({ input: ORDER });

    // Deployed, so the flow list has an active version to show.
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toMatch(/Deployed/);
  }, 90_000);

  it('test-runs safely: no request reaches the system; then runs for real and fails one', async () => {
    const before = partner.requests.length;
    await page.getByRole('tab', { name: 'Test run' }).click();
    await page.getByLabel('Payload', { exact: true }).fill(JSON.stringify(ORDER));
    await page.getByRole('button', { name: 'Run test', exact: true }).click();
    await expect.poll(runStatus, { timeout: 15_000 }).toMatch(/succeeded/);
    expect(partner.requests.length).toBe(before);
    await page.getByRole('button', { name: /Step HTTP request attempt 1/ }).click();
    const note = page.getByRole('note', { name: 'Not sent' });
    await expect.poll(() => note.textContent()).toMatch(/POST .*\/orders/);
    expect(await note.textContent()).toMatch(/45\.359/);
    await shot('safe-test-run');

    // For real, against the development environment.
    await page.getByRole('button', { name: 'Run against dev', exact: true }).click();
    await expect.poll(runStatus, { timeout: 15_000 }).toMatch(/succeeded/);
    expect(partner.requests.length).toBe(before + 1);
    const sent = partner.requests.at(-1)?.body as {
      orderRef: string;
      lines: { sku: string; weightKg: number }[];
    };
    expect(sent.orderRef).toBe('SO-9001');
    expect(sent.lines.map((l) => l.sku)).toEqual(['PAL-1', 'BOX-2']);
    expect(sent.lines[0]?.weightKg).toBeCloseTo(45.359, 3);

    // A rejected order goes out of the HTTP node's error port and takes the catch's first route.
    const bad = { order: { ...ORDER.order, number: 'BAD-7' } };
    await page.getByLabel('Payload', { exact: true }).fill(JSON.stringify(bad));
    await page.getByRole('button', { name: 'Run against dev', exact: true }).click();
    await expect.poll(runStatus, { timeout: 15_000 }).toMatch(/succeeded|failed/);
    // The layout opened at a readable zoom from the trigger; the whole flow is a Fit away.
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await expect.poll(() => card('Catch').getByRole('status').textContent()).toMatch(/→ rejected/);
    await shot('rejected-run');

    // Run to here: the run stops after the switch.
    await card('Switch').click();
    await page.getByRole('button', { name: 'Run to Switch', exact: true }).click();
    await expect.poll(runStatus, { timeout: 15_000 }).toMatch(/succeeded/);
    expect(await page.getByRole('button', { name: /^Step / }).count()).toBe(2);

    // Test runs never enter the exception queue.
    const exceptions = await runtime.api('GET', '/api/exceptions');
    expect(JSON.stringify(exceptions.body)).not.toContain(FLOW_ID);
  }, 90_000);

  it('replays a dead-lettered order from the caught node: one order, one key', async () => {
    // The WMS takes the order but answers 503 to both attempts: the catch routes the error to
    // the dead letter and the run fails there.
    await card('HTTP request').click();
    partner.unavailable = true;
    const flaky = { order: { ...ORDER.order, number: 'SO-9002' } };
    await page.getByLabel('Payload', { exact: true }).fill(JSON.stringify(flaky));
    await page.getByRole('button', { name: 'Run against dev', exact: true }).click();
    await expect.poll(runStatus, { timeout: 15_000 }).toMatch(/failed/);
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await expect
      .poll(() => card('Catch').getByRole('status').textContent())
      .toMatch(/→ unavailable/);
    const failedId = (await page.locator('.test-run__id').textContent()) ?? '';
    const forOrder = () => partner.requests.filter((r) => orderRef(r.body) === 'SO-9002');
    expect(forOrder().length).toBe(2);

    // The run view offers the caught node, not the dead letter, with what it received.
    await page.getByRole('link', { name: `Open run ${failedId}` }).click();
    const replay = page.getByRole('region', { name: 'Replay' });
    const from = replay.getByLabel('Replay from', { exact: true });
    await expect
      .poll(() => from.locator('option:checked').textContent())
      .toBe('HTTP request (error caught)');
    await expect.poll(() => replay.getByLabel('Replay input').inputValue()).toMatch(/SO-9002/);
    // Any node that ran can be picked; the button says which.
    await from.selectOption({ label: 'Map fields' });
    await expect
      .poll(() => replay.getByRole('button', { name: 'Replay from Map fields' }).count())
      .toBe(1);
    await from.selectOption({ label: 'HTTP request (error caught)' });
    await shot('replay-picker');

    // The WMS is back; the replay sends the order again under the same key.
    partner.unavailable = false;
    await replay.getByRole('button', { name: 'Replay from failed step', exact: true }).click();
    await expect
      .poll(() => page.getByRole('link', { name: failedId, exact: true }).count())
      .toBe(1);
    const replayId = decodeURIComponent(new URL(page.url()).hash.replace('#/runs/', ''));
    expect(replayId).not.toBe(failedId);
    await expect.poll(runStatus, { timeout: 15_000 }).toMatch(/succeeded/);
    await expect
      .poll(() => card('HTTP request').getByRole('status').textContent())
      .toMatch(/succeeded/);
    expect(await page.getByRole('button', { name: /^Step Dead letter/ }).count()).toBe(0);
    await shot('replayed');

    // One order in the WMS: three deliveries, one Idempotency-Key.
    const deliveries = forOrder();
    expect(deliveries.length).toBe(3);
    const keys = new Set(deliveries.map((r) => r.idempotencyKey));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toBeTruthy();

    // The chain, both ways: the replay names the failed run, and the failed run names its replay.
    await page.getByRole('link', { name: failedId, exact: true }).click();
    await expect.poll(runStatus).toMatch(/replaying/);
    await page.getByRole('link', { name: replayId, exact: true }).click();
    await expect.poll(runStatus).toMatch(/succeeded/);
    expect(new URL(page.url()).hash).toBe(`#/runs/${encodeURIComponent(replayId)}`);
  }, 90_000);

  it('sees the environment’s connections and adds one without a restart', async () => {
    await page.goto(`${runtime.url}/#/connections`);
    const table = page.getByRole('table', { name: 'Connections' });
    await expect.poll(() => table.textContent()).toMatch(/partner/);
    await page.getByRole('button', { name: 'Add connection' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('wms2');
    await dialog.getByLabel('Connection definition').fill('{"system": "wms"}');
    await dialog.getByRole('button', { name: 'Save connection' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/baseUrl/);
    await dialog.getByLabel('Connection definition').fill(
      JSON.stringify({
        system: 'wms',
        baseUrl: partner.url,
        auth: { type: 'bearer', tokenSecret: 'WMS2_TOKEN' },
      }),
    );
    await dialog.getByRole('button', { name: 'Save connection' }).click();
    await expect.poll(() => table.textContent()).toMatch(/wms2.*WMS2_TOKEN\s*not set/);
    expect(readFileSync(path.join(runtime.flowsDir, 'environments', 'dev.json'), 'utf8')).toMatch(
      /"wms2"/,
    );
    await shot('connections');
    for (const [name, hash] of [
      ['flows', '#/flows'],
      ['runs', '#/runs'],
      ['exceptions', '#/exceptions'],
    ] as const) {
      await page.goto(`${runtime.url}/${hash}`);
      if (name === 'flows') {
        await page.getByRole('searchbox', { name: 'Search flows' }).fill('analyst');
        const rows = page.getByRole('table', { name: 'Flows' }).locator('tbody tr');
        // The list shows a "Loading…" row first: wait for the flow, then count.
        await expect.poll(() => rows.first().textContent()).toMatch(FLOW_ID);
        await expect.poll(() => rows.count()).toBe(1);
        // The active version and the last run (the replay, which succeeded), linked.
        const version = JSON.parse(
          readFileSync(path.join(runtime.flowsDir, `${FLOW_ID}.flow.json`), 'utf8'),
        ).version as string;
        await expect.poll(() => rows.first().locator('td').nth(2).textContent()).toBe(version);
        await expect
          .poll(() =>
            rows
              .first()
              .getByRole('link', { name: `Last run of ${FLOW_ID}: succeeded` })
              .count(),
          )
          .toBe(1);
      }
      await page.waitForTimeout(800);
      await shot(`page-${name}`);
    }
  }, 60_000);
});
