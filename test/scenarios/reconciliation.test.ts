import { readFileSync } from 'node:fs';
import { reconcileCommand } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario } from './harness';

// Done when (#14): the sandbox WMS and ERP disagree on 17 of 500 order statuses and 5 of 200
// on-hand quantities, and the report lists exactly those; a drift on 3 item weights is found,
// one correction approved and pushed (the sandbox then agrees), one accepted; the audit shows
// both. Real runtime, real Redis, real sandbox.

const keys = {
  viewer: 'viewer-key-reconcile',
  operator: 'operator-key-reconcile',
};

let s: Scenario;
const salesOrder = new URL('../../sandbox/examples/sales-order.json', import.meta.url);

async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; key?: string; user?: string } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${s.apiUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${init.key ?? keys.operator}`,
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.user ? { 'x-crossdock-user': init.user } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function drift(system: 'erp' | 'wms', path: string, body: unknown): Promise<void> {
  const response = await fetch(`${s.sandbox.urls[system]}/_control/drift${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

async function inBatches<T>(items: T[], each: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += 50) await Promise.all(items.slice(i, i + 50).map(each));
}

interface Difference {
  key: string;
  tower?: string;
  status: string;
  fields: { field: string; left: unknown; right: unknown }[];
  drift?: {
    systemOfRecord: { system: string };
    drifted: { system: string };
    fields: { field: string; systemOfRecord: unknown; drifted: unknown }[];
  };
  decision: { action: string } | null;
}

interface Run {
  id: string;
  status: string;
  error?: string;
  counts: {
    keys: number;
    equal: number;
    different: number;
    missingLeft: number;
    missingRight: number;
  };
  differences: Difference[];
}

const orderNumbers = Array.from({ length: 500 }, (_, i) => String(8_000_000 + i).padStart(10, '0'));
const skus = Array.from({ length: 20 }, (_, i) => `MAT-${String(i + 1).padStart(3, '0')}`);

beforeAll(async () => {
  s = await startScenario('reconcile', {
    env: { CROSSDOCK_API_KEYS: `viewer:${keys.viewer},operator:${keys.operator}` },
  });
  // 500 orders released in the ERP and allocated in the WMS: the statuses agree. The last one
  // goes the real way (ERP release -> Crossdock flow -> WMS), so the control tower knows it.
  await inBatches(orderNumbers.slice(0, -1), async (vbeln) => {
    await s.call('erp', 'POST', '/orders', {
      VBELN: vbeln,
      KUNNR: 'C100',
      WERKS: 'DC01',
      WE: { NAME1: 'Store', STRAS: 'Main St 1', ORT01: 'Columbus', PSTLZ: '43004', LAND1: 'US' },
      ITEMS: [{ MATNR: 'MAT-001', KWMENG: 2, VRKME: 'ST' }],
    });
    await s.call('erp', 'PATCH', `/orders/${vbeln}/status`, { status: 'REL', reason: 'released' });
    await s.call('wms', 'POST', '/fulfillment-orders', {
      orderRef: vbeln,
      warehouse: 'DC01',
      shipTo: {
        name: 'Store',
        street: 'Main St 1',
        city: 'Columbus',
        postalCode: '43004',
        country: 'US',
      },
      lines: [{ sku: 'MAT-001', qty: 2, uom: 'EA' }],
    });
  });
  const released = JSON.parse(readFileSync(salesOrder, 'utf8')) as Record<string, unknown>;
  await fetch(`${s.sandbox.urls.erp}/_control/simulate/release-order`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...released, VBELN: orderNumbers[499] }),
  });
  await s.settle();
  // 200 on-hand quantities (20 items x 10 locations), equal on both sides.
  const stock = skus.flatMap((sku, i) =>
    Array.from({ length: 10 }, (_, j) => ({
      sku,
      warehouse: `DC${String(j + 1).padStart(2, '0')}`,
      qty: 10 * i + j,
    })),
  );
  await drift('wms', '/inventory', {
    inventory: stock.map((r) => ({ warehouse: r.warehouse, sku: r.sku, onHandQty: r.qty })),
  });
  await drift('erp', '/stock', {
    stock: stock.map((r) => ({ MATNR: r.sku, WERKS: r.warehouse, LABST: r.qty })),
  });
  // The item master: ERP kilograms and centimetres, the WMS the same in pounds and inches.
  await inBatches(skus, async (sku) => {
    const n = Number(sku.slice(-3));
    const kg = 1 + n / 4;
    await s.call('erp', 'PUT', `/materials/${sku}`, {
      MAKTX: `Material ${n}`,
      MEINS: 'ST',
      BRGEW: kg,
      LAENG: 30,
      BREIT: 20,
      HOEHE: 10,
      EAN11: `4006381${String(n).padStart(6, '0')}`,
    });
    await s.call('wms', 'PUT', `/items/${sku}`, {
      description: `Material ${n}`,
      uom: 'EA',
      weightLb: Math.round((kg / 0.45359237) * 1000) / 1000,
      lengthIn: 11.81,
      widthIn: 7.87,
      heightIn: 3.94,
      gtin: `4006381${String(n).padStart(6, '0')}`,
    });
  });
}, 120_000);

afterAll(async () => {
  await s?.stop();
});

describe('system reconciliation and master-data drift against the sandbox', () => {
  const statusDrifts = [
    3, 17, 41, 58, 99, 120, 161, 200, 233, 250, 301, 333, 370, 404, 444, 480, 499,
  ];
  const onHandDrifts = [
    'MAT-002/DC03',
    'MAT-007/DC01',
    'MAT-011/DC10',
    'MAT-015/DC05',
    'MAT-020/DC02',
  ];
  const weightDrifts = ['MAT-004', 'MAT-009', 'MAT-013'];

  it('finds exactly the 17 order statuses and 5 on-hand quantities that disagree', async () => {
    // Nine drift in the WMS (shipped there), eight in the ERP (packed there).
    for (const [i, n] of statusDrifts.entries()) {
      const vbeln = orderNumbers[n] as string;
      if (i % 2 === 0) await drift('wms', `/orders/${vbeln}`, { statusCode: 50 });
      else await drift('erp', `/orders/${vbeln}`, { STATUS: 'PAK' });
    }
    for (const key of onHandDrifts) {
      const [sku, warehouse] = key.split('/');
      await drift('wms', '/inventory', { inventory: [{ warehouse, sku, onHandQty: 9999 }] });
    }

    const orders = await api<Run>('/api/reconciliations/order-status-erp-wms/run', {
      method: 'POST',
    });
    expect(orders.status).toBe(200);
    expect(orders.body.status).toBe('succeeded');
    expect(orders.body.counts).toEqual({
      keys: 500,
      equal: 483,
      different: 17,
      missingLeft: 0,
      missingRight: 0,
    });
    expect(orders.body.differences.map((d) => d.key)).toEqual(
      statusDrifts.map((n) => orderNumbers[n]).sort(),
    );
    const first = orders.body.differences.find((d) => d.key === orderNumbers[3]);
    // Differences link to the control tower object when there is one: only the released order.
    expect(orders.body.differences.filter((d) => d.tower).map((d) => [d.key, d.tower])).toEqual([
      [orderNumbers[499], `/api/processes/order-to-cash/objects/${orderNumbers[499]}`],
    ]);
    expect(first?.fields).toEqual([
      { field: 'status', left: 'REL', right: 50, compared: { left: 'released', right: 'shipped' } },
    ]);

    const onHand = await api<Run>('/api/reconciliations/on-hand-wms-erp/run', { method: 'POST' });
    expect(onHand.body.counts).toEqual({
      keys: 200,
      equal: 195,
      different: 5,
      missingLeft: 0,
      missingRight: 0,
    });
    expect(onHand.body.differences.map((d) => d.key)).toEqual([...onHandDrifts].sort());
    expect(onHand.body.differences[0]?.fields[0]).toMatchObject({
      field: 'onHand',
      left: 9999,
      right: 12,
    });

    // The list shows the latest counts; the stream shows the run and a trend point.
    const list = await api<{
      reconciliations: { id: string; latest: { counts: { different: number } } | null }[];
    }>('/api/reconciliations', { key: keys.viewer });
    expect(
      list.body.reconciliations.find((r) => r.id === 'on-hand-wms-erp')?.latest?.counts.different,
    ).toBe(5);
    const shown = await api<{ latest: Run; trend: { different: number }[] }>(
      '/api/reconciliations/order-status-erp-wms',
      { key: keys.viewer },
    );
    expect(shown.body.latest.id).toBe(orders.body.id);
    expect(shown.body.trend.map((t) => t.different)).toEqual([17]);
  }, 60_000);

  it('finds 3 drifted item weights; one correction approved and pushed, one accepted, both audited', async () => {
    for (const sku of weightDrifts) await drift('wms', `/items/${sku}`, { weightLb: 99.5 });
    const run = await api<Run>('/api/reconciliations/item-master-erp-wms/run', { method: 'POST' });
    expect(run.body.counts).toMatchObject({ keys: 20, equal: 17, different: 3 });
    expect(run.body.differences.map((d) => d.key)).toEqual(weightDrifts);
    const drifted = run.body.differences[0];
    expect(drifted?.drift).toEqual({
      systemOfRecord: { side: 'left', system: 'erp' },
      drifted: { side: 'right', system: 'wms' },
      fields: [{ field: 'weightKg', systemOfRecord: 2, drifted: 99.5 }],
    });

    // Role-checked like other operator actions.
    const refused = await api(
      '/api/reconciliations/item-master-erp-wms/differences/MAT-004/decision',
      {
        method: 'POST',
        key: keys.viewer,
        body: { action: 'approve' },
      },
    );
    expect(refused.status).toBe(403);
    const bad = await api('/api/reconciliations/item-master-erp-wms/differences/MAT-004/decision', {
      method: 'POST',
      body: { action: 'ignore' },
    });
    expect(bad.status).toBe(400);

    const approved = await api<{
      action: string;
      correctionRun: string;
      before: unknown;
      after: unknown;
    }>('/api/reconciliations/item-master-erp-wms/differences/MAT-004/decision', {
      method: 'POST',
      user: 'sam',
      body: { action: 'approve', comment: 'ERP weight is the weighed one' },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      action: 'approve',
      before: { system: 'wms', values: { weightKg: 99.5 } },
      after: { system: 'wms', values: { weightKg: 2 } },
    });
    const accepted = await api<{ action: string }>(
      '/api/reconciliations/item-master-erp-wms/differences/MAT-009/decision',
      {
        method: 'POST',
        user: 'sam',
        body: { action: 'accept', comment: 'pallet weight on purpose' },
      },
    );
    expect(accepted.body).toMatchObject({
      action: 'accept',
      before: { values: { weightKg: 99.5 } },
      after: { values: { weightKg: 99.5 } },
    });

    // The correction flow pushed the ERP weight to the WMS, once, with an idempotency key.
    await s.settle();
    const correction = await s.runtime.runs.get(approved.body.correctionRun);
    expect(correction?.status).toBe('succeeded');
    const item = await s.call<{ weightLb: number }>('wms', 'GET', '/items/MAT-004');
    expect(item.weightLb).toBeCloseTo(2 / 0.45359237, 3);
    const puts = await fetch(
      `${s.sandbox.urls.wms}/_control/received?method=PUT&path=/items/MAT-004`,
    );
    const received = ((await puts.json()) as { received: { idempotencyKey?: string | null }[] })
      .received;
    expect(received).toHaveLength(2);
    expect(received[1]?.idempotencyKey).toEqual(expect.any(String));
    // A second approval of the same difference starts no second push (the decision is the key).
    const again = await api<{ correctionRun: string }>(
      '/api/reconciliations/item-master-erp-wms/differences/MAT-004/decision',
      { method: 'POST', user: 'sam', body: { action: 'approve' } },
    );
    expect(again.body.correctionRun).toBe(approved.body.correctionRun);

    // The sandbox now agrees on MAT-004; MAT-009 stays a (decided) drift, MAT-013 is open.
    const rerun = await api<Run>('/api/reconciliations/item-master-erp-wms/run', {
      method: 'POST',
    });
    expect(rerun.body.differences.map((d) => d.key)).toEqual(['MAT-009', 'MAT-013']);
    const shown = await api<{ latest: Run; trend: { different: number }[] }>(
      '/api/reconciliations/item-master-erp-wms',
    );
    expect(shown.body.latest.differences.map((d) => d.decision?.action ?? null)).toEqual([
      'accept',
      null,
    ]);
    expect(shown.body.trend.map((t) => t.different)).toEqual([3, 2]);

    const audit = await api<{
      decisions: { key: string; action: string; actor: string; at: string }[];
    }>('/api/reconciliations/item-master-erp-wms/audit', { key: keys.viewer });
    expect(audit.body.decisions.map((d) => [d.key, d.action, d.actor])).toEqual([
      ['MAT-004', 'approve', 'sam (operator)'],
      ['MAT-009', 'accept', 'sam (operator)'],
      ['MAT-004', 'approve', 'sam (operator)'],
    ]);
    expect(audit.body.decisions.every((d) => !Number.isNaN(Date.parse(d.at)))).toBe(true);
  }, 60_000);

  it('refuses what cannot be decided or run', async () => {
    const transactional = await api(
      `/api/reconciliations/order-status-erp-wms/differences/${orderNumbers[3]}/decision`,
      { method: 'POST', body: { action: 'accept' } },
    );
    expect(transactional.status).toBe(422);
    const unknownKey = await api(
      '/api/reconciliations/item-master-erp-wms/differences/NOPE/decision',
      {
        method: 'POST',
        body: { action: 'accept' },
      },
    );
    expect(unknownKey.status).toBe(404);
    expect((await api('/api/reconciliations/nope')).status).toBe(404);
    expect((await api('/api/reconciliations/nope/run', { method: 'POST' })).status).toBe(404);
    expect(
      (await api('/api/reconciliations/on-hand-wms-erp/run', { method: 'POST', key: keys.viewer }))
        .status,
    ).toBe(403);
  });

  it('crossdock reconcile lists, shows, runs and decides through the API', async () => {
    const out: string[] = [];
    const cli = (action: 'list' | 'run' | 'show' | 'decide', args: string[], comment?: string) =>
      reconcileCommand(action, args, {
        url: s.apiUrl,
        key: keys.operator,
        write: (t) => out.push(t),
        ...(comment ? { comment } : {}),
      });
    expect(await cli('list', [])).toBe(0);
    expect(out.join('')).toMatch(
      /item-master-erp-wms {2}master-data {2}erp vs wms {2}owner master-data {2}succeeded/,
    );
    out.length = 0;
    expect(await cli('run', ['item-master-erp-wms'])).toBe(0);
    expect(out.join('')).toContain(
      '20 keys: 18 equal, 2 different, 0 missing left, 0 missing right',
    );
    expect(out.join('')).toContain('MAT-013  drift  weightKg: erp 4.25, wms 99.5');
    out.length = 0;
    expect(await cli('decide', ['item-master-erp-wms', 'MAT-013', 'accept'], 'seasonal')).toBe(0);
    expect(out.join('')).toMatch(/^accepted MAT-013 by operator:\w+: wms \{"weightKg":99\.5\} -> /);
    out.length = 0;
    expect(await cli('show', ['item-master-erp-wms'])).toBe(0);
    expect(out.join('')).toContain('MAT-013  drift');
    expect(out.join('')).toContain('[accepted]');
    expect(out.join('')).toContain(
      'trend (different/missing left/missing right): 3/0/0 2/0/0 2/0/0',
    );
    expect(await cli('run', ['nope'])).toBe(1);
    await expect(cli('decide', ['item-master-erp-wms', 'MAT-013', 'maybe'])).rejects.toThrow(
      /Usage/,
    );
  });
});
