import type { RunWithSteps } from '../engine/run-types';
import type { Runtime } from '../runtime';

/**
 * Polls `probe` until it returns something other than `undefined` or `false`, and returns that;
 * throws naming `what` once `timeoutMs` has passed. Every wait in a test has a deadline.
 */
export async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  { timeoutMs = 10_000, everyMs = 25 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Polls the run's status until it ends, then reads the whole run (15 s deadline by default). */
export async function waitForRun(
  runtime: Pick<Runtime, 'redis' | 'keys' | 'runs'>,
  runId: string,
  timeoutMs = 15_000,
): Promise<RunWithSteps> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const status = await runtime.redis.hget(runtime.keys.run(runId), 'status');
    if (status === 'succeeded' || status === 'failed' || status === 'discarded') {
      const run = await runtime.runs.get(runId);
      if (run) return run;
    }
    if (Date.now() > until) throw new Error(`Run ${runId} did not end (status ${status}).`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
