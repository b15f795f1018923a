import {
  type Environment,
  evaluate,
  type FetchLike,
  type JsonObject,
  type JsonValue,
  type NodeContext,
  type NodeLogger,
  type ResolvedConnection,
  type RunState,
  type SharedCache,
} from '@crossdock/nodes';
import type { Redis } from 'ioredis';
import { stepIdempotencyKey } from '../engine/interpreter-settings';
import type { StepContextArgs } from '../engine/run-loop';
import type { Logger } from '../infra/logger';
import type { Keys } from '../store/keys';
import { dryRunFetch, type NotSentRequest } from './dry-run';
import type { RateLimiter } from './rate-limiter';
import { redisRunState } from './run-state';
import type { Secrets } from './secrets';

/** What every step's context is built from (one per worker process). */
export interface ContextDeps {
  redis: Redis;
  keys: Keys;
  retentionMs: number;
  environment: Environment;
  secrets: Secrets;
  cache: SharedCache;
  limiter: RateLimiter;
  /** The HTTP client executors call through (one keep-alive pool per process). */
  fetch: FetchLike;
  log: Logger;
  now(): number;
  startFlow(flowId: string, payload: JsonValue, parentRunId: string): Promise<string>;
}

export interface RunIdentity {
  id: string;
  flowId: string;
  version: string;
  correlationId: string;
}

function nodeLogger(log: Logger): NodeLogger {
  return {
    debug: (message, fields) => log.debug(fields ?? {}, message),
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
  };
}

function resolveConnection(
  environment: Environment,
  config: JsonObject,
): ResolvedConnection | undefined {
  const name = config.connection;
  if (typeof name !== 'string') return undefined;
  const connection = environment.connections[name];
  return connection ? { ...connection, name } : undefined;
}

/** How a side-effecting step of a safe test run behaves: answers, records, never sends. */
export interface DryRunStep {
  answer: JsonValue | undefined;
  notSent: NotSentRequest[];
}

/**
 * Builds the `NodeContext` of one step: every member backed by the real runtime, except that a
 * side-effecting step of a safe test run (`dry`) sends nothing and starts no flow.
 */
export function createNodeContext(
  deps: ContextDeps,
  run: RunIdentity,
  manifestDefaults: JsonObject,
  args: StepContextArgs,
  dry?: DryRunStep,
): NodeContext {
  const { node, message, signal } = args;
  const config: JsonObject = { ...manifestDefaults, ...node.config };
  const connection = resolveConnection(deps.environment, config);
  const limit = connection?.rateLimit;
  const fetchImpl: NodeContext['fetch'] = dry
    ? dryRunFetch(dry.answer, dry.notSent)
    : connection && limit
      ? async (input, init) => {
          await deps.limiter.acquire(connection.name, limit, signal);
          return deps.fetch(input, init);
        }
      : deps.fetch;
  // Built on first use: most steps never log, and a pino child per step is measurable.
  let logger: NodeLogger | undefined;
  const log = (): NodeLogger => {
    logger ??= nodeLogger(
      deps.log.child({
        runId: run.id,
        correlationId: message.meta.correlationId,
        flowId: run.flowId,
        nodeId: node.id,
        attempt: message.attempt,
      }),
    );
    return logger;
  };
  let runState: RunState | undefined;
  return {
    config,
    runId: run.id,
    flowId: run.flowId,
    flowVersion: run.version,
    nodeId: node.id,
    attempt: message.attempt,
    idempotencyKey: stepIdempotencyKey(run.id, node.id, message.id),
    connection,
    secret: (name) => deps.secrets.get(name),
    fetch: fetchImpl,
    get log() {
      return log();
    },
    now: () => new Date(deps.now()),
    signal,
    evaluate,
    get runState() {
      runState ??= redisRunState(deps.redis, deps.keys, run.id, deps.retentionMs);
      return runState;
    },
    cache: deps.cache,
    setTimer: async (key, afterMs) => args.setTimer(key, afterMs),
    startFlow: dry
      ? async (flowId, payload) => {
          dry.notSent.push({ method: 'START', url: `flow:${flowId}`, body: payload });
          return 'not-started';
        }
      : (flowId, payload) => deps.startFlow(flowId, payload, run.id),
  };
}
