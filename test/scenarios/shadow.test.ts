import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FlowDocument } from '@crossdock/nodes';
import { promoteCommand, type ShadowReport } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario } from './harness';
import { salesOrder } from './orders';

const ORDERS = 1000;
const FLOW = 'erp-order-release';
const key = { authorization: 'Bearer crossdock-dev-admin', 'content-type': 'application/json' };
const candidate = JSON.parse(
  readFileSync(new URL(`../../flows/candidates/${FLOW}.flow.json`, import.meta.url), 'utf8'),
) as FlowDocument;

/** Order i: every 250th (from the 7th) ships from the new plant, every 100th (from the 50th) has no country. */
const fromNewPlant = (i: number) => i % 250 === 7;
const withoutCountry = (i: number) => i % 100 === 50;
const vbeln = (i: number) => String(700_000 + i).padStart(10, '0');

let s: Scenario;
beforeAll(async () => {
  s = await startScenario('shadow', {
    concurrency: 50,
    environment: (dev) => {
      // The WMS limit of the dev file (50/s) would make the active runs the slow part.
      const wms = dev.connections.wms;
      if (wms) wms.rateLimit = { max: 5000, windowMs: 1000 };
      dev.settings = {
        ...dev.settings,
        cutover: {
          minRuns: 500,
          minIdenticalPercent: 99.5,
          fields: ['body.lines[].uom'],
          requireForPromotion: true,
        },
      };
    },
  });
});
afterAll(async () => {
  await s?.stop();
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${s.apiUrl}/api${path}`, {
    method,
    headers: key,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

const candidateFile = fileURLToPath(
  new URL(`../../flows/candidates/${FLOW}.flow.json`, import.meta.url),
);

/** `crossdock promote <candidate> --to dev` against this scenario's runtime; exit code and output. */
async function promoteCli(dryRun: boolean): Promise<{ code: number; output: string }> {
  const output: string[] = [];
  const code = await promoteCommand(candidateFile, {
    to: 'dev',
    url: s.apiUrl,
    key: 'crossdock-dev-admin',
    commit: 'abc1234',
    flowsDir: s.runtime.config.flowsDir,
    processEnv: {},
    dryRun,
    write: (t) => output.push(t),
  });
  return { code, output: output.join('') };
}

async function release(from: number, to: number): Promise<void> {
  const batch: Promise<unknown>[] = [];
  for (let i = from; i <= to; i += 1) {
    const overrides: Record<string, unknown> = {};
    if (fromNewPlant(i)) overrides.WERKS = 'PLANT-3000';
    if (withoutCountry(i)) {
      overrides.WE = { NAME1: 'Kiosk 7', STRAS: 'Markt 1', ORT01: 'Kiel', PSTLZ: '24103' };
    }
    batch.push(
      s.call('erp', 'POST', '/_control/simulate/release-order', salesOrder(vbeln(i), overrides)),
    );
    if (batch.length === 50) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
}

describe('a shadow of the changed order release against 1,000 sandbox orders', () => {
  it('finds exactly the orders whose WMS request differs, sends nothing, and gates promotion', {
    timeout: 240_000,
  }, async () => {
    const started = await api('POST', `/flows/${FLOW}/shadows`, {
      version: candidate.version,
      flow: candidate,
      ignore: ['requestedShipDate'],
    });
    expect(started.status).toBe(201);
    const shadowId = String(started.body.id);
    expect(started.body).toMatchObject({
      activeVersion: '1.0.0',
      version: '1.1.0',
      status: 'running',
    });

    // No shadow run compared yet: the environment's criterion refuses the promotion.
    const early = await api('POST', '/promotions', { flow: candidate });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'cutover-not-met' });

    let t = Date.now();
    const lap = (what: string) => {
      process.stdout.write(`  ${what}: ${Date.now() - t} ms\n`);
      t = Date.now();
    };
    await release(1, 250);
    lap('released 250');
    await s.settle(120_000);
    lap('settled 250');
    const partial = (await api('GET', `/flows/${FLOW}/shadows/${shadowId}`))
      .body as unknown as ShadowReport;
    expect(partial.counts.compared).toBe(250);
    expect(partial.cutover?.met).toBe(false);
    expect(partial.cutover?.checks[0]).toMatchObject({ name: 'runs', met: false });
    expect((await api('POST', '/promotions', { flow: candidate })).status).toBe(409);
    const refused = await promoteCli(false);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`cutover criterion of dev: not met (shadow ${shadowId})`);
    expect(refused.output).toContain('NO  250 of 500 runs compared');
    expect(refused.output).toMatch(
      /refused: dev promotes erp-order-release only once a shadow of 1\.1\.0 meets/,
    );

    await release(251, ORDERS);
    lap('released 750');
    await s.settle(180_000);
    lap('settled 750');
    const report = (await api('GET', `/flows/${FLOW}/shadows/${shadowId}?limit=5000`))
      .body as unknown as ShadowReport;

    const expected = Array.from({ length: ORDERS }, (_, i) => i + 1)
      .filter(fromNewPlant)
      .map(vbeln);
    const found = report.differences.map((d) => d.businessKeys.order).sort();
    process.stdout.write(
      `shadow scenario: ${report.counts.mirrored} mirrored, ${report.counts.compared} compared, ${report.counts.identical} identical, ${report.counts.differing} differing (${found.join(', ')}); cutover ${report.cutover?.met ? 'met' : 'not met'}\n`,
    );
    expect(report.counts).toEqual({
      mirrored: ORDERS,
      compared: ORDERS,
      identical: ORDERS - expected.length,
      differing: expected.length,
      onlyInA: 0,
      onlyInB: 0,
    });
    expect(found).toEqual(expected);
    for (const d of report.differences) {
      expect(d.differences).toEqual([
        { field: 'body.warehouse', a: 'DC-MAIN', b: 'DC-SOUTH', nodeId: 'n-create-fo' },
      ]);
      expect(d.aStatus).toBe('succeeded');
      expect(d.bStatus).toBe('succeeded');
    }
    expect(report.fields).toHaveLength(1);
    expect(report.fields[0]).toMatchObject({ field: 'body.warehouse', count: expected.length });
    expect(report.fields[0]?.examples).toHaveLength(4);
    expect(report.timeline.reduce((n, t) => n + (t.counts.differing ?? 0), 0)).toBe(
      expected.length,
    );

    // The sandbox received the active version's requests only: one create per complete order,
    // one hold per incomplete one, and nothing from the 1,000 shadow runs.
    const holds = Array.from({ length: ORDERS }, (_, i) => i + 1).filter(withoutCountry).length;
    const wms = s.sandbox.wms.runtime.received.list({});
    const erp = s.sandbox.erp.runtime.received
      .list({})
      .filter((r) => !r.path.startsWith('/_control'));
    expect(wms).toHaveLength(ORDERS - holds);
    expect(wms.every((r) => r.method === 'POST' && r.path === '/fulfillment-orders')).toBe(true);
    expect(new Set(wms.map((r) => (r.body as { orderRef: string }).orderRef)).size).toBe(
      ORDERS - holds,
    );
    expect(wms.filter((r) => (r.body as { warehouse: string }).warehouse === 'DC-SOUTH')).toEqual(
      [],
    );
    expect(erp).toHaveLength(holds);
    expect(erp.every((r) => r.method === 'PUT' && r.path.endsWith('/hold'))).toBe(true);
    expect(s.sandbox.tms.runtime.received.list({})).toEqual([]);

    // 996 of 1,000 identical (99.6%) and the listed field never differed: the promotion goes in.
    expect(report.cutover).toMatchObject({ met: true });
    const ready = await promoteCli(true);
    expect(ready.output).toContain(`cutover criterion of dev: met (shadow ${shadowId})`);
    expect(ready.output).toContain('ok  99.6% identical (needs 99.5%)');
    expect(ready.code).toBe(0);
    const promoted = await api('POST', '/promotions', { flow: candidate });
    expect(promoted.status).toBe(201);
    expect(promoted.body.cutover).toMatchObject({ met: true, required: true, shadowId });
    expect((await s.runtime.flows.latest(FLOW))?.flow.version).toBe('1.1.0');
  });
});
