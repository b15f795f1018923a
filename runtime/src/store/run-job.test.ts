import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanRedis, TEST_REDIS_URL, uniquePrefix } from '../testing/redis-prefix';
import { until } from '../testing/wait';
import {
  isPrioritized,
  RUN_JOB_KEY_COUNT,
  RUN_JOB_LUA,
  RUN_QUEUE,
  runJobArgs,
  runJobKeys,
} from './run-job';

/**
 * The intake adds a run's job with BullMQ's own add scripts, called from its Lua. What it writes
 * must be the job `Queue.add` writes with the options runs have always had, so that BullMQ's
 * worker takes, retries and removes it as its own; a BullMQ upgrade that changes its scripts'
 * keys or arguments fails here.
 */

const prefix = uniquePrefix('run-job');
let redis: Redis;
let queue: Queue;

/** The options `Queue.add` got for a run's job before the intake added it itself. */
const queueAddOptions = (runId: string, priority?: number) => ({
  jobId: runId,
  ...(priority !== undefined ? { priority } : {}),
  removeOnComplete: true,
  removeOnFail: 1000,
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
});

// A script that only adds the job, as the intake script does after its checks.
const ADD = `${RUN_JOB_LUA}
return addRunJob(KEYS, ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6] == '1')`;

async function addRunJob(runId: string, created: number, priority?: number): Promise<unknown> {
  const job = runJobArgs(prefix, runId, priority);
  return redis.eval(
    ADD,
    RUN_JOB_KEY_COUNT,
    ...runJobKeys(prefix, priority),
    job.prefix,
    runId,
    created,
    job.data,
    job.opts,
    isPrioritized(priority) ? '1' : '',
  );
}

/** A job hash with what differs between two adds (id, time) taken out and its opts parsed. */
async function jobHash(runId: string): Promise<Record<string, unknown>> {
  const { timestamp, opts, data, ...rest } = await redis.hgetall(`${prefix}:${RUN_QUEUE}:${runId}`);
  expect(Number(timestamp)).toBeGreaterThan(0);
  const parsed = JSON.parse(opts ?? '{}') as Record<string, unknown>;
  expect(parsed.jobId).toBe(runId);
  expect(JSON.parse(data ?? '{}')).toEqual({ runId });
  return { ...rest, opts: { ...parsed, jobId: '<id>' } };
}

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
  queue = new Queue(RUN_QUEUE, { connection: redis, prefix });
});

afterAll(async () => {
  await queue.close();
  redis.disconnect();
  await cleanRedis(prefix);
});

describe('a run job added by the intake script', () => {
  it('is the job Queue.add writes, in the wait list', async () => {
    await queue.add('run', { runId: 'run_a' }, queueAddOptions('run_a'));
    expect(await addRunJob('run_b', Date.now())).toBe('run_b');
    expect(await jobHash('run_b')).toEqual(await jobHash('run_a'));
    expect(await queue.getJobState('run_b')).toBe('waiting');
    expect(await redis.lrange(`${prefix}:${RUN_QUEUE}:wait`, 0, -1)).toEqual(['run_b', 'run_a']);
  });

  it('is the prioritized job Queue.add writes when the flow has a priority', async () => {
    await queue.add('run', { runId: 'run_pa' }, queueAddOptions('run_pa', 3));
    expect(await addRunJob('run_pb', Date.now(), 3)).toBe('run_pb');
    expect(await jobHash('run_pb')).toEqual(await jobHash('run_pa'));
    expect(await queue.getJobState('run_pb')).toBe('prioritized');
    // Priority 0 is no priority, for BullMQ as here.
    expect(isPrioritized(0)).toBe(false);
  });

  it('is not added twice under the same run id', async () => {
    expect(await addRunJob('run_twice', Date.now())).toBe('run_twice');
    expect(await addRunJob('run_twice', Date.now())).toBe('run_twice');
    const waiting = await redis.lrange(`${prefix}:${RUN_QUEUE}:wait`, 0, -1);
    expect(waiting.filter((id) => id === 'run_twice')).toHaveLength(1);
  });

  it('keeps a run id that JSON and Lua must escape (a run named after an SFTP file)', async () => {
    const odd = 'run_file "ASN\\2026" ü.edi';
    expect(await addRunJob(odd, Date.now())).toBe(odd);
    expect(await jobHash(odd)).toMatchObject({ name: 'run' });
    expect((await queue.getJob(odd))?.data).toEqual({ runId: odd });
  });

  it("is taken by BullMQ's worker, which removes it once done", async () => {
    await queue.obliterate({ force: true });
    const seen: unknown[] = [];
    const worker = new Worker(
      RUN_QUEUE,
      async (job) => {
        seen.push([job.id, job.data, job.opts.attempts]);
      },
      { connection: redis.duplicate({ maxRetriesPerRequest: null }), prefix },
    );
    try {
      await addRunJob('run_w', Date.now());
      await addRunJob('run_wp', Date.now(), 2);
      await until(() => seen.length === 2, 'both jobs processed');
      expect(seen).toEqual(
        expect.arrayContaining([
          ['run_w', { runId: 'run_w' }, 10],
          ['run_wp', { runId: 'run_wp' }, 10],
        ]),
      );
      await until(
        async () => (await redis.exists(`${prefix}:${RUN_QUEUE}:run_w`)) === 0,
        'the done job removed',
      );
    } finally {
      await worker.close();
    }
  });
});
