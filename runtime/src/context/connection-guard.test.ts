import { Writable } from 'node:stream';
import { TransientError } from '@crossdock/nodes';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanRedis, uniquePrefix } from '../../../test/runtime/helpers';
import { createLogger } from '../infra/logger';
import { Redactor } from '../infra/redaction';
import { createKeys } from '../store/keys';
import {
  type CallOutcome,
  ConnectionGuard,
  type GuardPolicy,
  guardPolicy,
  httpOutcome,
} from './connection-guard';

/**
 * The breaker and the limit on the real Redis, on a virtual clock (the scripts take the time
 * as an argument), so opening, half-open probes and doubling run at once.
 */

const prefix = uniquePrefix('guard');
let redis: Redis;
const clock = { now: 1_000_000 };
const lines: Record<string, unknown>[] = [];
/** What the guard reported for metrics. */
const reported: string[] = [];
let guard: ConnectionGuard;

beforeAll(() => {
  redis = new Redis('redis://127.0.0.1:6379');
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  guard = new ConnectionGuard(
    redis,
    createKeys(prefix),
    () => clock.now,
    () => 0,
    createLogger('info', new Redactor([]), stream),
    {
      deferred: (connection, reason) => reported.push(`deferred ${connection} ${reason}`),
      opened: (connection) => reported.push(`opened ${connection}`),
    },
  );
});

afterAll(async () => {
  redis.disconnect();
  await cleanRedis(prefix);
});

const breaker: GuardPolicy = {
  breaker: { failures: 3, openMs: 1_000, maxOpenMs: 3_000 },
  maxConcurrency: undefined,
  leaseMs: 10_000,
};

/** One call that ends with `outcome`; returns the deferral time when it was not let through. */
async function attempt(
  name: string,
  policy: GuardPolicy,
  outcome: CallOutcome,
): Promise<number | undefined> {
  let deferred: number | undefined;
  try {
    await guard.call(
      name,
      policy,
      (until) => {
        deferred = until;
      },
      async () => 'answer',
      () => outcome,
    );
  } catch (error) {
    expect(error).toMatchObject({ name: 'TransientError', code: 'upstream-unavailable' });
  }
  return deferred;
}

describe('circuit breaker', () => {
  it('opens after consecutive failures, defers calls while open, and closes on a probe that succeeds', async () => {
    expect(await attempt('wms', breaker, 'failed')).toBeUndefined();
    expect(await attempt('wms', breaker, 'failed')).toBeUndefined();
    // A success in between resets the count: failures must be consecutive.
    expect(await attempt('wms', breaker, 'ok')).toBeUndefined();
    for (let i = 0; i < 3; i++) expect(await attempt('wms', breaker, 'failed')).toBeUndefined();
    expect(lines.at(-1)).toMatchObject({
      connection: 'wms',
      msg: expect.stringContaining('opened'),
    });
    // Open: the call does not go; it may go after openMs (spread by the random part).
    const until = await attempt('wms', breaker, 'ok');
    expect(until).toBe(clock.now + 1_000 + 250);
    // Half-open: as many probes at once as failures open it (3); a fourth call waits for them.
    clock.now += 1_000;
    const probes = await Promise.all([1, 2, 3].map(() => guard.admit('wms', breaker)));
    expect(probes.map((p) => p.admitted)).toEqual([true, true, true]);
    const other = await guard.admit('wms', breaker);
    expect(other).toMatchObject({ admitted: false, reason: 'open' });
    const [probe] = probes;
    if (probe?.admitted) await probe.release('ok');
    expect(lines.at(-1)).toMatchObject({
      connection: 'wms',
      msg: expect.stringContaining('closed'),
    });
    expect(await attempt('wms', breaker, 'ok')).toBeUndefined();
    expect(reported.filter((r) => r.includes('wms'))).toEqual(['opened wms', 'deferred wms open']);
  });

  it('opens again after a half-open round of failed probes, doubling up to maxOpenMs', async () => {
    for (let i = 0; i < 3; i++) await attempt('erp', breaker, 'failed');
    const opens: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = clock.now;
      const until = (await attempt('erp', breaker, 'ok')) as number;
      opens.push(until - 250 - start);
      clock.now = until;
      // Three probes, and all three fail: the system is still down.
      for (let p = 0; p < 3; p++) expect(await attempt('erp', breaker, 'failed')).toBeUndefined();
    }
    expect(opens).toEqual([1_000, 2_000, 3_000]);
    const next = (await attempt('erp', breaker, 'ok')) as number;
    expect(next - 250 - clock.now).toBe(3_000);
  });

  it('stays open for openMs each round when maxOpenMs is not set (the default)', async () => {
    const fixed = guardPolicy(
      { system: 'x', baseUrl: 'http://x', circuitBreaker: { failures: 2, openMs: 1_000 } },
      1_000,
    );
    for (let i = 0; i < 2; i++) await attempt('edi', fixed, 'failed');
    for (let round = 0; round < 3; round++) {
      const until = (await attempt('edi', fixed, 'ok')) as number;
      expect(until - 250 - clock.now).toBe(1_000);
      clock.now = until;
      for (let p = 0; p < 2; p++) await attempt('edi', fixed, 'failed');
    }
  });

  it('lets a neutral outcome (a shutdown abort) free the probe without judging the system', async () => {
    for (let i = 0; i < 3; i++) await attempt('tms', breaker, 'failed');
    clock.now += 1_000;
    expect(await attempt('tms', breaker, 'neutral')).toBeUndefined();
    // The next call is a probe again, not deferred behind the first one.
    expect(await attempt('tms', breaker, 'ok')).toBeUndefined();
  });

  it('is off when the connection turns it off', async () => {
    const off = guardPolicy(
      { system: 'x', baseUrl: 'http://x', circuitBreaker: { enabled: false } },
      1_000,
    );
    for (let i = 0; i < 10; i++) expect(await attempt('carrier', off, 'failed')).toBeUndefined();
    expect(await redis.exists(createKeys(prefix).breaker('carrier'))).toBe(0);
  });
});

describe('a closed breaker', () => {
  /** A guard on its own client that counts the commands it sends. */
  function countingGuard(viewMs: number) {
    const client = new Redis('redis://127.0.0.1:6379');
    const counted = { commands: 0 };
    const send = client.sendCommand.bind(client);
    client.sendCommand = ((...args: Parameters<typeof send>) => {
      counted.commands += 1;
      return send(...args);
    }) as typeof client.sendCommand;
    const g = new ConnectionGuard(
      client,
      createKeys(prefix),
      () => clock.now,
      () => 0,
      createLogger('silent', new Redactor([])),
      undefined,
      { closedViewMs: viewMs },
    );
    return { guard: g, counted, close: () => client.disconnect() };
  }

  async function call(g: ConnectionGuard, name: string, outcome: CallOutcome) {
    let deferred: number | undefined;
    await g
      .call(
        name,
        breaker,
        (until) => {
          deferred = until;
        },
        async () => 'answer',
        () => outcome,
      )
      .catch((error: unknown) => {
        expect(error).toMatchObject({ code: 'upstream-unavailable' });
      });
    return deferred;
  }

  it('costs one round trip per view, not two per call, while calls succeed', async () => {
    const { guard: g, counted, close } = countingGuard(1_000);
    try {
      // The first call reads the breaker; the others ask nothing.
      expect(await call(g, 'quiet', 'ok')).toBeUndefined();
      const afterFirst = counted.commands;
      expect(afterFirst).toBeGreaterThan(0);
      for (let i = 0; i < 49; i++) expect(await call(g, 'quiet', 'ok')).toBeUndefined();
      expect(counted.commands).toBe(afterFirst);
      // Once the view runs out, one call reads the breaker again.
      clock.now += 1_000;
      await call(g, 'quiet', 'ok');
      await call(g, 'quiet', 'ok');
      expect(counted.commands - afterFirst).toBe(1);
    } finally {
      close();
    }
  });

  it('still counts failures in a row, and a success between them resets the count', async () => {
    const { guard: g, close } = countingGuard(1_000);
    try {
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 2; i++) expect(await call(g, 'flaky', 'failed')).toBeUndefined();
        expect(await call(g, 'flaky', 'ok')).toBeUndefined();
      }
      // Nine calls, six failures, never three in a row: closed.
      expect(await redis.hget(createKeys(prefix).breaker('flaky'), 'openUntil')).toBeNull();
      for (let i = 0; i < 3; i++) expect(await call(g, 'flaky', 'failed')).toBeUndefined();
      expect(await call(g, 'flaky', 'ok')).toBe(clock.now + 1_000 + 250);
    } finally {
      close();
    }
  });

  it('is seen open by another process once its view of the closed breaker runs out', async () => {
    const a = countingGuard(500);
    const b = countingGuard(500);
    try {
      expect(await call(a.guard, 'shared', 'ok')).toBeUndefined();
      for (let i = 0; i < 3; i++) expect(await call(b.guard, 'shared', 'failed')).toBeUndefined();
      // Within its view, A still lets a call through; after it, A defers like B.
      expect(await call(a.guard, 'shared', 'ok')).toBeUndefined();
      clock.now += 500;
      expect(await call(a.guard, 'shared', 'ok')).toBe(clock.now - 500 + 1_000 + 250);
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('concurrency limit', () => {
  const limited: GuardPolicy = { breaker: undefined, maxConcurrency: 2, leaseMs: 5_000 };

  it('admits maxConcurrency calls at once, defers the next briefly, and frees a slot on release', async () => {
    const a = await guard.admit('sftp', limited);
    const b = await guard.admit('sftp', limited);
    expect([a.admitted, b.admitted]).toEqual([true, true]);
    const c = await guard.admit('sftp', limited);
    expect(c).toMatchObject({ admitted: false, reason: 'busy' });
    if (!c.admitted) expect(c.until - clock.now).toBeLessThanOrEqual(1_000);
    if (a.admitted) await a.release('ok');
    expect((await guard.admit('sftp', limited)).admitted).toBe(true);
  });

  it('expires the lease of a call whose process died', async () => {
    const held = [await guard.admit('ftp', limited), await guard.admit('ftp', limited)];
    expect(held.every((h) => h.admitted)).toBe(true);
    expect((await guard.admit('ftp', limited)).admitted).toBe(false);
    clock.now += 5_001;
    expect((await guard.admit('ftp', limited)).admitted).toBe(true);
  });
});

describe('http outcome', () => {
  const signal = new AbortController().signal;
  it('counts 5xx, 429, 408 and network errors against the system, 2xx and 4xx for it', () => {
    const r = (status: number) => ({ value: new Response(null, { status }) });
    expect([500, 503, 429, 408].map((s) => httpOutcome(r(s), signal))).toEqual(
      Array(4).fill('failed'),
    );
    expect([200, 201, 400, 404, 422].map((s) => httpOutcome(r(s), signal))).toEqual(
      Array(5).fill('ok'),
    );
    expect(httpOutcome({ error: new TypeError('fetch failed') }, signal)).toBe('failed');
  });

  it('does not count a shutdown abort or a refused address', () => {
    const shut = new AbortController();
    shut.abort(new TransientError('aborted', 'shutdown'));
    expect(httpOutcome({ error: new Error('aborted') }, shut.signal)).toBe('neutral');
    const refused = Object.assign(new Error('no'), { name: 'ForbiddenAddressError' });
    expect(httpOutcome({ error: refused }, signal)).toBe('neutral');
    const timedOut = new AbortController();
    timedOut.abort(new TransientError('timeout', 'node timeout'));
    expect(httpOutcome({ error: new Error('aborted') }, timedOut.signal)).toBe('failed');
  });
});
