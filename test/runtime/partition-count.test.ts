import type { Runtime } from '@crossdock/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanRedis, flowsDirFor, testRuntime, uniquePrefix } from './helpers';

/** A process with another partition count than the data was written with is refused at start. */

const prefix = uniquePrefix('partition-count');
const flows = flowsDirFor('http://127.0.0.1:9');
const runtimes: Runtime[] = [];

afterAll(async () => {
  for (const r of runtimes) await r.close();
  flows.remove();
  await cleanRedis(prefix);
});

function runtimeWith(partitions: number): Runtime {
  const runtime = testRuntime({
    prefix,
    flowsDir: flows.dir,
    env: { CROSSDOCK_PARTITIONS: String(partitions) },
  });
  runtimes.push(runtime);
  return runtime;
}

describe('the partition count', () => {
  it('is recorded by the first process and must match in every later one', async () => {
    expect(await runtimeWith(3).partitionProblem()).toBeUndefined();
    expect(await runtimeWith(3).partitionProblem()).toBeUndefined();
    expect(await runtimeWith(1).partitionProblem()).toMatch(
      /written with CROSSDOCK_PARTITIONS=3, this process has 1/,
    );
  });
});
