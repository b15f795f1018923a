import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainFlow, type EngineStack, startEngineStack } from './engine-harness';

/**
 * Issue 11 item 7: the HTTP connector buffered a 400 MB answer before refusing it (RSS 118 →
 * 570 MB). A local server streams 400 MB (chunked, no length announced) to the real runtime; the
 * run fails with a clear error once 10 MB have arrived, the transfer is cut, and the runtime's
 * peak memory barely moves.
 */
const MB = 1024 * 1024;
const TOTAL = 400 * MB;

/** Peak and current resident memory of a process, from /proc (bytes). */
function memory(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peak: kb('VmHWM') * 1024, now: kb('VmRSS') * 1024 };
}

describe('security: an upstream answer is read up to the limit, no further', () => {
  let stack: EngineStack;
  let upstream: Server;
  let sent = 0;
  let cut = false;

  beforeAll(async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    upstream = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.on('close', () => {
        cut = sent < TOTAL;
      });
      const pump = () => {
        while (sent < TOTAL && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        if (!res.destroyed) res.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    stack = await startEngineStack({
      connections: {
        big: {
          system: 'http',
          baseUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
          auth: { type: 'none' },
          allowPrivateNetwork: true,
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    upstream?.closeAllConnections();
    await new Promise<void>((resolve) => upstream?.close(() => resolve()));
  });

  it('fails the step with the limit in the message, cuts the transfer, keeps RSS low', async () => {
    const pid = stack.server.child.pid as number;
    await stack.deploy(
      chainFlow('sec-huge-answer', [
        {
          id: 'fetch',
          type: 'connector.http',
          config: { connection: 'big', method: 'GET', path: '/export', timeoutMs: 60_000 },
          timeoutMs: 60_000,
        },
      ]),
    );
    const before = memory(pid);
    const run = (await stack.waitForRun(await stack.start('sec-huge-answer', {}), 60_000)) as {
      status: string;
      failure?: { error: { code: string; message: string; retryable: boolean } };
    };
    const after = memory(pid);

    expect(run.status).toBe('failed');
    expect(run.failure?.error).toMatchObject({ code: 'upstream-rejected', retryable: false });
    expect(run.failure?.error.message).toMatch(
      /big endpoint GET \/export answered with more than 10485760 bytes/,
    );
    // The client stopped reading: the server could not push anywhere near 400 MB.
    await new Promise((r) => setTimeout(r, 200));
    expect(cut).toBe(true);
    expect(sent).toBeLessThan(64 * MB);
    // Peak resident memory grew by far less than the answer (it grew by ~450 MB before the fix).
    expect(after.peak - Math.max(before.now, before.peak)).toBeLessThan(80 * MB);
  }, 90_000);
});
