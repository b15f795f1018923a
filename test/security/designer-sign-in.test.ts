import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatFlow } from '@crossdock/nodes';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchChromium } from '../browser/stack';
import { type AppUnderTest, buildDesignerInto, hookFlow, KEYS, startApp } from './harness';

let serve: AppUnderTest;
let dist: { dir: string; remove(): void };
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dist = buildDesignerInto();
  // Development with keys configured: the case where the designer used to get the admin key.
  serve = await startApp({ name: 'sign-in', designerDist: dist.dir });
  const flow = hookFlow('partner-orders', 'partner/orders');
  flow.nodes = flow.nodes.map((n, i) => ({ ...n, position: { x: i * 320, y: 0 } }));
  writeFileSync(path.join(serve.flowsDir, 'partner-orders.flow.json'), formatFlow(flow));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(10_000);
  // Every CSP refusal (an eval, an inline script or style, a foreign fetch) is recorded: Chromium
  // does not always say so on the console.
  await page.addInitScript(
    "window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI))",
  );
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  dist?.remove();
});

// A string, so this file needs no DOM types: it runs in the page.
const storedKey = () => page.evaluate<string | null>("sessionStorage.getItem('crossdock.apiKey')");

describe('issue 11.1: with keys configured, the designer asks for one', () => {
  it('signs in with a checked key kept in the session, signs out, and the CSP lets it all run', async () => {
    await page.goto(`${serve.url}/#/flows`);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Sign in to Crossdock' }).isVisible())
      .toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'security-sign-in.png') });

    await page.getByLabel('API key').fill('not-a-key-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('does not know');
    expect(await storedKey()).toBeNull();
    await page.screenshot({ path: path.join(ARTIFACTS, 'security-sign-in-wrong-key.png') });

    await page.getByLabel('API key').fill(KEYS.analyst);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByText('partner-orders').first().isVisible()).toBe(true);
    expect(await storedKey()).toBe(KEYS.analyst);

    // The editor and the inspector's schema form (Ajv) work under the CSP.
    await page.goto(`${serve.url}/#/flows/partner-orders`);
    await page.getByRole('group', { name: 'Node hook', exact: true }).click();
    await expect
      .poll(() => page.getByRole('complementary', { name: 'Inspector' }).textContent())
      .toContain('path');
    await page.screenshot({ path: path.join(ARTIFACTS, 'security-signed-in-editor.png') });
    expect(await page.evaluate<string[]>('window.__csp')).toEqual([]);

    // A reload keeps the session; signing out forgets the key.
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Sign in to Crossdock' }).isVisible())
      .toBe(true);
    expect(await storedKey()).toBeNull();
    expect(await page.evaluate<string[]>('window.__csp')).toEqual([]);
  });

  it('a key the runtime stops accepting sends the user back to sign in, saying why', async () => {
    await page.evaluate("sessionStorage.setItem('crossdock.apiKey', 'revoked-key-0001')");
    await page.goto(`${serve.url}/#/flows`);
    await page.reload();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('sign in again');
    expect(await storedKey()).toBeNull();
  });
});
