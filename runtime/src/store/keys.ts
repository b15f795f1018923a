import { CLUSTER_SLOTS, keySlot, stableHash } from './key-slot';

/**
 * The keys of one partition (shard) of run data: the runs, their traces and state, the intake
 * bookkeeping and the indexes. Each partition has its own hash tag, so on a Redis Cluster its
 * keys sit in one slot (a script or MULTI may span them) and different partitions spread over
 * the masters. With one partition its prefix is the runtime's prefix, as before partitions.
 */
export interface PartitionKeys {
  index: number;
  /** The partition's key prefix (`{<tag>~<n>}<rest>`; the runtime's prefix when alone). */
  prefix: string;
  /** What every run hash key of this partition starts with (`+ run id`), for scripts. */
  runPrefix: string;
  dedupe(flowId: string, key: string): string;
  all: string;
  byFlow(flowId: string): string;
  byStatus(status: string): string;
  byKey(value: string): string;
  exceptions: string;
  /** Runs started in one epoch second (the drain rate behind Retry-After). */
  drain(second: number): string;
  /** Runs of a flow with one ordering key, in acceptance order (the head runs). */
  ordering(flowId: string, key: string): string;
  /** Where trace compaction stopped in this partition (creation time of the last run done). */
  compactCursor: string;
  /**
   * The partition's epoch marker, on the master that holds its data: gone or changed means
   * that master lost it. With one partition it is the global marker (`Keys.epoch`).
   */
  epoch: string;
}

/**
 * Every Redis key the runtime writes. Run data is split over `count` partitions (see
 * `PartitionKeys`); a run's partition is part of its id (`<id>.p<n>` when there is more than
 * one), so the keys of a run are found from its id alone. Everything else (deployed flows, the
 * epoch marker, connections, webhooks, promotions) is global, under the runtime's prefix and its
 * hash tag (the default `{crossdock}`).
 */
export interface Keys {
  prefix: string;
  /** How many partitions run data is split over (1: a single Redis, nothing split). */
  count: number;
  partitions: readonly PartitionKeys[];
  partition(index: number): PartitionKeys;
  /** The partition a run id belongs to (its `.p<n>` suffix, else a hash of the id). */
  partitionOf(runId: string): number;
  /** The partition keys of a run. */
  forRun(runId: string): PartitionKeys;
  /** A run id placed in a partition (unchanged with one partition). */
  placeRun(baseId: string, partition: number): string;
  /**
   * The partition of a business key of a flow (its ordering or idempotency key): every run
   * that shares the key lands in the same partition, so one script sees them all.
   */
  partitionFor(flowId: string, key: string): number;
  run(id: string): string;
  steps(id: string): string;
  state(id: string): string;
  /** A run's answer to the webhook caller waiting for it: key and pub/sub channel (request-reply). */
  reply(runId: string): string;
  cache(key: string): string;
  /** The global epoch marker: gone or changed means Redis lost its data (each partition has its own). */
  epoch: string;
  /** The partition count the data was written with (a different count would lose runs). */
  partitionCount: string;
  flowIds: string;
  flowVersions(flowId: string): string;
  flowLatest: string;
  hooks: string;
  /** Pub/sub channel: a version was deployed or activated (processes drop their flow cache). */
  flowsChanged: string;
  promotions: string;
  /** Deployed business process ids, versions (version -> deployment) and the active version of each. */
  processIds: string;
  processVersions(processId: string): string;
  processActive: string;
  /** Pub/sub channel: a process version was deployed or activated (workers reload). */
  processesChanged: string;
  rate(connection: string, window: number): string;
  /** A connection's circuit breaker (failures in a row, open until, probe in flight). */
  breaker(connection: string): string;
  /** A connection's calls in flight (token -> lease expiry), for its concurrency limit. */
  leases(connection: string): string;
  /** Which flow owns each webhook path (path -> {flowId, signed}); never handed to another flow. */
  hookOwners: string;
  /** An accepted webhook signature, kept for the tolerance window so a replay is refused. */
  hookSignature(digest: string): string;
  /** A test deployment (`<version>+test.<hash>`), expiring with run retention. */
  testVersion(flowId: string, version: string): string;
  /** An SFTP trigger's claim on one file (path, size, time): who starts it, then its run. */
  sftpFile(id: string): string;
  authFailures(client: string): string;
  authBlock(client: string): string;
  /** Which worker process holds a broker trigger that only one may consume (MQTT). */
  triggerLock(name: string): string;
}

/** Most partitions a runtime may have (each is a BullMQ queue and a worker per process). */
export const MAX_PARTITIONS = 256;

const PLACED = /\.p(\d+)$/;

/**
 * The hash tag of each partition: `<tag>~<n>`, with each `n` the first that puts the tag's slot
 * in its own 1/count of the slot space, so partitions spread evenly over the masters of a
 * cluster whose slots are split in even ranges (as `redis-cli --cluster create` splits them).
 */
function partitionTags(base: string, count: number): string[] {
  const tags: string[] = [];
  let filled = 0;
  for (let n = 0; filled < count; n++) {
    if (n > count * 10_000) throw new Error(`No spread of ${count} partition tags for "${base}".`);
    const tag = `${base}~${n}`;
    const bucket = Math.floor((keySlot(`{${tag}}`) * count) / CLUSTER_SLOTS);
    if (tags[bucket] === undefined) {
      tags[bucket] = tag;
      filled += 1;
    }
  }
  return tags;
}

function partitionKeys(index: number, prefix: string): PartitionKeys {
  const p = `${prefix}:cd`;
  return {
    index,
    prefix,
    runPrefix: `${p}:run:`,
    dedupe: (flowId, key) => `${p}:dedupe:${flowId}:${key}`,
    all: `${p}:idx:all`,
    byFlow: (flowId) => `${p}:idx:flow:${flowId}`,
    byStatus: (status) => `${p}:idx:status:${status}`,
    byKey: (value) => `${p}:idx:key:${value}`,
    exceptions: `${p}:idx:exceptions`,
    drain: (second) => `${p}:drain:${second}`,
    ordering: (flowId, key) => `${p}:order:${flowId}:${key}`,
    compactCursor: `${p}:compact:cursor`,
    epoch: `${p}:epoch`,
  };
}

/**
 * The prefix of each partition. One partition keeps the runtime's prefix; more need a hash tag
 * to vary (`{crossdock}` -> `{crossdock~7}`, `{crossdock~2}`, ...), and a prefix without one
 * becomes the tag (`crossdock` -> `{crossdock~7}`).
 */
export function partitionPrefixes(prefix: string, count: number): string[] {
  if (count === 1) return [prefix];
  const { base, rest } = tagParts(prefix);
  return partitionTags(base, count).map((tag) => `{${tag}}${rest}`);
}

/** The hash tag a prefix's partition tags derive from, and what follows it. */
function tagParts(prefix: string): { base: string; rest: string } {
  const tagged = /^\{([^{}]+)\}(.*)$/s.exec(prefix);
  return { base: tagged?.[1] ?? prefix, rest: tagged?.[2] ?? '' };
}

/** `text` matched literally inside a SCAN pattern. */
function globLiteral(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * SCAN patterns of every key a runtime on `prefix` writes, whatever its partition count: the
 * prefix's own keys and those of its partitions (`{crossdock~7}...`).
 */
export function keyPatterns(prefix: string): string[] {
  const { base, rest } = tagParts(prefix);
  return [`${globLiteral(prefix)}*`, `{${globLiteral(base)}~*}${globLiteral(rest)}*`];
}

export function createKeys(prefix: string, count = 1): Keys {
  if (!Number.isInteger(count) || count < 1 || count > MAX_PARTITIONS) {
    throw new RangeError(`The partition count is an integer from 1 to ${MAX_PARTITIONS}.`);
  }
  const p = `${prefix}:cd`;
  const partitions = partitionPrefixes(prefix, count).map((pp, i) => partitionKeys(i, pp));
  const partitionOf = (runId: string): number => {
    if (count === 1) return 0;
    const placed = PLACED.exec(runId);
    const n = placed ? Number(placed[1]) : Number.NaN;
    return n < count ? n : stableHash(runId) % count;
  };
  const forRun = (runId: string): PartitionKeys => partitions[partitionOf(runId)] as PartitionKeys;
  return {
    prefix,
    count,
    partitions,
    partition(index) {
      const keys = partitions[index];
      if (!keys) throw new RangeError(`No partition ${index} of ${count}.`);
      return keys;
    },
    partitionOf,
    forRun,
    placeRun: (baseId, partition) => (count === 1 ? baseId : `${baseId}.p${partition}`),
    partitionFor: (flowId, key) => (count === 1 ? 0 : stableHash(`${flowId}\u0000${key}`) % count),
    run: (id) => `${forRun(id).runPrefix}${id}`,
    steps: (id) => `${forRun(id).runPrefix}${id}:steps`,
    state: (id) => `${forRun(id).runPrefix}${id}:state`,
    reply: (runId) => `${forRun(runId).prefix}:cd:reply:${runId}`,
    cache: (key) => `${p}:cache:${key}`,
    epoch: `${p}:epoch`,
    partitionCount: `${p}:partitions`,
    flowIds: `${p}:flows`,
    flowVersions: (flowId) => `${p}:flow:${flowId}`,
    flowLatest: `${p}:flows:latest`,
    hooks: `${p}:hooks`,
    flowsChanged: `${p}:flows:changed`,
    promotions: `${p}:promotions`,
    processIds: `${p}:processes`,
    processVersions: (processId) => `${p}:process:${processId}`,
    processActive: `${p}:processes:active`,
    processesChanged: `${p}:processes:changed`,
    rate: (connection, window) => `${p}:rate:${connection}:${window}`,
    breaker: (connection) => `${p}:conn:${connection}:breaker`,
    leases: (connection) => `${p}:conn:${connection}:leases`,
    hookOwners: `${p}:hooks:owners`,
    hookSignature: (digest) => `${p}:hooksig:${digest}`,
    testVersion: (flowId, version) => `${p}:flow:${flowId}:test:${version}`,
    sftpFile: (id) => `${p}:sftp:file:${id}`,
    authFailures: (client) => `${p}:auth:fail:${client}`,
    authBlock: (client) => `${p}:auth:block:${client}`,
    triggerLock: (name) => `${p}:trigger-lock:${name}`,
  };
}
