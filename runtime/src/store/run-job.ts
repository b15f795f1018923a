import { Backoffs, Job, type JobsOptions, QueueKeys } from 'bullmq';
import { addPrioritizedJob } from 'bullmq/dist/esm/scripts/addPrioritizedJob-9.js';
import { addStandardJob } from 'bullmq/dist/esm/scripts/addStandardJob-9.js';

/**
 * The BullMQ queue of runs, one per partition under the partition's prefix (its hash tag, as
 * BullMQ needs on a Redis Cluster): one job per run (not per step), id = run id.
 */
export const RUN_QUEUE = 'runs';

/**
 * A run's BullMQ job, added by the intake script in the same atomic script that records the run
 * (store/run-store.ts), so a run is never recorded without its job and no sweep has to find one
 * that was. The job is added by BullMQ's own add scripts, taken from the installed package (the
 * version is pinned: their keys and arguments are BullMQ's internals, and run-job.test.ts checks
 * that a job added this way is the job `Queue.add` writes), each wrapped as a Lua function of
 * its KEYS and ARGV. The intake calls `addRunJob(keys, prefix, jobId, timestamp, data, opts,
 * prioritized)`: BullMQ's script arguments are msgpack, packed here in Lua.
 */
export const RUN_JOB_LUA = `
local function addStandardRunJob(KEYS, ARGV)
${addStandardJob.content}
end
local function addPrioritizedRunJob(KEYS, ARGV)
${addPrioritizedJob.content}
end
local function addRunJob(keys, prefix, jobId, timestamp, data, opts, prioritized)
  local argv = {cmsgpack.pack({prefix, jobId, 'run', timestamp}), data,
    cmsgpack.pack(cjson.decode(opts))}
  if prioritized then return addPrioritizedRunJob(keys, argv) end
  return addStandardRunJob(keys, argv)
end
`;

/** How many keys a run job's add script takes (`runJobKeys`). */
export const RUN_JOB_KEY_COUNT = 9;

// Node failures are the run's business (traces, exception queue); a job only fails on an
// infrastructure error (Redis gone mid-step), and then it is retried from the checkpoint.
const RUN_JOB_OPTIONS = {
  removeOnComplete: true,
  removeOnFail: 1000,
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
} satisfies JobsOptions;

/** BullMQ adds a job with a priority (any but 0) to its prioritized set, else to its wait list. */
export function isPrioritized(priority: number | undefined): boolean {
  return priority !== undefined && priority !== 0;
}

const queueKeys = new Map<string, Record<string, string>>();

/** The keys of a partition's run queue (BullMQ's names, under the partition's prefix). */
function keysOf(partitionPrefix: string): Record<string, string> {
  let keys = queueKeys.get(partitionPrefix);
  if (!keys) {
    keys = new QueueKeys(partitionPrefix).getKeys(RUN_QUEUE);
    queueKeys.set(partitionPrefix, keys);
  }
  return keys;
}

/** The keys of the run queue of a partition (its prefix) that the job's add script takes. */
export function runJobKeys(partitionPrefix: string, priority: number | undefined): string[] {
  const q = keysOf(partitionPrefix);
  const keys = isPrioritized(priority)
    ? [q.marker, q.meta, q.id, q.prioritized, q.delayed, q.completed, q.active, q.events, q.pc]
    : [q.wait, q.paused, q.meta, q.id, q.completed, q.delayed, q.active, q.events, q.marker];
  return keys as string[];
}

// The job id's place in the options text, filled per run (its JSON is the same text whatever
// the run otherwise).
const JOB_ID = '<job-id>';
const JOB_ID_HOLE = JSON.stringify(JOB_ID);
const optionTexts = new Map<number | undefined, [string, string]>();

/** The job options as `Queue.add` stores them, with a hole where the job id goes. */
function optionText(priority: number | undefined): [string, string] {
  let text = optionTexts.get(priority);
  if (!text) {
    const opts: JobsOptions = {
      ...RUN_JOB_OPTIONS,
      backoff: Backoffs.normalize(RUN_JOB_OPTIONS.backoff),
      jobId: JOB_ID,
      ...(priority !== undefined ? { priority } : {}),
    };
    const json = JSON.stringify(Job.optsAsJSON(opts));
    const at = json.indexOf(JOB_ID_HOLE);
    text = [json.slice(0, at), json.slice(at + JOB_ID_HOLE.length)];
    optionTexts.set(priority, text);
  }
  return text;
}

/**
 * The arguments of `addRunJob` after its keys: the job key prefix, the job's data and its
 * options as `Queue.add` would store them (the job id is the run id).
 */
export function runJobArgs(
  partitionPrefix: string,
  runId: string,
  priority: number | undefined,
): { prefix: string; data: string; opts: string } {
  const id = JSON.stringify(runId);
  const [before, after] = optionText(priority);
  return {
    prefix: keysOf(partitionPrefix)[''] as string,
    data: `{"runId":${id}}`,
    opts: `${before}${id}${after}`,
  };
}
