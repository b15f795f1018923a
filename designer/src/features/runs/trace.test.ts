import { ContractError } from '@crossdock/nodes/api';
import { describe, expect, it } from 'vitest';
import { failedNodeOf, stepOutput } from '../../lib/api-types';
import { failureFixture, runFixture, stepFixture as step } from './run-fixture';
import { traceByNode } from './trace';

const error = (errorClass: 'transient' | 'permanent', code: string, message: string) => ({
  name: 'Error',
  errorClass,
  code,
  message,
  retryable: errorClass === 'transient',
});

describe('traceByNode', () => {
  it('summarises attempts, duration, ports and the last error per node', () => {
    const run = runFixture({
      failure: failureFixture('h', 'http.400'),
      steps: [
        step('t', 'succeeded', { nodeType: 'trigger.manual', durationMs: 1, ports: ['out'] }),
        step('h', 'retrying', { durationMs: 5, error: error('transient', 'http.503', 'busy') }),
        step('h', 'failed', {
          attempt: 2,
          durationMs: 7,
          error: error('permanent', 'http.400', 'bad'),
        }),
      ],
    });
    expect(failedNodeOf(run)).toBe('h');
    const trace = traceByNode(run);
    expect(trace.get('t')).toMatchObject({ status: 'succeeded', attempts: 1, ports: ['out'] });
    expect(trace.get('h')).toMatchObject({
      status: 'failed',
      attempts: 2,
      durationMs: 12,
      error: 'http.400: bad',
    });
  });

  it('shows one emission as its payload and several as the list', () => {
    const one = step('b', 'succeeded', {
      ports: ['true'],
      output: [{ port: 'true', payload: { a: 1 } }],
    });
    expect(stepOutput(one)).toEqual({ a: 1 });
    const two = step('s', 'succeeded', {
      ports: ['a', 'b'],
      output: [
        { port: 'a', payload: 1 },
        { port: 'b', payload: 2 },
      ],
    });
    expect(stepOutput(two)).toEqual([
      { port: 'a', payload: 1 },
      { port: 'b', payload: 2 },
    ]);
    expect(traceByNode(runFixture({ steps: [two] })).get('s')?.ports).toEqual(['a', 'b']);
  });

  it('shows a failed attempt of a running run as a retry', () => {
    const run = runFixture({ status: 'running', steps: [step('h', 'failed')] });
    expect(traceByNode(run).get('h')?.status).toBe('retrying');
  });

  it('refuses a run in another vocabulary, naming the field', () => {
    expect(() => runFixture({ flowVersion: '1.0.0' } as never)).toThrow(ContractError);
    expect(() => runFixture({ flowVersion: '1.0.0' } as never)).toThrow(/"flowVersion"/);
  });
});
