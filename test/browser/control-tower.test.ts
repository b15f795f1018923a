import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessDocument } from '@crossdock/nodes';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoProcesses, type Scenario, startScenario } from '../scenarios/harness';
import { salesOrder } from '../scenarios/orders';
import { designerDist, launchChromium } from './stack';

const root = fileURLToPath(new URL('../..', import.meta.url));
const shot = (name: string) => path.join(root, 'test/artifacts', name);

/** The sample processes; allocation and invoicing SLAs shortened so breaches show up at once. */
function processes(): ProcessDocument[] {
  return repoProcesses().map((p) => ({
    ...p,
    expectations: p.expectations.map((x) =>
      ['waiting-for-allocation', 'delivered-not-invoiced'].includes(x.id)
        ? { ...x, within: 'PT2S' }
        : x,
    ),
  }));
}

describe('the control tower page', () => {
  // The shared production build (see designerDist).
  let dist: string;
  let s: Scenario;
  let browser: Browser;

  beforeAll(async () => {
    dist = designerDist();
    s = await startScenario('tower-browser', { processes: processes(), designerDist: dist });
    // Four orders: two the WMS refuses (waiting for allocation), one picked, one all the way.
    await s.call('wms', 'POST', '/_control/faults', {
      kind: 'error',
      route: 'POST /fulfillment-orders',
      status: 422,
      times: 2,
    });
    for (const order of ['0000800001', '0000800002', '0000800003', '0000800004']) {
      await s.call('erp', 'POST', '/_control/simulate/release-order', salesOrder(order));
      await s.settle();
    }
    const fos = Object.values(
      (
        s.sandbox.wms.runtime.state as {
          orders: Record<string, { orderId: string; orderRef: string }>;
        }
      ).orders,
    );
    const fo = (ref: string) => fos.find((o) => o.orderRef === ref)?.orderId;
    await s.call('wms', 'POST', '/_control/simulate/pick', { orderId: fo('0000800003') });
    await s.settle();
    for (const step of ['pick', 'pack', 'ship']) {
      await s.call('wms', 'POST', `/_control/simulate/${step}`, {
        orderId: fo('0000800004'),
        cartons: 2,
      });
      await s.settle();
    }
    await new Promise((r) => setTimeout(r, 2_200));
    await s.runtime.tower.tick();
    await s.settle();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('shows the funnel and the breaches by owner, acknowledges one, and drills down to a run', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(10_000);
    await page.goto(`${s.apiUrl}/#/flows`);
    await page.getByRole('link', { name: 'Control tower' }).click();
    await expect.poll(() => page.url()).toContain('#/tower/');
    await page.getByRole('link', { name: 'Order to delivery and invoice' }).click();

    const funnel = page.getByRole('region', { name: 'Stage funnel' });
    await expect.poll(() => funnel.getByTestId('stage-count-released').textContent()).toBe('2');
    const breaches = page.getByTestId('breach-table');
    await expect.poll(() => breaches.locator('tbody tr').count()).toBe(2);
    expect(await breaches.locator('tbody').textContent()).toContain('Waiting for allocation');
    const owners = page.getByRole('region', { name: 'Open breaches by owner' });
    expect(await owners.textContent()).toContain('warehouse-ops');
    await page.screenshot({ path: shot('control-tower-overview.png') });

    // Acknowledged with a comment, it leaves the open breaches on the next refresh.
    const ackedKey = (await breaches.locator('tbody tr td').first().textContent()) ?? '';
    await breaches.locator('tbody tr').first().getByRole('button', { name: 'Acknowledge' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').fill('WMS team is re-sending the order');
    await dialog.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => breaches.locator('tbody tr').count()).toBe(1);
    await page.getByRole('textbox', { name: 'Find order' }).fill(ackedKey);
    await page.getByRole('button', { name: 'Find' }).click();
    const objectBreaches = page.getByRole('region', { name: 'Object breaches' });
    await expect
      .poll(() => objectBreaches.textContent())
      .toContain('WMS team is re-sending the order');
    expect(await objectBreaches.textContent()).toContain('acknowledged');

    // Search by business key: the shipped order's timeline, lane by lane. The route change
    // empties the search box when it renders; typing before that (a loaded machine) is undone.
    await page.getByRole('link', { name: 'Order to delivery and invoice' }).click();
    await expect.poll(() => page.url()).not.toContain(encodeURIComponent(ackedKey));
    await funnel.waitFor();
    const find = page.getByRole('textbox', { name: 'Find order' });
    await expect.poll(() => find.inputValue()).toBe('');
    await find.fill('0000800004');
    await page.getByRole('button', { name: 'Find' }).click();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByTestId('milestone-shipped').waitFor();
    for (const m of ['released', 'fulfillment-created', 'picked', 'packed', 'tendered']) {
      expect(await timeline.getByTestId(`milestone-${m}`).count()).toBe(1);
    }
    expect(await timeline.textContent()).toContain('Still to come');
    await page.screenshot({ path: shot('control-tower-timeline.png'), fullPage: true });

    // A milestone opens the run that recorded it.
    await timeline.getByTestId('milestone-packed').click();
    await expect.poll(() => page.url()).toContain('#/runs/run_');
    await page.getByText('wms-pack-confirmed').first().waitFor();
    await page.screenshot({ path: shot('control-tower-run.png') });
    await page.close();
  });

  it('draws the process and edits it: a bad duration is refused beside the field, the fixed one deploys a version', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.setDefaultTimeout(10_000);
    await page.goto(`${s.apiUrl}/#/tower/order-to-cash`);
    await page.getByRole('button', { name: 'Process definition' }).click();
    const editor = page.getByRole('region', { name: 'Process definition' });
    await editor.getByTestId('milestone-box-invoiced').waitFor();
    expect(await editor.locator('[data-testid^="milestone-box-"]').count()).toBe(9);
    // Process order: tendered and accepted before shipped (what the sandbox flows do).
    const boxes = await editor
      .locator('[data-testid^="milestone-box-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(boxes.indexOf('milestone-box-accepted')).toBeLessThan(
      boxes.indexOf('milestone-box-shipped'),
    );
    await editor.getByTestId('expectation-arrow-waiting-for-allocation').waitFor();
    await page.screenshot({ path: shot('control-tower-process.png'), fullPage: true });

    await editor.getByRole('button', { name: 'Add expectation' }).click();
    const form = editor.getByRole('region', { name: 'Expectation' });
    await form.getByRole('textbox', { name: 'Expectation name' }).fill('Packed but not invoiced');
    await form.getByRole('combobox', { name: 'After' }).selectOption('packed');
    await form.getByRole('combobox', { name: 'Expect' }).selectOption('invoiced');
    await form.getByRole('textbox', { name: 'Owner' }).fill('finance');
    await form.getByRole('textbox', { name: 'Within' }).fill('in a week');
    const error = form.locator('[data-path="expectations.6.within"]');
    await expect.poll(() => error.textContent()).toContain('is not an ISO 8601 duration');
    const save = editor.getByRole('button', { name: 'Save and deploy' });
    expect(await save.isDisabled()).toBe(true);
    await page.screenshot({ path: shot('control-tower-process-error.png'), fullPage: true });

    await form.getByRole('textbox', { name: 'Within' }).fill('P7D');
    await expect.poll(() => error.count()).toBe(0);
    expect(await editor.getByTestId('expectation-arrow-new-expectation').count()).toBe(1);
    await save.click();
    await page.getByText('Version 1.1.1 deployed and active').first().waitFor();
    await editor.getByText('active version 1.1.1').waitFor();
    await page.screenshot({ path: shot('control-tower-process-saved.png'), fullPage: true });

    const headers = { authorization: 'Bearer crossdock-dev-admin' };
    const active = (await (
      await fetch(`${s.apiUrl}/api/processes/order-to-cash`, { headers })
    ).json()) as ProcessDocument;
    expect(active.version).toBe('1.1.1');
    expect(active.expectations.at(-1)).toMatchObject({
      name: 'Packed but not invoiced',
      after: 'packed',
      expect: 'invoiced',
      within: 'P7D',
      owner: 'finance',
    });
    const versions = (await (
      await fetch(`${s.apiUrl}/api/processes/order-to-cash/versions`, { headers })
    ).json()) as { versions: { version: string; active?: boolean; deployedBy: string }[] };
    expect(versions.versions[0]).toMatchObject({ version: '1.1.1', active: true });
    await page.close();
  });
});
