import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_SANDBOX_SECRETS } from '@crossdock/runtime';
import type { Sandbox } from '@crossdock/sandbox';
import { startTestSandbox } from '@crossdock/sandbox/testing';
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

/**
 * docs/tutorial.md, step by step: the same clicks and the same payloads, with its screenshots.
 * Screenshots go to test/artifacts/tutorial/; with UPDATE_TUTORIAL=1 they also replace the
 * ones in docs/tutorial/ (commit them). The test also fails when the tutorial stops naming what
 * the test clicks, so text, pictures and product move together.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const tutorialFile = path.join(root, 'docs', 'tutorial.md');
const shots = path.join(ARTIFACTS, 'tutorial');
const update = process.env.UPDATE_TUTORIAL === '1';

const FLOW_NAME = 'Book carrier shipment';
const FLOW_ID = 'book-carrier-shipment';

let partner: PartnerServer;
let sandbox: Sandbox;
let runtime: Runtime;
let browser: Browser;
let page: Page;
const tutorial = existsSync(tutorialFile) ? readFileSync(tutorialFile, 'utf8') : '';

async function shot(name: string): Promise<void> {
  const file = path.join(shots, `${name}.png`);
  await page.screenshot({ path: file });
  if (update) copyFileSync(file, path.join(root, 'docs', 'tutorial', `${name}.png`));
}

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
  await page.getByLabel(from, { exact: true }).dragTo(page.getByLabel(to, { exact: true }));
}

async function finished(runId: string): Promise<{ status: string; failure?: { nodeId: string } }> {
  for (let i = 0; i < 100; i++) {
    const { body } = await runtime.api('GET', `/api/runs/${runId}`);
    const run = body as { status: string; failure?: { nodeId: string } };
    if (['succeeded', 'failed'].includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`run ${runId} did not finish`);
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  if (update) mkdirSync(path.join(root, 'docs', 'tutorial'), { recursive: true });
  buildDesigner();
  partner = await startPartner();
  sandbox = await startTestSandbox({ secrets: DEV_SANDBOX_SECRETS });
  runtime = await startRuntime(partner.url, { carrier: sandbox.urls.carrier });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(10_000);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  await sandbox?.stop();
  await partner?.close();
});

describe('docs/tutorial.md', () => {
  it('names what the steps click and shows the screenshots they take', () => {
    for (const words of [
      FLOW_NAME,
      'New flow',
      'Manual trigger',
      'Map fields',
      'HTTP request',
      'Auto-layout',
      '+ Target field',
      'Reference',
      '{"var": "order.number"}',
      '/shipments',
      'Save',
      'Run test',
      'Deploy',
      'Exceptions',
      'Replay from failed step',
      `flows/samples/${FLOW_ID}/released-order.json`,
    ]) {
      expect(tutorial, words).toContain(words);
    }
    const images = [...tutorial.matchAll(/\]\((tutorial\/[\w-]+\.png)\)/g)].map((m) => m[1]);
    expect(images.length).toBeGreaterThanOrEqual(6);
    for (const image of images) {
      expect(existsSync(path.join(root, 'docs', image as string)), image).toBe(true);
    }
  });

  it('from an empty canvas to a successful run and a replayed failure', async () => {
    // 1. A new, empty flow.
    await page.goto(`${runtime.url}/#/flows`);
    await page.getByRole('button', { name: 'New flow' }).click();
    await page.getByRole('dialog').getByLabel('Flow name').fill(FLOW_NAME);
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.locator('.editor__title h1').textContent()).toBe(FLOW_NAME);
    await shot('1-empty-canvas');

    // 2. Three nodes from the palette, wired.
    await drop('Manual trigger', 200, 200);
    await drop('Map fields', 480, 200);
    await drop('HTTP request', 760, 200);
    await wire('Output port Payload of Manual trigger', 'Input port Source of Map fields');
    await wire('Output port Mapped of Map fields', 'Input port Message of HTTP request');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await shot('2-wired');

    // 3. The mapping and the carrier call.
    await card('Map fields').click();
    await page.getByRole('button', { name: '+ Target field' }).click();
    await page.getByLabel('Target 1', { exact: true }).fill('Reference');
    await page
      .getByLabel('Expression for Reference', { exact: true })
      .fill('{"var": "order.number"}');
    await card('HTTP request').click();
    await page.getByLabel('connection').selectOption('carrier');
    await page.getByLabel('path').fill('/shipments');
    await expect
      .poll(() => page.getByRole('region', { name: 'Problems' }).textContent())
      .toMatch(/No problems/);
    await shot('3-configured');

    // 4. Save, then a test run with the sample payload.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /Save version 0\.1\.1/ })
      .click();
    await expect.poll(() => page.locator('.notice').textContent()).toMatch(/Saved/);
    mkdirSync(path.join(runtime.flowsDir, 'samples', FLOW_ID), { recursive: true });
    writeFileSync(
      path.join(runtime.flowsDir, 'samples', FLOW_ID, 'released-order.json'),
      `${JSON.stringify({ order: { number: 'SO-7001' } })}\n`,
    );
    await page.reload();
    await page.getByRole('tab', { name: 'Test run' }).click();
    await page.getByLabel('Sample payload').selectOption('released-order');
    const bookings = () =>
      sandbox.carrier.runtime.received.list({ method: 'POST', path: '/shipments' });
    const before = bookings().length;
    // A test run is safe by default: the carrier is not called, the trace shows what would be sent.
    await page.getByRole('button', { name: 'Run test' }).click();
    await expect
      .poll(() => page.getByRole('status', { name: 'Run status' }).textContent(), {
        timeout: 15_000,
      })
      .toMatch(/succeeded/);
    expect(bookings().length).toBe(before);
    // Run against dev sends for real.
    await page.getByRole('button', { name: 'Run against dev' }).click();
    await expect.poll(() => bookings().length, { timeout: 15_000 }).toBe(before + 1);
    await expect
      .poll(() => page.getByRole('status', { name: 'Run status' }).textContent(), {
        timeout: 15_000,
      })
      .toMatch(/succeeded/);
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await expect
      .poll(() => card('HTTP request').getByRole('status').textContent())
      .toMatch(/succeeded/);
    expect(bookings().at(-1)).toMatchObject({ status: 201, body: { Reference: 'SO-7001' } });
    await shot('4-test-run');

    // 5. Deploy; an order without a number fails at the carrier and lands in Exceptions.
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toMatch(/Deployed .* 0\.1\.1/);
    const started = await runtime.api('POST', `/api/flows/${FLOW_ID}/runs`, { order: {} });
    const runId = (started.body as { runId: string }).runId;
    const failed = await finished(runId);
    expect(failed).toMatchObject({ status: 'failed' });
    await page.goto(`${runtime.url}/#/exceptions`);
    await page.getByRole('link', { name: `Open run ${runId}` }).click();
    const input = page.getByLabel('Replay input');
    await expect.poll(() => input.inputValue()).not.toBe('');
    await shot('5-exception');

    // 6. Replay from the failed step with the number filled in.
    await input.fill('{"Reference": "SO-7002"}');
    await page.getByRole('button', { name: 'Replay from failed step' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toMatch(/Replayed as run/);
    const message = (await page.getByRole('status').first().textContent()) ?? '';
    const replayId = /run (\S+)\.$/.exec(message)?.[1] ?? '';
    expect(await finished(replayId)).toMatchObject({ status: 'succeeded' });
    await page.goto(`${runtime.url}/#/runs/${replayId}`);
    await expect
      .poll(() => card('HTTP request').getByRole('status').textContent())
      .toMatch(/succeeded/);
    expect(
      sandbox.carrier.runtime.received.list({ method: 'POST', path: '/shipments' }).at(-1),
    ).toMatchObject({ status: 201, body: { Reference: 'SO-7002' } });
    await shot('6-replayed');
  }, 90_000);
});
