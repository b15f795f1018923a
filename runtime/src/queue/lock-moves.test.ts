import { describe, expect, it } from 'vitest';
import { lockMoveRunId } from './lock-moves';

describe('lock moves', () => {
  it('recognises BullMQ refusing a write because another worker holds the run', () => {
    expect(lockMoveRunId(new Error('Missing lock for job run_1. moveToFinished'))).toBe('run_1');
    expect(
      lockMoveRunId(new Error('Lock mismatch for job run_2. Cmd moveToDelayed from active')),
    ).toBe('run_2');
    expect(lockMoveRunId(new Error('Job run_3 is not in the active state. moveToDelayed'))).toBe(
      'run_3',
    );
  });

  it('leaves every other error an error', () => {
    expect(lockMoveRunId(new Error('Missing key for job run_4. moveToFinished'))).toBeUndefined();
    expect(lockMoveRunId(new TypeError('x is undefined'))).toBeUndefined();
    expect(lockMoveRunId('Missing lock for job run_5.')).toBeUndefined();
  });
});
