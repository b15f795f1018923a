import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario } from '../scenarios/harness';
import { designerDist, launchChromium } from './stack';

const root = fileURLToPath(new URL('../..', import.meta.url));
const shot = (name: string) => path.join(root, 'test/artifacts', name);

async function control(s: Scenario, system: 'erp' | 'wms', p: string, body: unknown) {
  const response = await fetch(`${s.sandbox.urls[system]}/_control/drift${p}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`${system} ${p}: ${response.status}`);
}

describe('the reconciliation page', () => {
  // The shared production build (see designerDist).
  let dist: string;
  let s: Scenario;
  let browser: Browser;
  const skus = ['MAT-101', 'MAT-102', 'MAT-103', 'MAT-104', 'MAT-105', 'MAT-106'];

  beforeAll(async () => {
    dist = designerDist();
    s = await startScenario('reconcile-browser', { designerDist: dist });
    for (const [i, sku] of skus.entries()) {
      const kg = 2 + i;
      await s.call('erp', 'PUT', `/materials/${sku}`, {
        MAKTX: `Trail shoe ${40 + i}`,
        BRGEW: kg,
        EAN11: `400638133${String(i).padStart(4, '0')}`,
      });
      await s.call('wms', 'PUT', `/items/${sku}`, {
        weightLb: Math.round((kg / 0.45359237) * 1000) / 1000,
        gtin: `400638133${String(i).padStart(4, '0')}`,
      });
    }
    // An earlier run where all agreed, then three weights and a GTIN drift in the WMS.
    await s.runtime.reconciliations.run('item-master-erp-wms', 'manual');
    await control(s, 'wms', '/items/MAT-102', { weightLb: 12.5 });
    await control(s, 'wms', '/items/MAT-104', { weightLb: 30 });
    await control(s, 'wms', '/items/MAT-105', { weightLb: 1, gtin: '4006381330099' });
    await s.runtime.reconciliations.run('item-master-erp-wms', 'manual');
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('shows the latest run, the drifts with the system of record, the trend; approves and accepts', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(10_000);
    await page.goto(`${s.apiUrl}/#/flows`);
    await page.getByRole('link', { name: 'Reconciliation' }).click();
    await page.getByRole('link', { name: /Item master: ERP/ }).click();
    await expect.poll(() => page.url()).toContain('#/reconciliations/item-master-erp-wms');

    const table = page.getByTestId('difference-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    expect(await page.getByTestId('count-different').textContent()).toBe('3');
    const drifted = table.locator('tr[data-key="MAT-105"]');
    expect(await drifted.textContent()).toContain('ERP 4006381330004');
    expect(await drifted.textContent()).toContain('WMS 0.454 (1 as read)');
    expect(await drifted.textContent()).toContain('WMS 4006381330099');
    expect(await page.getByRole('img', { name: /last 2 runs/ }).count()).toBe(1);
    await page.screenshot({ path: shot('reconciliation-drift.png') });

    // Approve one (the correction flow pushes the ERP weight), accept another.
    await table.getByRole('button', { name: 'Approve correction of MAT-102' }).click();
    await expect
      .poll(() => table.locator('tr[data-key="MAT-102"]').textContent())
      .toContain('approved');
    await table.getByRole('button', { name: 'Accept drift of MAT-104' }).click();
    await expect
      .poll(() => table.locator('tr[data-key="MAT-104"]').textContent())
      .toContain('accepted');
    await s.settle();
    const item = await s.call<{ weightLb: number }>('wms', 'GET', '/items/MAT-102');
    expect(item.weightLb).toBeCloseTo(3 / 0.45359237, 3);

    // Run now: MAT-102 agrees again; the trend has a third bar.
    await page.getByRole('button', { name: 'Run now' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    expect(await page.getByRole('img', { name: /last 3 runs/ }).count()).toBe(1);
    expect(await table.locator('tr[data-key="MAT-104"]').textContent()).toContain('accepted');
    const streams = page.getByRole('navigation', { name: 'Streams' });
    await expect.poll(() => streams.textContent()).toContain('2 of 6 differ');
    await page.screenshot({ path: shot('reconciliation-decided.png') });
    const audit = await s.runtime.reconciliations.audit('item-master-erp-wms', 10);
    expect(audit.map((d) => [d.key, d.action])).toEqual([
      ['MAT-104', 'accept'],
      ['MAT-102', 'approve'],
    ]);
    await page.close();
  });
});
