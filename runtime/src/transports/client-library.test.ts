import { describe, expect, it } from 'vitest';
import { clientLibrary } from './client-library';

const connect = () => 'connected';

describe('clientLibrary', () => {
  it('reads named exports from a bundle chunk that exports only default (module.exports)', async () => {
    const chunk = { default: { connect, credentials: { plain: () => 'plain' } } };
    const lib = await clientLibrary(
      Promise.resolve(chunk) as Promise<{ connect: typeof connect; default: unknown }>,
    );
    expect(lib.connect()).toBe('connected');
  });

  it('keeps a namespace that has its named exports (Node, vitest)', async () => {
    const lib = await clientLibrary(
      Promise.resolve({ connect, default: { connect: () => 'old' } }),
    );
    expect(lib.connect()).toBe('connected');
  });

  it('takes a real library either way', async () => {
    const amqp = await clientLibrary(import('amqplib'));
    expect(typeof amqp.connect).toBe('function');
    expect(typeof amqp.credentials.plain).toBe('function');
  });
});
