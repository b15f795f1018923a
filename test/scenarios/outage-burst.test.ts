import type { WmsState } from '@crossdock/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario } from './harness';
import { salesOrder } from './orders';

const ORDERS = 500;
const OUTAGE_SECONDS = 30;
/**
 * Five: as many as the WMS connection's circuit breaker counts before it opens (the default, five
 * failures), so the lost answers open it once more after the outage and every one of them is
 * retried and replayed by key. Each further five lost answers only add another closed-open-probe
 * round of about 5 s (25 took some 22 s) and prove nothing the first five do not.
 */
const LOST_ANSWERS = 5;

let s: Scenario;
beforeAll(async () => {
  s = await startScenario('outage-burst', { concurrency: 50 });
});
afterAll(async () => {
  await s?.stop();
});

describe('a 30-second WMS outage during a burst of 500 orders', () => {
  it('delivers every order to the WMS exactly once after recovery', {
    timeout: 150_000,
  }, async () => {
    const wms = s.sandbox.wms.runtime;
    await s.call('wms', 'POST', '/_control/faults', {
      kind: 'outage',
      seconds: OUTAGE_SECONDS,
      route: 'POST /fulfillment-orders',
    });
    // Right after recovery the WMS creates some orders but the answers are lost on the way
    // back: the retries must be recognised by their Idempotency-Key, not create twins.
    await s.call('wms', 'POST', '/_control/faults', {
      kind: 'drop-response',
      route: 'POST /fulfillment-orders',
      times: LOST_ANSWERS,
    });
    const sent: string[] = [];
    for (let i = 1; i <= ORDERS; i += 1) {
      const vbeln = String(600_000 + i).padStart(10, '0');
      await s.call('erp', 'POST', '/_control/simulate/release-order', salesOrder(vbeln));
      sent.push(vbeln);
    }
    await s.settle(120_000);

    const orders = Object.values((wms.state as WmsState).orders);
    const perRef = new Map<string, number>();
    for (const o of orders) perRef.set(o.orderRef, (perRef.get(o.orderRef) ?? 0) + 1);
    const duplicates = orders.length - perRef.size;
    const lost = sent.filter((ref) => !perRef.has(ref)).length;
    const attempts = wms.received.list({ method: 'POST', path: '/fulfillment-orders' });
    const refused = attempts.filter((r) => r.status === 503).length;
    const dropped = attempts.filter((r) => r.fault?.endsWith(':drop-response')).length;
    const replayed = attempts.filter((r) => r.replayed).length;
    const delivered = s.sandbox.erp.runtime.events.list({ path: 'erp/order-released' });
    const runs = await s.runtime.runs.list({ flow: 'erp-order-release', limit: ORDERS * 2 });
    const succeeded = runs.runs.filter((r) => r.status === 'succeeded').length;
    process.stdout.write(
      [
        `outage scenario: orders sent by the ERP: ${sent.length}`,
        `  events delivered to Crossdock: ${delivered.filter((d) => d.status === 'delivered').length}, runs: ${runs.runs.length} (${succeeded} succeeded)`,
        `  WMS: ${attempts.length} create calls (${refused} refused during the outage, ${dropped} answers lost after it, ${replayed} replayed by key), fulfillment orders held: ${orders.length}`,
        `  ERP: holds ${Object.values(s.sandbox.erp.runtime.state.orders).filter((o) => o.LIFSK).length}`,
        `  duplicates: ${duplicates}, lost: ${lost}`,
        '',
      ].join('\n'),
    );
    expect(refused).toBeGreaterThan(0);
    expect(dropped).toBe(LOST_ANSWERS);
    expect(replayed).toBeGreaterThanOrEqual(LOST_ANSWERS);
    expect(duplicates).toBe(0);
    expect(lost).toBe(0);
    expect(orders).toHaveLength(ORDERS);
    expect(succeeded).toBe(ORDERS);
  });
});
