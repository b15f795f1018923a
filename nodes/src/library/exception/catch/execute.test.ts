import { describe, expect, it } from 'vitest';
import { PermanentError, TransientError } from '../../../sdk/errors';
import type { JsonValue } from '../../../sdk/json';
import { outputPorts } from '../../../sdk/manifest';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { executeCatch } from './execute';
import { catchException } from './manifest';

function errorMessage(error: unknown): JsonValue {
  const serialized =
    error instanceof PermanentError || error instanceof TransientError ? error.toJSON() : error;
  return { error: serialized as JsonValue, input: { orderNumber: 'SO-1' }, nodeId: 'erp-call' };
}

const routes: JsonValue[] = [
  { port: 'missing', label: 'Not found', codes: ['not-found'] },
  { port: 'conflict', statuses: [409] },
];

describe('exception.catch', () => {
  it.each([
    [new TransientError('upstream-unavailable', 'down', { details: { status: 503 } }), 'transient'],
    [new PermanentError('not-found', 'gone', { details: { status: 404 } }), 'missing'],
    [new PermanentError('upstream-rejected', 'dup', { details: { status: 409 } }), 'conflict'],
    [new PermanentError('invalid-input', 'bad'), 'permanent'],
    [{ name: 'TypeError', message: 'x is undefined' }, 'unexpected'],
  ])('routes %s to %s, passing the message on unchanged', async (error, port) => {
    const payload = errorMessage(error);
    const result = await executeCatch(message(payload), fakeContext({ routes }));
    expect(result).toEqual({ emissions: [{ port, payload }] });
  });

  it('has ports for each class and each route', () => {
    expect(outputPorts(catchException, { routes }).map((p) => p.id)).toEqual([
      'transient',
      'permanent',
      'unexpected',
      'missing',
      'conflict',
      'error',
    ]);
  });

  it('rejects bad routes in validation', () => {
    expect(
      checkSchema(catchException.configSchema, { routes: [{ port: 'x', codes: ['nope'] }] })[0]
        ?.pointer,
    ).toEqual(['routes', 0, 'codes', 0]);
    expect(
      checkSchema(catchException.configSchema, {
        routes: [{ port: 'transient', codes: ['timeout'] }],
      })[0]?.pointer,
    ).toEqual(['routes', 0, 'port']);
    expect(
      checkSchema(catchException.configSchema, { routes: [{ port: 'x' }] }).length,
    ).toBeGreaterThan(0);
  });

  it('refuses a message that is not an error with a classified error', async () => {
    await expect(
      executeCatch(message({ orderNumber: 'SO-1' }), fakeContext({})),
    ).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'invalid-input',
      message: /error" port/,
    });
  });
});
