import { describe, expect, it } from 'vitest';
import type { WebhookReply } from '../../../sdk/executor-types';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { executeRespond } from './execute';
import { respondFlow } from './manifest';

function answering() {
  const replies: WebhookReply[] = [];
  return {
    replies,
    respond: async (reply: WebhookReply) => {
      replies.push(reply);
      return replies.length === 1;
    },
  };
}

describe('flow.respond', () => {
  it('answers the caller with status, headers and body from expressions, and passes the message on', async () => {
    const caller = answering();
    const config = {
      status: { if: [{ var: 'ok' }, 201, 409] },
      headers: { 'X-Order': { var: 'order' }, 'x-count': { var: 'n' }, 'x-none': { var: 'nope' } },
      body: { cat: ['order ', { var: 'order' }] },
    };
    const result = await executeRespond(
      message({ ok: true, order: 'SO-1', n: 3 }),
      fakeContext(config, { respond: caller.respond }),
    );
    expect(result).toEqual({
      emissions: [{ port: 'out', payload: { ok: true, order: 'SO-1', n: 3 } }],
    });
    expect(caller.replies).toEqual([
      { status: 201, headers: { 'x-order': 'SO-1', 'x-count': '3' }, body: 'order SO-1' },
    ]);
  });

  it('answers 200 with the message itself by default', async () => {
    const caller = answering();
    await executeRespond(message({ a: 1 }), fakeContext({}, { respond: caller.respond }));
    expect(caller.replies).toEqual([{ status: 200, headers: {}, body: { a: 1 } }]);
  });

  it('answers nobody when no caller waits (test runs, replays, other triggers)', async () => {
    const ctx = fakeContext({ status: 200 });
    expect(await executeRespond(message({ a: 1 }), ctx)).toEqual({
      emissions: [{ port: 'out', payload: { a: 1 } }],
    });
    expect(ctx.extras.logs.map((l) => l.message)).toEqual([
      'no webhook caller waits for this run; nothing answered',
    ]);
  });

  it('fails with invalid-input on a status outside 200..599 or not an integer', async () => {
    for (const status of [199, 600, 200.5, '200', null]) {
      await expect(
        executeRespond(message({ s: status }), fakeContext({ status: { var: 's' } })),
      ).rejects.toMatchObject({ name: 'PermanentError', code: 'invalid-input' });
    }
  });

  it('refuses a header value with a line break (response splitting)', async () => {
    const caller = answering();
    await expect(
      executeRespond(
        message({ v: 'a\r\nset-cookie: x=1' }),
        fakeContext({ headers: { 'x-v': { var: 'v' } } }, { respond: caller.respond }),
      ),
    ).rejects.toMatchObject({ code: 'invalid-input' });
    expect(caller.replies).toEqual([]);
  });

  it('refuses reserved headers in validation and at run time', async () => {
    for (const name of ['Set-Cookie', 'content-length', 'Transfer-Encoding', 'x y']) {
      expect(
        checkSchema(respondFlow.configSchema, { headers: { [name]: 'v' } }).length,
      ).toBeGreaterThan(0);
    }
    await expect(
      executeRespond(message({}), fakeContext({ headers: { 'SET-COOKIE': 'a=1' } })),
    ).rejects.toMatchObject({ code: 'invalid-config' });
    expect(checkSchema(respondFlow.configSchema, { headers: { 'x-ok': 'v' }, body: 1 })).toEqual(
      [],
    );
  });
});
