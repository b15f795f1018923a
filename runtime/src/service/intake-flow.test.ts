import { describe, expect, it } from 'vitest';
import { IntakeFlow } from './intake-flow';

function flow(depth: number, maxMs: number, rates: number[]) {
  let now = 0;
  let reads = 0;
  const intake = new IntakeFlow({
    depth,
    maxMs,
    drainRate: async () => rates[Math.min(reads++, rates.length - 1)] as number,
    now: () => now,
  });
  return {
    intake,
    reads: () => reads,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('IntakeFlow', () => {
  it('never pauses at or below its depth, when off, or without a waiting count', async () => {
    const { intake, reads } = flow(100, 1000, [10]);
    expect(await intake.pauseMs(100)).toBe(0);
    expect(await intake.pauseMs(undefined)).toBe(0);
    expect(await flow(0, 1000, [10]).intake.pauseMs(1_000_000)).toBe(0);
    expect(await flow(100, 0, [10]).intake.pauseMs(1_000_000)).toBe(0);
    // Nothing to pause for: the drain rate is not even read.
    expect(reads()).toBe(0);
  });

  it('pauses for the time the runs above its depth take at the drain rate, at most maxMs', async () => {
    const { intake } = flow(100, 1000, [500]);
    expect(await intake.pauseMs(101)).toBe(2);
    expect(await intake.pauseMs(150)).toBe(100);
    expect(await intake.pauseMs(350)).toBe(500);
    expect(await intake.pauseMs(100_000)).toBe(1000);
  });

  it('takes a stopped drain as one run a second (the longest pause), and a failed read as none', async () => {
    expect(await flow(10, 800, [0]).intake.pauseMs(11)).toBe(800);
    const failing = new IntakeFlow({
      depth: 10,
      maxMs: 800,
      drainRate: () => Promise.reject(new Error('Redis is away')),
      now: () => 0,
    });
    expect(await failing.pauseMs(11)).toBe(800);
  });

  it('reads the drain rate at most once a second', async () => {
    const { intake, reads, advance } = flow(10, 10_000, [100, 1000]);
    expect(await intake.pauseMs(110)).toBe(1000);
    advance(999);
    expect(await intake.pauseMs(110)).toBe(1000);
    expect(reads()).toBe(1);
    advance(1);
    expect(await intake.pauseMs(110)).toBe(100);
    expect(reads()).toBe(2);
  });
});
