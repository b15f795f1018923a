import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FetchResponse } from '@crossdock/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from './http-client';

let server: http.Server;
let base: string;
let client: HttpClient;
const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/elsewhere' }).end();
      } else if (req.url === '/empty') {
        res.writeHead(204).end();
      } else if (req.url === '/slow') {
        setTimeout(() => res.end('late'), 2_000);
      } else {
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        res
          .writeHead(201, { 'content-type': 'application/json', 'retry-after': '3' })
          .end(JSON.stringify({ ok: true }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = createHttpClient();
});

afterAll(async () => {
  await client.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the runtime HTTP client', () => {
  it('sends method, headers and body and answers like fetch', async () => {
    const response = await client.privateFetch(`${base}/orders?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'run:node:1' },
      body: '{"a":1}',
      redirect: 'manual',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(JSON.parse(await response.text())).toEqual({ ok: true });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/orders?x=1', body: '{"a":1}' });
    expect(seen.at(-1)?.headers['idempotency-key']).toBe('run:node:1');
  });

  it('answers with the status, headers and body the global fetch gives', async () => {
    const init = { method: 'POST', body: '{"a":1}', redirect: 'manual' } as const;
    const listed = (response: FetchResponse) => {
      const out: [string, string][] = [];
      // The date may tick between the two answers.
      response.headers.forEach((value, name) => {
        if (name !== 'date') out.push([name, value]);
      });
      return out;
    };
    const ours = await client.privateFetch(`${base}/orders`, init);
    const theirs = await fetch(`${base}/orders`, init);
    expect(ours.status).toBe(theirs.status);
    expect(listed(ours)).toEqual(listed(theirs));
    expect(await ours.text()).toBe(await theirs.text());
  });

  it('does not follow a redirect when asked not to', async () => {
    const response = await client.privateFetch(`${base}/redirect`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/elsewhere');
  });

  it('answers a 204 without a body', async () => {
    const response = await client.privateFetch(`${base}/empty`, {
      method: 'DELETE',
      redirect: 'manual',
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it("rejects with the signal's reason when aborted", async () => {
    const controller = new AbortController();
    setTimeout(
      () => controller.abort(new DOMException('No answer within 50 ms', 'TimeoutError')),
      50,
    );
    await expect(
      client.privateFetch(`${base}/slow`, { redirect: 'manual', signal: controller.signal }),
    ).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });

  it('refuses loopback on the public client, by IP and by name, on both code paths', async () => {
    const before = seen.length;
    const port = new URL(base).port;
    for (const url of [`${base}/orders`, `http://localhost:${port}/orders`]) {
      await expect(client.fetch(url, { redirect: 'manual' })).rejects.toMatchObject({
        code: 'ERR_CROSSDOCK_FORBIDDEN_ADDRESS',
        message: expect.stringMatching(/loopback range.*allowPrivateNetwork/),
      });
      // Following redirects goes through undici's fetch on the same guarded agent.
      await expect(client.fetch(url, { redirect: 'follow' })).rejects.toMatchObject({
        cause: { code: 'ERR_CROSSDOCK_FORBIDDEN_ADDRESS' },
      });
    }
    expect(seen.length).toBe(before);
  });

  it('tells the caller about the credential of each request before sending it', async () => {
    const learnt: string[] = [];
    const spy = createHttpClient({ onCredential: (value) => learnt.push(value) });
    try {
      await spy.privateFetch(`${base}/orders`, {
        headers: { authorization: 'Basic dXNlcjpwYXNzd29yZA==' },
        redirect: 'manual',
      });
      expect(learnt).toEqual(['dXNlcjpwYXNzd29yZA==']);
    } finally {
      await spy.close();
    }
  });

  it('rejects when nothing listens', async () => {
    await expect(
      client.privateFetch('http://127.0.0.1:1/', { redirect: 'manual' }),
    ).rejects.toThrow();
  });

  it('falls back to the global fetch to follow redirects', async () => {
    const response = await client.privateFetch(`${base}/redirect`);
    expect(response.status).toBe(201);
    expect(seen.at(-1)?.url).toBe('/elsewhere');
  });
});
