import { describe, expect, it } from 'vitest';
import { parseRun } from '../../lib/api-types';
import { defaultReplayNode, replayPoints } from './replay-start';

const step = (nodeId: string, status: string, extra: Record<string, unknown> = {}) => ({
  nodeId,
  nodeType: 'x',
  attempt: 1,
  status,
  ...extra,
});

function run(value: Record<string, unknown>) {
  const r = parseRun({ id: 'r1', flowId: 'f', flowVersion: '1.0.0', status: 'failed', ...value });
  if (!r) throw new Error('not parsed');
  return r;
}

describe('defaultReplayNode', () => {
  it('starts at the node whose error a dead-letter node parked, not at the park', () => {
    const r = run({
      failure: { nodeId: 'dead', error: { code: 'dead-lettered', message: 'parked' } },
      steps: [
        step('trigger', 'succeeded', { ports: ['out'] }),
        step('http', 'failed', { attempt: 1, ports: [] }),
        step('http', 'failed', { attempt: 2, ports: ['error'] }),
        step('catch', 'succeeded', { ports: ['unavailable'] }),
        step('dead', 'failed', { ports: [] }),
      ],
    });
    expect(r.failureCode).toBe('dead-lettered');
    expect(defaultReplayNode(r)).toBe('http');
  });

  it('starts at the failed node when nothing was caught', () => {
    const r = run({
      failure: { nodeId: 'http', error: { code: 'upstream-rejected', message: '422' } },
      steps: [step('trigger', 'succeeded'), step('http', 'failed')],
    });
    expect(defaultReplayNode(r)).toBe('http');
  });

  it('falls back to the failed node when a dead letter has no caught step', () => {
    const r = run({
      failure: { nodeId: 'dead', error: { code: 'dead-lettered', message: 'parked' } },
      steps: [step('trigger', 'succeeded'), step('dead', 'failed')],
    });
    expect(defaultReplayNode(r)).toBe('dead');
  });

  it('has none for a run without a failure or steps', () => {
    expect(defaultReplayNode(run({ status: 'succeeded' }))).toBeNull();
  });
});

describe('replayPoints', () => {
  it('lists each node once in first-run order with its last input', () => {
    const r = run({
      steps: [
        step('a', 'succeeded', { input: 1 }),
        step('b', 'failed', { input: 2 }),
        step('b', 'failed', { attempt: 2, input: 3 }),
      ],
    });
    expect(replayPoints(r)).toEqual([
      { nodeId: 'a', input: 1 },
      { nodeId: 'b', input: 3 },
    ]);
  });
});

describe('parseRun replay links', () => {
  it('reads replayOf and replayedBy', () => {
    const r = run({ replayOf: { runId: 'r0', fromNode: 'http', by: 'ops' }, replayedBy: 'r2' });
    expect(r.replayOf).toBe('r0');
    expect(r.replayedBy).toBe('r2');
  });
});
