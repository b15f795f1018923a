import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { catalog, type FlowDocument, formatFlow, validateFlow } from '@crossdock/nodes';
import type { Browser, Locator, Page } from 'playwright-core';
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

const FLOW_ID = 'browser-order-sync';
const FLOW_NAME = 'Browser order sync';

let partner: PartnerServer;
let runtime: Runtime;
let browser: Browser;
let page: Page;

/** Polls the runtime until a run has ended. */
async function finished(runId: string): Promise<{ status: string; steps: { nodeId: string }[] }> {
  for (let i = 0; i < 100; i++) {
    const { body } = await runtime.api('GET', `/api/runs/${runId}`);
    const run = body as { status: string; steps: { nodeId: string }[] };
    if (['succeeded', 'failed', 'discarded'].includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`run ${runId} did not finish`);
}

function card(name: string): Locator {
  return page.getByRole('group', { name: `Node ${name}`, exact: true });
}

/** Finds a node type with the palette's search and drags it onto the canvas at (x, y). */
async function drop(item: string, x: number, y: number): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search nodes' }).fill(item);
  await page
    .getByRole('button', { name: `Add ${item}`, exact: true })
    .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
  await page.getByRole('searchbox', { name: 'Search nodes' }).fill('');
}

async function wire(from: string, to: string): Promise<void> {
  await page.getByLabel(from, { exact: true }).dragTo(page.getByLabel(to, { exact: true }));
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  buildDesigner();
  partner = await startPartner();
  runtime = await startRuntime(partner.url);
  // The sample payload the analyst picks for the test run.
  mkdirSync(path.join(runtime.flowsDir, 'samples', FLOW_ID), { recursive: true });
  writeFileSync(
    path.join(runtime.flowsDir, 'samples', FLOW_ID, 'released-order.json'),
    JSON.stringify({ order: { number: 'SO-7001', status: 'RELEASED' } }),
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

describe('the designer, driven as an analyst would', () => {
  it('composes a flow from the palette, fixes a problem, saves it and test-runs it', async () => {
    await page.goto(`${runtime.url}/#/flows`);
    await page.getByRole('button', { name: 'New flow' }).click();
    await page.getByRole('dialog').getByLabel('Flow name').fill(FLOW_NAME);
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.locator('.editor__title h1').textContent()).toBe(FLOW_NAME);

    await drop('Manual trigger', 150, 120);
    await drop('Map fields', 450, 120);
    await drop('Branch', 150, 330);
    await drop('HTTP request', 450, 330);
    for (const name of ['Manual trigger', 'Map fields', 'Branch', 'HTTP request']) {
      await expect.poll(() => card(name).count()).toBe(1);
    }
    // A flow has one trigger: a second one is refused with a reason.
    await drop('Webhook', 600, 40);
    await expect.poll(() => page.locator('.notice').textContent()).toMatch(/one trigger/);
    expect(await card('Webhook').count()).toBe(0);

    await wire('Output port Payload of Manual trigger', 'Input port Source of Map fields');
    await wire('Output port Mapped of Map fields', 'Input port Message of Branch');
    await wire('Output port True of Branch', 'Input port Message of HTTP request');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);
    await page.getByRole('button', { name: 'Auto-layout' }).click();

    // Keyboard: delete and undo, copy and paste.
    await card('HTTP request').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => card('HTTP request').count()).toBe(0);
    await page.keyboard.press('Control+z');
    await expect.poll(() => card('HTTP request').count()).toBe(1);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);
    await card('Map fields').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(() => card('Map fields 2').count()).toBe(1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => card('Map fields 2').count()).toBe(0);

    // The mapping: one target field picked by the analyst.
    await card('Map fields').click();
    await page.getByRole('button', { name: '+ Target field' }).click();
    await page.getByLabel('Target 1', { exact: true }).fill('orderRef');
    await page
      .getByLabel('Expression for orderRef', { exact: true })
      .fill('{"var": "order.number"}');
    // The branch condition, typed as json-logic; the builder then shows it as a rule.
    await card('Branch').click();
    await page.getByRole('tab', { name: 'JSON' }).click();
    await page.getByLabel('condition (JSON)').fill('{"==": [{"var": "orderRef"}, "SO-7001"]}');
    await page.getByRole('tab', { name: 'Builder' }).click();
    expect(await page.getByLabel('condition field').inputValue()).toBe('orderRef');

    // The connector without a connection: the problem shows on the node and in the panel.
    await card('HTTP request').click();
    await page.getByLabel('connection').selectOption('');
    await expect
      .poll(() => page.getByRole('region', { name: 'Problems' }).textContent())
      .toMatch(/connection/);
    await expect
      .poll(() => card('HTTP request').getByRole('img').getAttribute('aria-label'))
      .toMatch(/problem/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'canvas.png') });

    // A click on the problem focuses the field; the analyst fixes it there.
    await page.getByRole('region', { name: 'Problems' }).getByRole('button').first().click();
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('root_connection');
    await page.getByLabel('connection').selectOption('partner');
    await page.getByLabel('path').fill('/orders');
    await expect
      .poll(() => page.getByRole('region', { name: 'Problems' }).textContent())
      .toMatch(/No problems/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'inspector.png') });

    // Save: the file on disk is exactly what `crossdock fmt` writes.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /Save version 0\.1\.1/ })
      .click();
    await expect.poll(() => page.locator('.notice').textContent()).toMatch(/Saved/);
    const text = readFileSync(path.join(runtime.flowsDir, `${FLOW_ID}.flow.json`), 'utf8');
    const saved = JSON.parse(text) as FlowDocument;
    expect(text).toBe(formatFlow(saved));
    expect(validateFlow(saved, catalog).filter((d) => d.severity === 'error')).toEqual([]);
    expect(saved).toMatchObject({ id: FLOW_ID, version: '0.1.1' });
    expect(saved.nodes.map((n) => n.type).sort()).toEqual([
      'connector.http',
      'mapping.map',
      'rule.branch',
      'trigger.manual',
    ]);
    expect(saved.edges).toHaveLength(3);

    // Selecting a node is not an edit: the saved flow stays saved.
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await card('Map fields').click();
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Node name' }).inputValue())
      .toBe('Map fields');
    expect(await page.locator('.editor__title').getByText('unsaved').count()).toBe(0);

    // Test run with the sample: every node's status is drawn on its card.
    await page.getByRole('tab', { name: 'Test run' }).click();
    await page.getByLabel('Sample payload').selectOption('released-order');
    await page.getByRole('button', { name: 'Run against dev' }).click();
    await expect
      .poll(() => page.getByRole('status', { name: 'Run status' }).textContent(), {
        timeout: 15_000,
      })
      .toMatch(/succeeded/);
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    for (const name of ['Manual trigger', 'Map fields', 'Branch', 'HTTP request']) {
      await expect.poll(() => card(name).getByRole('status').textContent()).toMatch(/succeeded/);
    }
    expect(await card('Branch').getByRole('status').textContent()).toMatch(/→ true/);
    expect(partner.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/orders',
      body: { orderRef: 'SO-7001' },
    });
    await page.getByRole('button', { name: /Step Map fields attempt 1/ }).click();
    await page.getByRole('tab', { name: 'Diff' }).click();
    expect(await page.getByRole('table', { name: 'Mapping diff' }).textContent()).toMatch(
      /orderRef/,
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'trace.png') });

    // Deploy the saved version.
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toMatch(/Deployed .* 0\.1\.1/);
    expect((await runtime.api('GET', `/api/flows/${FLOW_ID}/versions/0.1.1`)).status).toBe(200);
  }, 60_000);

  it('replays a failed run from the failed step with an edited input', async () => {
    const file = JSON.parse(
      readFileSync(path.join(runtime.flowsDir, `${FLOW_ID}.flow.json`), 'utf8'),
    ) as FlowDocument;
    // The branch lets every order through, so a bad order reaches the partner and is refused.
    const flow: FlowDocument = {
      ...file,
      version: '0.1.2',
      nodes: file.nodes.map((n) =>
        n.type === 'rule.branch' ? { ...n, config: { condition: true } } : n,
      ),
    };
    expect((await runtime.api('PUT', `/api/flows/${FLOW_ID}`, flow)).status).toBeLessThan(300);
    const started = await runtime.api('POST', `/api/flows/${FLOW_ID}/runs`, {
      order: { number: 'BAD-1' },
    });
    const runId = (started.body as { runId: string }).runId;
    expect((await finished(runId)).status).toBe('failed');
    const before = partner.requests.length;

    await page.goto(`${runtime.url}/#/exceptions`);
    await page.getByRole('link', { name: `Open run ${runId}` }).click();
    const input = page.getByLabel('Replay input');
    await expect.poll(() => input.inputValue()).toMatch(/BAD-1/);
    await expect
      .poll(() => card('HTTP request').getByRole('status').textContent())
      .toMatch(/failed/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'exceptions.png'), fullPage: true });

    await input.fill('{"orderRef": "SO-7002"}');
    await page.getByRole('button', { name: 'Replay from failed step' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toMatch(/Replayed as run/);
    const message = (await page.getByRole('status').first().textContent()) ?? '';
    const replayId = /run (\S+)\.$/.exec(message)?.[1] ?? '';
    const replay = await finished(replayId);
    expect(replay.status).toBe('succeeded');
    // Only the failed step ran again: the partner got exactly one more call, with the edited input.
    expect(partner.requests.length).toBe(before + 1);
    expect(partner.requests.at(-1)?.body).toEqual({ orderRef: 'SO-7002' });
    expect(new Set(replay.steps.map((s) => s.nodeId)).size).toBe(1);

    // The replay in the runs view, filtered by status, drawn on the version it ran on.
    await page.goto(`${runtime.url}/#/runs`);
    await page.getByLabel('Status').selectOption('succeeded');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('link', { name: `Open run ${replayId}` }).click();
    await expect
      .poll(() => card('HTTP request').getByRole('status').textContent())
      .toMatch(/succeeded/);
    expect(await page.getByRole('link', { name: runId }).count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'run-detail.png') });
  }, 60_000);
});
