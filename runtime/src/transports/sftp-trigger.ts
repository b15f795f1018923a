import { createHash, randomUUID } from 'node:crypto';
import {
  type FlowDocument,
  type JsonObject,
  remoteJoin,
  type SftpCapability,
  type SftpEntry,
} from '@crossdock/nodes';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import picomatch from 'picomatch';
import type { Logger } from '../infra/logger';
import { reportQueueErrors } from '../infra/redis-health';
import type { RunService } from '../service/run-service';
import type { Keys } from '../store/keys';

export const SFTP_POLL_QUEUE = 'sftp-polls';

/** One `trigger.sftp` node of a flow, with its defaults applied. */
export interface SftpTriggerSpec {
  nodeId: string;
  connection: string;
  folder: string;
  pattern: string;
  archiveFolder: string;
  errorFolder: string;
  intervalMs: number;
  maxFiles: number;
  maxBytes: number;
  encoding: 'utf8' | 'base64';
}

interface PollData {
  flowId: string;
  nodeId: string;
}

const str = (config: JsonObject, key: string, fallback: string) =>
  typeof config[key] === 'string' ? (config[key] as string) : fallback;
const int = (config: JsonObject, key: string, fallback: number) =>
  typeof config[key] === 'number' ? (config[key] as number) : fallback;

/** The SFTP folder triggers of a flow. */
export function sftpTriggersOf(flow: FlowDocument): SftpTriggerSpec[] {
  return flow.nodes
    .filter((n) => n.type === 'trigger.sftp')
    .map((n) => ({
      nodeId: n.id,
      connection: str(n.config, 'connection', ''),
      folder: str(n.config, 'folder', '/'),
      pattern: str(n.config, 'pattern', '*'),
      archiveFolder: str(n.config, 'archiveFolder', '/archive'),
      errorFolder: str(n.config, 'errorFolder', '/error'),
      intervalMs: int(n.config, 'intervalMs', 30_000),
      maxFiles: int(n.config, 'maxFiles', 50),
      maxBytes: int(n.config, 'maxBytes', 10_485_760),
      encoding: n.config.encoding === 'base64' ? 'base64' : 'utf8',
    }));
}

const schedulerId = (flowId: string, nodeId: string) => `sftp:${flowId}:${nodeId}`;

/**
 * SFTP folder triggers as BullMQ job schedulers (`every` interval), one per trigger node of the
 * active version: every worker shares one clock, so a folder is listed once per interval.
 */
export class SftpPolls {
  readonly queue: Queue<PollData>;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue<PollData>(SFTP_POLL_QUEUE, { connection, prefix });
  }

  /**
   * Registers, changes or removes the flow's pollers to match the version now active (its
   * folder triggers, as their manifest's activation declares them).
   */
  async follow(
    flowId: string,
    polls: readonly { nodeId: string; intervalMs: number }[],
  ): Promise<void> {
    const current = new Set(polls.map((t) => schedulerId(flowId, t.nodeId)));
    const schedulers = await this.queue.getJobSchedulers();
    for (const s of schedulers) {
      const id = s.key;
      if (id.startsWith(`sftp:${flowId}:`) && !current.has(id))
        await this.queue.removeJobScheduler(id);
    }
    for (const t of polls) {
      await this.queue.upsertJobScheduler(
        schedulerId(flowId, t.nodeId),
        { every: t.intervalMs },
        { name: 'poll', data: { flowId, nodeId: t.nodeId } },
      );
    }
  }

  /** Stops polling the flow's folders until its next activation (see `Schedules.unfollow`). */
  async unfollow(flowId: string): Promise<void> {
    for (const s of await this.queue.getJobSchedulers()) {
      if (s.key.startsWith(`sftp:${flowId}:`)) await this.queue.removeJobScheduler(s.key);
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** What a poll needs: the flow's version, the run service, Redis for claims, the SFTP session. */
export interface SftpPollDeps {
  redis: Redis;
  keys: Keys;
  service: RunService;
  /** The SFTP capability of a connection (the pooled session, address-checked). */
  sftp(connection: string): Promise<SftpCapability>;
  /** How long a claim outlives its file's run (the dedupe window): the run retention. */
  retentionMs: number;
  log: Logger;
}

/** What one poll did, file paths by outcome. */
export interface PollOutcome {
  started: string[];
  archived: string[];
  failed: string[];
}

/** How long a worker may take between claiming a file and recording its run before another may. */
const CLAIM_LEASE_MS = 300_000;

/** A file's identity: the same path with the same size and time is the same file. */
function fileId(flowId: string, nodeId: string, file: SftpEntry): string {
  return createHash('sha256')
    .update(`${flowId}\u0000${nodeId}\u0000${file.path}\u0000${file.size}\u0000${file.modifiedAt}`)
    .digest('hex')
    .slice(0, 40);
}

/** Sets `key` to `to` only while it still holds `from` (a claim changes hands atomically). */
const SWAP = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

/** Deletes `key` only while it still holds this worker's token. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Lists the trigger's folder once: starts a run for each new file (claimed first, in Redis, so
 * several workers and a restart never start a file twice; the run id derives from the file, so
 * a worker that died between claim and record is finished by the next), and moves the files
 * whose runs have ended to the archive (succeeded) or error (failed) folder.
 */
export async function pollFolder(
  deps: SftpPollDeps,
  flowId: string,
  trigger: SftpTriggerSpec,
): Promise<PollOutcome> {
  const outcome: PollOutcome = { started: [], archived: [], failed: [] };
  const sftp = await deps.sftp(trigger.connection);
  const matches = picomatch(trigger.pattern, { dot: false });
  const files = (await sftp.list(trigger.folder)).filter(
    (f) => matches(f.name) && !f.name.endsWith('.part'),
  );
  let startedCount = 0;
  for (const file of files) {
    const id = fileId(flowId, trigger.nodeId, file);
    const claimKey = deps.keys.sftpFile(id);
    const runId = `run_sftp_${id}`;
    const claim = await deps.redis.get(claimKey);
    if (claim === null || claim.startsWith('claim:')) {
      if (claim === null && startedCount >= trigger.maxFiles) continue;
      const token = `claim:${randomUUID()}`;
      const mine = await deps.redis.set(claimKey, token, 'PX', CLAIM_LEASE_MS, 'NX');
      if (mine !== 'OK') continue; // another worker holds it (its lease has not run out)
      startedCount += 1;
      let started: string;
      try {
        started = await startFile(deps, flowId, trigger, sftp, file, runId);
      } catch (error) {
        // Let the next poll (any worker) try at once; the run id keeps it from starting twice.
        await deps.redis.eval(RELEASE, 1, claimKey, token).catch(() => undefined);
        throw error;
      }
      await deps.redis.eval(SWAP, 1, claimKey, token, `run:${started}`, String(deps.retentionMs));
      outcome.started.push(file.path);
      continue;
    }
    if (!claim.startsWith('run:')) continue; // moved already ('done:')
    // The id the run service gave it: with several partitions, the file's id placed in one.
    const fileRunId = claim.slice('run:'.length);
    const status = await deps.redis.hget(deps.keys.run(fileRunId), 'status');
    const target =
      status === 'succeeded'
        ? trigger.archiveFolder
        : status === 'failed' || status === 'replaying' || status === 'discarded'
          ? trigger.errorFolder
          : undefined;
    if (!target) continue; // still queued or running
    try {
      await sftp.rename(file.path, remoteJoin(target, `${fileRunId}-${file.name}`));
    } catch (error) {
      // Another worker moved it first; anything else is tried again on the next poll.
      if ((error as { code?: unknown }).code !== 'not-found') throw error;
    }
    await deps.redis.set(claimKey, `done:${fileRunId}`, 'PX', deps.retentionMs);
    (target === trigger.archiveFolder ? outcome.archived : outcome.failed).push(file.path);
  }
  return outcome;
}

async function startFile(
  deps: SftpPollDeps,
  flowId: string,
  trigger: SftpTriggerSpec,
  sftp: SftpCapability,
  file: SftpEntry,
  runId: string,
): Promise<string> {
  // A run recorded by a worker that died before marking its claim: nothing more to start.
  // (With several partitions the recorded id is placed in one; intake answers it instead.)
  if ((await deps.redis.exists(deps.keys.run(runId))) === 1) return runId;
  if (file.size > trigger.maxBytes) {
    deps.log.warn(
      { flowId, path: file.path, size: file.size, maxBytes: trigger.maxBytes },
      'sftp file larger than maxBytes: moved to the error folder without a run',
    );
    await sftp.rename(file.path, remoteJoin(trigger.errorFolder, `too-large-${file.name}`));
    return runId;
  }
  const bytes = Buffer.from(await sftp.read(file.path, { maxBytes: trigger.maxBytes }));
  const started = await deps.service.start({
    flowId,
    triggerNodeId: trigger.nodeId,
    runId,
    payload: {
      fileName: file.name,
      path: file.path,
      size: file.size,
      modifiedAt: new Date(file.modifiedAt).toISOString(),
      content: bytes.toString(trigger.encoding),
      encoding: trigger.encoding,
    },
  });
  return started.runId;
}

/** Runs the polls the schedulers fire; a poll of a flow no longer active does nothing. */
export function startSftpPollWorker(
  options: SftpPollDeps & {
    connection: Redis;
    prefix: string;
    triggers(flowId: string): Promise<SftpTriggerSpec[]>;
  },
): Worker<PollData> {
  const worker = new Worker<PollData>(
    SFTP_POLL_QUEUE,
    async (job: Job<PollData>) => {
      const trigger = (await options.triggers(job.data.flowId)).find(
        (t) => t.nodeId === job.data.nodeId,
      );
      if (!trigger) return 'inactive';
      const outcome = await pollFolder(options, job.data.flowId, trigger);
      return `${outcome.started.length} started, ${outcome.archived.length + outcome.failed.length} moved`;
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 2 },
  );
  reportQueueErrors(worker, options.log, 'sftp poll worker');
  worker.on('failed', (job, error) => {
    options.log.warn(
      { flowId: job?.data.flowId, nodeId: job?.data.nodeId, err: error.message },
      'sftp folder poll failed; the next interval tries again',
    );
  });
  return worker;
}
