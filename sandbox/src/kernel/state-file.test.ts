import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sandbox';
import { authHeaders, testSecrets } from '../testing/harness';
import { type Receiver, startReceiver } from '../testing/receiver';
import { readStateFile, removeStateFile, StateFileError } from './state-file';

const order = JSON.parse(
  await readFile(new URL('../../examples/sales-order.json', import.meta.url), 'utf8'),
) as unknown;

let dir: string;
let receiver: Receiver;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sandbox-state-'));
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await rm(dir, { recursive: true, force: true });
});

function start(stateFile: string): Promise<Sandbox> {
  return startSandbox({
    secrets: testSecrets,
    webhookBaseUrl: receiver.url,
    webhooks: { backoffMs: 10, maxAttempts: 2 },
    stateFile,
  });
}

async function release(sandbox: Sandbox): Promise<string> {
  const response = await fetch(`${sandbox.urls.erp}/_control/simulate/release-order`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(order),
  });
  expect(response.status).toBeLessThan(300);
  return ((await response.json()) as { VBELN: string }).VBELN;
}

describe('sandbox state file', () => {
  it('keeps orders and continues order numbers and event ids after a restart', async () => {
    const file = path.join(dir, 'restart', 'sandbox-dev.json');
    const first = await start(file);
    expect(await release(first)).toBe('0000100001');
    await first.idle();
    const firstEvents = first.erp.runtime.events.list().map((d) => d.eventId);
    await first.stop();

    const second = await start(file);
    try {
      expect(Object.keys(second.erp.runtime.state.orders)).toEqual(['0000100001']);
      expect(await release(second)).toBe('0000100002');
      await second.idle();
      const secondEvents = second.erp.runtime.events.list().map((d) => d.eventId);
      expect(secondEvents.length).toBeGreaterThan(0);
      for (const id of secondEvents) expect(firstEvents).not.toContain(id);
      // The business API sees the order made before the restart.
      const listed = await fetch(`${second.urls.erp}/orders/0000100001`, {
        headers: authHeaders.erp,
      });
      expect(listed.status).toBe(200);
    } finally {
      await second.stop();
    }
    const saved = await readStateFile(file);
    const erpState = saved?.systems.erp?.state as { orders: object } | undefined;
    expect(Object.keys(erpState?.orders ?? {})).toEqual(['0000100001', '0000100002']);
  });

  it('starts empty again once the file is removed, and a reset empties the file', async () => {
    const file = path.join(dir, 'reset', 'sandbox-dev.json');
    const first = await start(file);
    await release(first);
    first.reset();
    await first.stop();
    const saved = await readStateFile(file);
    expect(saved?.systems.erp?.state).toMatchObject({ orders: {} });
    expect(await removeStateFile(file)).toBe(true);
    expect(await removeStateFile(file)).toBe(false);
    const second = await start(file);
    try {
      expect(await release(second)).toBe('0000100001');
    } finally {
      await second.stop();
    }
  });

  it('refuses an unreadable state file, naming it and the way out', async () => {
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{"version": 1, "systems": {"erp": {"state": []}}}');
    await expect(start(file)).rejects.toThrow(StateFileError);
    await expect(start(file)).rejects.toThrow(/broken\.json.*crossdock reset --dev/);
    await writeFile(file, 'not json');
    await expect(start(file)).rejects.toThrow(/not valid JSON/);
  });
});
