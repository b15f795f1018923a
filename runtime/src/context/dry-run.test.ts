import { describe, expect, it } from 'vitest';
import { dryRunFetch, type NotSentRequest } from './dry-run';

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
    expect(await res.json()).toEqual({ accepted: true });
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
    expect(await res.json()).toEqual({});
    expect(sent[0]).toEqual({
      method: 'PUT',
      url: 'http://x.test/',
      body: 'ISA*00~',
      unmatched: true,
    });
  });
});
