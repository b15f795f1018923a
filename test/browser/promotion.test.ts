import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type Runtime } from '@crossdock/runtime';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveChecked } from '../api-contract';
import {
  cleanRedis,
  edge,
  flowDoc,
  flowsDirFor,
  httpNode,
  node,
  startTestServer,
  type TestServer,
  testRuntime,
  uniquePrefix,
  waitForRun,
} from '../runtime/helpers';
import { designerDist, launchChromium } from './stack';

const root = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'admin-browser-key-01';

describe('the designer parts of promotion', () => {
  // The shared production build (see designerDist).
  let dist: string;
  const prefix = uniquePrefix('browser-test-case');
  let partner: TestServer;
  let flows: { dir: string; remove(): void };
  let runtime: Runtime;
  let server: Server;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    dist = designerDist();
    partner = await startTestServer();
    flows = flowsDirFor(partner.url);
    runtime = testRuntime({
      prefix,
      flowsDir: flows.dir,
      env: {
        CROSSDOCK_ENV: 'dev',
        CROSSDOCK_API_KEYS: `admin:${KEY}`,
        TEST_API_TOKEN: 'tok-secret-1',
      },
    });
    runtime.startWorker(1);
    server = serveChecked(createApp(runtime, { designerDist: dist }));
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 120_000);

  /** A page signed in with the admin key (the runtime has keys, so the designer asks for one). */
  async function signedIn() {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(`sessionStorage.setItem('crossdock.apiKey', ${JSON.stringify(KEY)})`);
    return page;
  }

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => {
      server?.closeAllConnections();
      server?.close(() => resolve());
    });
    await runtime?.close();
    await partner?.close();
    await cleanRedis(prefix);
    flows?.remove();
  });

  it('writes flows/tests/<flow>/<name>.json from the button, without the secret', async () => {
    const flow = flowDoc(
      'browser-cases',
      [node('start', 'trigger.manual'), httpNode('send', '/orders')],
      [edge('start', 'send')],
    );
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
    const put = await fetch(`${url}/api/flows/browser-cases`, {
      method: 'PUT',
      headers,
      body: JSON.stringify(flow),
    });
    expect(put.status).toBe(201);
    const started = (await (
      await fetch(`${url}/api/flows/browser-cases/runs`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ orderRef: 'B-1' }),
      })
    ).json()) as { runId: string };
    expect((await waitForRun(runtime, started.runId)).status).toBe('succeeded');

    const page = await signedIn();
    page.setDefaultTimeout(10_000);
    await page.goto(`${url}/#/runs/${started.runId}`);
    await page.getByRole('button', { name: 'Save as test case' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Test case name').fill('Bad Name');
    expect(await dialog.getByRole('button', { name: 'Save test case' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Test case name').fill('order-b1');
    await dialog.getByRole('button', { name: 'Save test case' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Saved as' }).textContent())
      .toContain('flows/tests/browser-cases/order-b1.json');
    const file = path.join(flows.dir, 'tests', 'browser-cases', 'order-b1.json');
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text).recordings[0].nodeId).toBe('send');
    expect(text).not.toContain('tok-secret-1');
    await page.close();
  }, 60_000);

  it('draws the diff between two deployed versions on the canvas', async () => {
    const version = (v: string, weight: number, extra: boolean) => {
      const nodes = [
        node('start', 'trigger.manual', {}, { position: { x: 0, y: 0 } }),
        node(
          'heavy',
          'rule.filter',
          { condition: { '>': [{ var: 'weight' }, weight] } },
          { position: { x: 300, y: 0 } },
        ),
      ];
      const edges = [edge('start', 'heavy')];
      if (extra) {
        nodes.push(
          node(
            'shape',
            'mapping.map',
            { fields: [{ target: 'kg', expression: { var: 'weight' } }] },
            { position: { x: 600, y: 0 } },
          ),
        );
        edges.push(edge('heavy', 'shape'));
      }
      return { ...flowDoc('weights', nodes, edges), version: v };
    };
    for (const doc of [version('1.0.0', 30, false), version('1.1.0', 25, true)]) {
      const res = await fetch(`${url}/api/flows/weights`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(doc),
      });
      expect(res.status).toBe(201);
    }
    const page = await signedIn();
    page.setDefaultTimeout(10_000);
    await page.goto(`${url}/#/compare/weights/1.0.0/1.1.0`);
    const changes = page.getByRole('region', { name: 'Changes' });
    await expect.poll(() => changes.textContent()).toContain('weight > 25');
    const text = (await changes.textContent()) ?? '';
    expect(text).toContain('weight > 30');
    expect(text).toMatch(/shape/i);
    const outline = (id: string) =>
      page
        .locator(`.react-flow__node[data-id="${id}"]`)
        .evaluate(
          (el) =>
            (
              globalThis as unknown as { getComputedStyle(e: unknown): { outlineStyle: string } }
            ).getComputedStyle(el).outlineStyle,
        );
    await expect.poll(() => outline('heavy')).toBe('solid');
    expect(await outline('shape')).toBe('solid');
    expect(await outline('start')).toBe('none');
    await page.screenshot({ path: path.join(root, 'test/artifacts/version-compare.png') });
    await page.close();
  }, 60_000);
});
