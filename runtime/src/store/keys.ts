/**
 * Every Redis key the runtime writes, under one prefix. With a hash tag in the prefix (the
 * default `{crossdock}`) all keys land in one Redis Cluster slot, so MULTI spans them.
 */
export interface Keys {
  prefix: string;
  run(id: string): string;
  steps(id: string): string;
  state(id: string): string;
  cache(key: string): string;
  dedupe(flowId: string, key: string): string;
  all: string;
  byFlow(flowId: string): string;
  byStatus(status: string): string;
  byKey(value: string): string;
  exceptions: string;
  /** Runs recorded whose BullMQ job may not be added yet (the intake sweep's work list). */
  pending: string;
  /** The epoch marker: gone or changed means Redis lost its data. */
  epoch: string;
  /** Runs started in one epoch second (the drain rate behind Retry-After). */
  drain(second: number): string;
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
  /** Runs of a flow with one ordering key, in acceptance order (the head runs). */
  ordering(flowId: string, key: string): string;
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
  /** A run's answer to the webhook caller waiting for it: key and pub/sub channel (request-reply). */
  reply(runId: string): string;
  /** An SFTP trigger's claim on one file (path, size, time): who starts it, then its run. */
  sftpFile(id: string): string;
  authFailures(client: string): string;
  authBlock(client: string): string;
  /** Which worker process holds a broker trigger that only one may consume (MQTT). */
  triggerLock(name: string): string;
}

export function createKeys(prefix: string): Keys {
  const p = `${prefix}:cd`;
  return {
    prefix,
    run: (id) => `${p}:run:${id}`,
    steps: (id) => `${p}:run:${id}:steps`,
    state: (id) => `${p}:run:${id}:state`,
    cache: (key) => `${p}:cache:${key}`,
    dedupe: (flowId, key) => `${p}:dedupe:${flowId}:${key}`,
    all: `${p}:idx:all`,
    byFlow: (flowId) => `${p}:idx:flow:${flowId}`,
    byStatus: (status) => `${p}:idx:status:${status}`,
    byKey: (value) => `${p}:idx:key:${value}`,
    exceptions: `${p}:idx:exceptions`,
    pending: `${p}:intake:pending`,
    epoch: `${p}:epoch`,
    drain: (second) => `${p}:drain:${second}`,
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
    ordering: (flowId, key) => `${p}:order:${flowId}:${key}`,
    breaker: (connection) => `${p}:conn:${connection}:breaker`,
    leases: (connection) => `${p}:conn:${connection}:leases`,
    hookOwners: `${p}:hooks:owners`,
    hookSignature: (digest) => `${p}:hooksig:${digest}`,
    testVersion: (flowId, version) => `${p}:flow:${flowId}:test:${version}`,
    reply: (runId) => `${p}:reply:${runId}`,
    sftpFile: (id) => `${p}:sftp:file:${id}`,
    authFailures: (client) => `${p}:auth:fail:${client}`,
    authBlock: (client) => `${p}:auth:block:${client}`,
    triggerLock: (name) => `${p}:trigger-lock:${name}`,
  };
}
