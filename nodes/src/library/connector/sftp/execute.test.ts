import { describe, expect, it } from 'vitest';
import { TransientError } from '../../../sdk/errors';
import type { ResolvedConnection } from '../../../sdk/executor-types';
import { fakeContext, message } from '../../../testing/fake-context';
import { fakeTransports } from '../../../testing/fake-transports';
import { executeSftpGet } from './get/execute';
import { executeSftpPut } from './put/execute';

function server(files: Record<string, string> = {}) {
  const fake = fakeTransports(['sftp'], { files });
  const connection = {
    name: 'partner',
    kind: 'sftp',
    system: 'carrier',
    host: '127.0.0.1',
  } as unknown as ResolvedConnection;
  return { fake, overrides: { connection, transport: fake.transport } };
}

describe('connector.sftp-put and connector.sftp-get', () => {
  it('put writes text as it is and anything else as JSON, at the path the message names', async () => {
    const { fake, overrides } = server();
    const text = await executeSftpPut(
      message({ id: 'A1', x12: 'ST*214~' }),
      fakeContext(
        { connection: 'partner', path: '/in/{{id}}.edi', content: { var: 'x12' } },
        overrides,
      ),
    );
    expect(text.emissions[0]?.payload).toEqual({ path: '/in/A1.edi', size: 7 });
    await executeSftpPut(
      message({ id: 'A2', n: 1 }),
      fakeContext({ connection: 'partner', path: '/in/{{id}}.json' }, overrides),
    );
    expect(Buffer.from(fake.files.get('/in/A2.json') ?? []).toString()).toBe('{"id":"A2","n":1}');
  });

  it('put writes base64 content as bytes and refuses text that is not base64', async () => {
    const { fake, overrides } = server();
    const config = {
      connection: 'partner',
      path: '/in/x.bin',
      content: { var: 'b' },
      encoding: 'base64',
    };
    await executeSftpPut(
      message({ b: Buffer.from([0, 255]).toString('base64') }),
      fakeContext(config, overrides),
    );
    expect([...(fake.files.get('/in/x.bin') ?? [])]).toEqual([0, 255]);
    await expect(
      executeSftpPut(message({ b: 'not base64!' }), fakeContext(config, overrides)),
    ).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });

  it('get gives the content as text or base64, and fails on a missing or too large file', async () => {
    const { overrides } = server({ '/out/a.edi': 'ST*214~' });
    const got = await executeSftpGet(
      message({ f: 'a.edi' }),
      fakeContext({ connection: 'partner', path: '/out/{{f}}', encoding: 'base64' }, overrides),
    );
    expect(got.emissions[0]?.payload).toEqual({
      path: '/out/a.edi',
      size: 7,
      content: Buffer.from('ST*214~').toString('base64'),
    });
    await expect(
      executeSftpGet(
        message({ f: 'b.edi' }),
        fakeContext({ connection: 'partner', path: '/out/{{f}}' }, overrides),
      ),
    ).rejects.toMatchObject({ name: 'PermanentError', code: 'not-found' });
    await expect(
      executeSftpGet(
        message({ f: 'a.edi' }),
        fakeContext({ connection: 'partner', path: '/out/{{f}}', maxBytes: 3 }, overrides),
      ),
    ).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('pass a lost session on as transient, and refuse a connection of another kind', async () => {
    const { fake, overrides } = server();
    fake.failNext('sftp', new TransientError('network', 'connection reset'));
    await expect(
      executeSftpPut(
        message({ id: 'A' }),
        fakeContext({ connection: 'partner', path: '/in/{{id}}' }, overrides),
      ),
    ).rejects.toMatchObject({ name: 'TransientError' });
    const other = fakeTransports(['postgres']);
    await expect(
      executeSftpPut(
        message({ id: 'A' }),
        fakeContext({ connection: 'partner', path: '/in/{{id}}' }, { transport: other.transport }),
      ),
    ).rejects.toMatchObject({ code: 'connection-kind' });
  });
});
