import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario } from '../scenarios/harness';
import { salesOrder } from '../scenarios/orders';
import { designerDist, launchChromium } from './stack';

const root = fileURLToPath(new URL('../..', import.meta.url));
const shot = (name: string) => path.join(root, 'test/artifacts', name);
const FLOW = 'erp-order-release';

describe('the shadows page', () => {
  // The shared production build (see designerDist).
  let dist: string;
  let s: Scenario;
  let browser: Browser;

  beforeAll(async () => {
    dist = designerDist();
    s = await startScenario('shadow-browser', {
      designerDist: dist,
      environment: (dev) => {
        dev.settings = {
          ...dev.settings,
          cutover: { minRuns: 500, minIdenticalPercent: 99.5, requireForPromotion: true },
        };
      },
    });
    // The analyst's working copy is the new version; the runtime runs 1.0.0.
    writeFileSync(
      path.join(s.runtime.config.flowsDir, `${FLOW}.flow.json`),
      readFileSync(path.join(root, 'flows/candidates', `${FLOW}.flow.json`)),
    );
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('starts a shadow of the working copy, shows the differing field with both runs, and stops it', {
    timeout: 90_000,
  }, async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(15_000);
    await page.goto(`${s.apiUrl}/#/flows`);
    await page.getByRole('link', { name: 'Shadows' }).click();
    await page.getByRole('combobox', { name: 'Flow' }).selectOption(FLOW);
    const form = page.getByRole('region', { name: 'Start a shadow' });
    await form.getByRole('textbox', { name: /Ignore fields/ }).fill('requestedShipDate');
    await form.getByRole('button', { name: 'Shadow 1.1.0' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/shadows\/erp-order-release\/shd_/);

    // 40 orders, 3 of them from the plant the new version maps differently.
    for (let i = 1; i <= 40; i += 1) {
      const order = salesOrder(
        String(900_000 + i).padStart(10, '0'),
        i % 13 === 0 ? { WERKS: 'PLANT-3000' } : {},
      );
      await s.call('erp', 'POST', '/_control/simulate/release-order', order);
    }
    await s.settle(60_000);

    const report = page.getByRole('region', { name: 'Report' });
    await expect
      .poll(() => report.getByTestId('count-compared').textContent(), { timeout: 15_000 })
      .toContain('40');
    expect(await report.getByTestId('count-differing').textContent()).toContain('3');
    const fields = report.getByTestId('field-table');
    expect(await fields.locator('tbody tr').count()).toBe(1);
    expect(await fields.textContent()).toContain('body.warehouse');
    expect(await fields.textContent()).toContain('DC-MAIN → DC-SOUTH');
    expect(await report.getByTestId('difference-table').locator('tbody tr').count()).toBe(3);
    const cutover = page.getByRole('region', { name: 'Cutover criterion' });
    expect(await cutover.textContent()).toContain('not met');
    expect(await cutover.textContent()).toContain('40 of 500 runs compared');
    await page.screenshot({ path: shot('shadows-report.png'), fullPage: true });

    // An example opens the shadow run: its WMS step sent nothing, it shows what it would have.
    await fields.getByRole('link', { name: 'run 1.1.0' }).first().click();
    await expect.poll(() => page.url()).toContain('#/runs/run_');
    await page.getByText(FLOW).first().waitFor();
    await page.locator('.react-flow__node').first().waitFor();
    expect(await page.getByText('not sent').count()).toBe(1);
    await page.screenshot({ path: shot('shadows-run.png') });
    await page.goBack();

    await page.getByRole('button', { name: 'Stop shadow' }).click();
    const list = page.getByRole('region', { name: 'Shadows of this flow' });
    await expect.poll(() => list.textContent()).toContain('stopped');
    await page.screenshot({ path: shot('shadows-stopped.png') });
    expect(s.sandbox.wms.runtime.received.list({})).toHaveLength(40);
    await page.close();
  });
});
