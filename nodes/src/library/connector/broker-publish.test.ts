import { describe, expect, it } from 'vitest';
import { executors } from '../../executors';
import type { JsonObject } from '../../sdk/json';
import { fakeContext, message } from '../../testing/fake-context';
import { fakeTransports } from '../../testing/fake-transports';

function run(type: string, config: JsonObject, payload: JsonObject, transports = fakeTransports()) {
  const execute = executors[type];
  if (!execute) throw new Error(type);
  const ctx = fakeContext(config, {
    transport: transports.transport,
    idempotencyKey: 'flow:PK-1:pub',
  });
  return { result: execute(message(payload), ctx), transports };
}

describe('broker publish connectors', () => {
  it('AMQP: the step key is the message id, persistent unless transient', async () => {
    const { result, transports } = run(
      'connector.amqp-publish',
      { connection: 'b', exchange: 'wms', routingKey: 'pick.done', transient: true },
      { pickId: 'PK-1' },
    );
    await result;
    expect(transports.published).toEqual([
      {
        kind: 'amqp',
        message: {
          exchange: 'wms',
          routingKey: 'pick.done',
          body: '{"pickId":"PK-1"}',
          headers: {},
          messageId: 'flow:PK-1:pub',
          persistent: false,
        },
      },
    ]);
  });

  it('NATS: a retried step is a duplicate at the stream, not a second message', async () => {
    const transports = fakeTransports();
    const config = { connection: 'n', subject: 'tms.milestones.D1', output: 'receipt' };
    await run('connector.nats-publish', config, { code: 'D1' }, transports).result;
    const again = await run('connector.nats-publish', config, { code: 'D1' }, transports).result;
    expect(again.emissions[0]?.payload).toMatchObject({ duplicate: true });
    expect(transports.published).toHaveLength(1);
  });

  it('MQTT: a body expression that gives text goes as text', async () => {
    const { result, transports } = run(
      'connector.mqtt-publish',
      { connection: 'm', topic: 'dock/D4/status', qos: 1, body: { var: 'status' } },
      { status: 'loading' },
    );
    await result;
    expect(transports.published[0]).toMatchObject({
      kind: 'mqtt',
      message: { body: 'loading', qos: 1 },
    });
  });

  it.each([
    ['connector.nats-publish', { connection: 'n', subject: 'tms.*' }],
    ['connector.nats-publish', { connection: 'n', subject: { var: 'missing' } }],
    ['connector.mqtt-publish', { connection: 'm', topic: 'dock/#' }],
    ['connector.amqp-publish', { connection: 'b', exchange: 'x', routingKey: { var: 'n' } }],
  ])('%s refuses a destination %j permanently', async (type, config) => {
    await expect(run(type, config, { n: 3 }).result).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'invalid-input',
    });
  });

  it('fails with connection-kind when the connection is of another kind', async () => {
    const { result } = run(
      'connector.amqp-publish',
      { connection: 'b', exchange: 'x', routingKey: 'k' },
      {},
      fakeTransports(['nats']),
    );
    await expect(result).rejects.toMatchObject({ code: 'connection-kind' });
  });

  it('passes a broker failure on as it came (the runtime classified it)', async () => {
    const transports = fakeTransports();
    transports.failNext('mqtt', new Error('broker gone'));
    const { result } = run(
      'connector.mqtt-publish',
      { connection: 'm', topic: 't' },
      {},
      transports,
    );
    await expect(result).rejects.toThrow('broker gone');
  });
});
