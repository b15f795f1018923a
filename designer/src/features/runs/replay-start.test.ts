import { describe, expect, it } from 'vitest';
import { failureCodeOf } from '../../lib/api-types';
import { defaultReplayNode, replayPoints } from './replay-start';
import { failureFixture, runFixture, stepFixture as step } from './run-fixture';

describe('defaultReplayNode', () => {
  it('starts at the node whose error a dead-letter node parked, not at the park', () => {
    const r = runFixture({
      failure: failureFixture('dead', 'dead-lettered'),
      steps: [
        step('trigger', 'succeeded', { ports: ['out'] }),
        step('http', 'failed', { attempt: 1, ports: [] }),
        step('http', 'failed', { attempt: 2, ports: ['error'] }),
        step('catch', 'succeeded', { ports: ['unavailable'] }),
        step('dead', 'failed', { ports: [] }),
      ],
    });
    expect(failureCodeOf(r)).toBe('dead-lettered');
    expect(defaultReplayNode(r)).toBe('http');
  });

  it('starts at the failed node when nothing was caught', () => {
    const r = runFixture({
      failure: failureFixture('http', 'upstream-rejected'),
      steps: [step('trigger', 'succeeded'), step('http', 'failed')],
    });
    expect(defaultReplayNode(r)).toBe('http');
  });

  it('falls back to the failed node when a dead letter has no caught step', () => {
    const r = runFixture({
      failure: failureFixture('dead', 'dead-lettered'),
      steps: [step('trigger', 'succeeded'), step('dead', 'failed')],
    });
    expect(defaultReplayNode(r)).toBe('dead');
  });

  it('has none for a run without a failure or steps', () => {
    expect(defaultReplayNode(runFixture({ status: 'succeeded' }))).toBeNull();
  });
});

describe('replayPoints', () => {
  it('lists each node once in first-run order with its last input', () => {
    const r = runFixture({
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
