import { describe, expect, it } from 'vitest';
import { parseRun } from '../../lib/api-types';
import { traceByNode } from './trace';

describe('traceByNode', () => {
  it('summarises attempts, duration, port and the last error per node', () => {
    const run = parseRun({
      id: 'r1',
      flowId: 'f',
      flowVersion: '1.0.0',
      status: 'failed',
      steps: [
        {
          nodeId: 't',
          nodeType: 'trigger.manual',
          attempt: 1,
          status: 'succeeded',
          durationMs: 1,
          port: 'out',
        },
        {
          nodeId: 'h',
          nodeType: 'connector.http',
          attempt: 1,
          status: 'failed',
          durationMs: 5,
          error: { errorClass: 'TransientError', code: 'http.503', message: 'busy' },
        },
        {
          nodeId: 'h',
          nodeType: 'connector.http',
          attempt: 2,
          status: 'failed',
          durationMs: 7,
          error: { errorClass: 'PermanentError', code: 'http.400', message: 'bad' },
        },
      ],
    });
    if (!run) throw new Error('not parsed');
    expect(run.failedNodeId).toBe('h');
    const trace = traceByNode(run);
    expect(trace.get('t')).toMatchObject({ status: 'succeeded', attempts: 1, port: 'out' });
    expect(trace.get('h')).toMatchObject({
      status: 'failed',
      attempts: 2,
      durationMs: 12,
      error: 'http.400: bad',
    });
  });

  it('reads the runtime step shape: ports taken and emissions per port', () => {
    const run = parseRun({
      id: 'r2',
      flowId: 'f',
      version: '1.0.0',
      status: 'succeeded',
      replayOf: { runId: 'r1', fromNode: 'h', by: 'ops' },
      steps: [
        {
          nodeId: 'b',
          nodeType: 'rule.branch',
          attempt: 1,
          status: 'succeeded',
          ports: ['true'],
          output: [{ port: 'true', payload: { a: 1 } }],
        },
      ],
    });
    expect(run).toMatchObject({ flowVersion: '1.0.0', replayOf: 'r1' });
    expect(run?.steps[0]).toMatchObject({ port: 'true', output: { a: 1 } });
  });

  it('shows a failed attempt of a running run as a retry', () => {
    const run = parseRun({
      id: 'r',
      status: 'running',
      steps: [{ nodeId: 'h', attempt: 1, status: 'failed' }],
    });
    if (!run) throw new Error('not parsed');
    expect(traceByNode(run).get('h')?.status).toBe('retrying');
    expect(parseRun({ nope: 1 })).toBeNull();
  });
});
