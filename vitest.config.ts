import os from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files measured as the slowest (15-50 s each when run alone, mostly waiting on real processes,
 * brokers, timers and browsers rather than using a core), slowest first. They start before
 * everything else so the other worker works through the short files meanwhile, instead of one of
 * these ending the run alone. Vitest orders by the durations it cached on the last run when it
 * has them; a clean clone (CI) has none and would order by file size, which puts these anywhere.
 */
const slowFirst = [
  'test/scenarios/outage-burst.test.ts',
  'test/readme/readme.test.ts',
  'test/browser/forms.test.ts',
  'test/transports/worker-kill-nats-mqtt.test.ts',
  'test/browser/analyst.test.ts',
  'test/faults/outage.test.ts',
  'test/scenarios/shadow.test.ts',
];

class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification): number => {
      const i = slowFirst.findIndex((f) => spec.moduleId.replaceAll('\\', '/').endsWith(`/${f}`));
      return i === -1 ? slowFirst.length : i;
    };
    // Array.prototype.sort is stable: the rest keep the order Vitest chose.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['{nodes,runtime,designer,sandbox,test}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Runtime tests share one Redis; each uses its own key prefix, so files can run in parallel.
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one worker on the 2-core CI machine,
    // which runs every file one after another although most of a file's time is spent waiting
    // (timers, polls, spawned servers, Chromium). At least two keep both cores busy; larger
    // machines keep Vitest's default. VITEST_MAX_WORKERS overrides it (1: the serial run).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    sequence: { sequencer: SlowFirstSequencer },
    globalSetup: ['test/builds.setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
