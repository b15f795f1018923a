/**
 * Designer benchmark: opens a generated 1,000-node flow in Chromium and prints the time until the
 * canvas is interactive and the validator's time after an edit. Targets: < 1,500 ms and < 50 ms.
 * Serves the built designer itself, with the flow file at the runtime's flow-files path.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalog, formatFlow, validateFlow } from '@crossdock/nodes';
import { chromium } from 'playwright-core';
import { generateFlow } from './generate-flow';

const SIZE = Number(process.env.BENCH_NODES ?? 1000);
const designerDir = fileURLToPath(new URL('..', import.meta.url));
const dist = join(designerDir, 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Counts animation frames while wheel-zooming the canvas for 30 frames. */
const FPS_SCRIPT = `(async () => {
  const pane = document.querySelector('.react-flow__pane');
  if (!pane) return 0;
  let frames = 0;
  let running = true;
  const count = () => { frames++; if (running) requestAnimationFrame(count); };
  requestAnimationFrame(count);
  const t = performance.now();
  for (let i = 0; i < 30; i++) {
    pane.dispatchEvent(new WheelEvent('wheel', { deltaY: i % 2 ? 60 : -60, clientX: 700, clientY: 400, bubbles: true }));
    await new Promise((r) => requestAnimationFrame(r));
  }
  running = false;
  return (frames * 1000) / (performance.now() - t);
})()`;

const RUNS = 5;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main() {
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], {
    cwd: designerDir,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('vite build failed');
  const flow = generateFlow(SIZE);
  const text = formatFlow(flow);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://bench').pathname;
    if (path === '/designer-config.json') return json(res, 200, { apiKey: 'bench' });
    if (path === `/api/flow-files/${flow.id}`) {
      return json(res, 200, { id: flow.id, text, flow, diagnostics: [], updatedAt: null });
    }
    if (path === `/api/flow-files/${flow.id}/samples`) return json(res, 200, { samples: [] });
    if (path.startsWith('/api/'))
      return json(res, 404, { error: { code: 'not-found', message: path } });
    const file = normalize(join(dist, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dist) || !existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const base = `http://127.0.0.1:${port}/`;
    // Warm the HTTP cache, as a returning analyst has it.
    const warm = await context.newPage();
    await warm.goto(`${base}#/flows`);
    await warm.waitForSelector('.topbar');
    await warm.close();

    const ttis: number[] = [];
    let rendered = 0;
    let page = await context.newPage();
    for (let run = 0; run < RUNS; run++) {
      if (run > 0) {
        await page.close();
        page = await context.newPage();
      }
      const started = Date.now();
      await page.goto(`${base}#/flows/${flow.id}`);
      await page.getByLabel('Node Start', { exact: true }).click();
      await page.getByRole('textbox', { name: 'Node name' }).waitFor();
      ttis.push(Date.now() - started);
      rendered = await page.locator('.react-flow__node').count();
    }

    const validations: number[] = [];
    const name = page.getByRole('textbox', { name: 'Node name' });
    for (let edit = 0; edit < RUNS; edit++) {
      await page.evaluate(() => performance.clearMeasures('crossdock:validate'));
      await name.fill(`Start (edit ${edit})`);
      await page.waitForFunction(
        () => performance.getEntriesByName('crossdock:validate').length > 0,
      );
      validations.push(
        await page.evaluate(
          () => performance.getEntriesByName('crossdock:validate').at(-1)?.duration ?? Number.NaN,
        ),
      );
    }
    const tti = median(ttis);
    const validateMs = median(validations);

    const nodeDiagnostics = validateFlow(flow, catalog).length;
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) validateFlow(flow, catalog);
    const nodeMs = (performance.now() - t0) / 20;

    // A string, not a function: the TS runner's helpers must not leak into the page.
    const fps = Number(await page.evaluate(FPS_SCRIPT));

    console.log(
      `designer bench: ${SIZE}-node flow (${flow.edges.length} edges, ${nodeDiagnostics} diagnostics)`,
    );
    console.log(
      `  time to interactive (load -> node selected), median of ${RUNS}: ${tti} ms   target < 1500 ms  (runs ${ttis.join(', ')}; ${rendered} cards in the DOM)`,
    );
    console.log(
      `  validation after an edit, median of ${RUNS}:          ${validateMs.toFixed(1)} ms   target < 50 ms  (runs ${validations.map((v) => v.toFixed(1)).join(', ')})`,
    );
    console.log(`  validation in Node, mean of 20, for comparison:  ${nodeMs.toFixed(1)} ms`);
    console.log(`  frames per second while wheel-zooming the canvas: ${fps.toFixed(0)}`);
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
