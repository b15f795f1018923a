import type { FetchLike } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import { dryRunFetch, type NotSentRequest, recordingFetch, type SentExchange } from './dry-run';

describe('dryRunFetch', () => {
  it('records the request without its headers and answers with the pinned output', async () => {
    const sent: NotSentRequest[] = [];
    const fetch = dryRunFetch(() => ({ status: 200, body: { accepted: true } }), sent);
    const res = await fetch('http://wms.test/orders', {
      method: 'post',
      headers: { authorization: 'Bearer secret' },
      body: JSON.stringify({ orderRef: 'SO-1' }),
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(await res.text())).toEqual({ accepted: true });
    expect(sent).toEqual([
      { method: 'POST', url: 'http://wms.test/orders', body: { orderRef: 'SO-1' } },
    ]);
    expect(JSON.stringify(sent)).not.toMatch(/secret/);
  });

  it('answers {} and marks the request unmatched when there is no answer; keeps a text body', async () => {
    const sent: NotSentRequest[] = [];
    const res = await dryRunFetch(() => undefined, sent)('http://x.test/', {
      method: 'PUT',
      body: 'ISA*00~',
    });
    expect(JSON.parse(await res.text())).toEqual({});
    expect(sent[0]).toEqual({
      method: 'PUT',
      url: 'http://x.test/',
      body: 'ISA*00~',
      unmatched: true,
    });
  });
});

describe('recordingFetch', () => {
  it('keeps the exchange and hands the executor the same answer to read', async () => {
    const exchanges: SentExchange[] = [];
    const real: FetchLike = async () =>
      new Response('{"id":"FO-1"}', {
        status: 201,
        headers: { 'content-type': 'application/json', 'x-request-id': 'r1' },
      });
    const res = await recordingFetch(real, exchanges)('http://wms.test/orders', {
      method: 'post',
      headers: { authorization: 'Bearer secret' },
      body: '{"orderRef":"SO-1"}',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('r1');
    expect(JSON.parse(await res.text())).toEqual({ id: 'FO-1' });
    expect(exchanges).toEqual([
      {
        method: 'POST',
        url: 'http://wms.test/orders',
        body: { orderRef: 'SO-1' },
        status: 201,
        response: { id: 'FO-1' },
      },
    ]);
  });

  it('records an empty answer when the body breaks, and the executor meets the error', async () => {
    const exchanges: SentExchange[] = [];
    const reset = new TypeError('terminated');
    const real: FetchLike = async () =>
      new Response(
        new ReadableStream({
          pull(c) {
            c.error(reset);
          },
        }),
        { status: 200 },
      );
    const res = await recordingFetch(real, exchanges)('http://wms.test/orders', {});
    expect(exchanges[0]).toMatchObject({ status: 200, response: null });
    await expect(res.body?.getReader().read()).rejects.toBe(reset);
  });
});
