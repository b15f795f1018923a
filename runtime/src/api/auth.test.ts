import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, caller } from './auth';
import { errorHandler } from './errors';

let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(authenticate(new Map([['viewer-key', 'viewer']]), ' In development the key is "dev".'));
  app.get('/who', (_req, res) => {
    res.json(caller(res));
  });
  app.use(errorHandler(pino({ level: 'silent' })));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('authenticate', () => {
  it('answers 401 with the hint when the key is missing or unknown', async () => {
    const variants: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: 'Basic x' },
    ];
    for (const headers of variants) {
      const response = await fetch(`${base}/who`, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: {
          code: 'unauthenticated',
          message:
            'Send a valid API key as "Authorization: Bearer <key>". In development the key is "dev".',
        },
      });
    }
  });

  it('records the role and a key fingerprint, and a named user when sent', async () => {
    const response = await fetch(`${base}/who`, {
      headers: { authorization: 'Bearer viewer-key', 'x-crossdock-user': 'ana' },
    });
    expect(await response.json()).toMatchObject({
      role: 'viewer',
      actor: 'ana (viewer)',
      keyId: expect.stringMatching(/^[0-9a-f]{8}$/),
    });
  });
});
