import {
  type Environment,
  type EvaluateOptions,
  type ExplicitMilestone,
  type Expression,
  type ExpressionBudget,
  evaluateWithin,
  type FetchLike,
  type JsonObject,
  type JsonValue,
  type MilestoneRecorded,
  type NodeContext,
  type NodeLogger,
  PermanentError,
  type ResolvedConnection,
  type RunState,
  resolveBudget,
  type SharedCache,
  type TradingPartner,
  type WebhookReply,
} from '@crossdock/nodes';
import type { Redis } from 'ioredis';
import { stepIdempotencyKey } from '../engine/interpreter-settings';
import type { StepContextArgs } from '../engine/run-loop';
import type { Logger } from '../infra/logger';
import type { Keys } from '../store/keys';
import { stepCapability } from '../transports/capability';
import type { TransportPool } from '../transports/pool';
import { type ConnectionGuard, guardPolicy, httpOutcome } from './connection-guard';
import {
  type DryAnswer,
  dryRunFetch,
  type NotSentRequest,
  recordingFetch,
  type SentExchange,
} from './dry-run';
import type { RateLimiter } from './rate-limiter';
import { redisRunState } from './run-state';
import type { Secrets } from './secrets';

/** What every step's context is built from (one per worker process). */
export interface ContextDeps {
  redis: Redis;
  keys: Keys;
  retentionMs: number;
  environment: Environment;
  /** Trading-partner profiles (flows/partners), validated at start. */
  partners?: readonly TradingPartner[];
  secrets: Secrets;
  cache: SharedCache;
  limiter: RateLimiter;
  /** Circuit breakers and concurrency limits per connection, shared by every worker. */
  guard: ConnectionGuard;
  /** The HTTP client executors call through (one keep-alive pool per process). */
  fetch: FetchLike;
  /** The client for connections with `allowPrivateNetwork` (no address check). */
  privateFetch: FetchLike;
  /** Pooled clients of the non-HTTP connections (brokers, SFTP, databases). */
  transports: TransportPool;
  /** What one expression may spend; each step adds its node timeout as the deadline. */
  expressionBudget: ExpressionBudget;
  /** JSON text of a value to store, with secrets redacted (the redactor's `stringify`). */
  stringify(value: JsonValue): string;
  log: Logger;
  now(): number;
  startFlow(flowId: string, payload: JsonValue, parentRunId: string): Promise<string>;
  /** The control tower's recording of an explicit milestone (set once the tower exists). */
  recordMilestone?(
    run: RunIdentity,
    step: { nodeId: string; messageId: string },
    milestone: ExplicitMilestone,
  ): Promise<MilestoneRecorded>;
  /** Answers a waiting webhook caller (request-reply); first answer of a run wins. */
  replies?: { publish(runId: string, reply: WebhookReply): Promise<boolean> };
}

export interface RunIdentity {
  id: string;
  flowId: string;
  version: string;
  correlationId: string;
  /** Base of the step idempotency keys; the run id when absent. */
  stepKeyBase?: string;
  /** A webhook caller waits for this run's answer (never set for test runs and replays). */
  awaitsReply?: boolean;
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

/**
 * Where `target` sits inside a node's config, e.g. `fields[2].expression`: executors evaluate
 * parts of their config, so the reference itself names the field. Undefined when not found.
 */
export function configPath(config: unknown, target: unknown, path = ''): string | undefined {
  if (config === target) return path === '' ? '(config)' : path;
  if (typeof config !== 'object' || config === null) return undefined;
  const entries = Array.isArray(config)
    ? config.map((v, i) => [`${path}[${i}]`, v] as const)
    : Object.entries(config).map(([k, v]) => [path === '' ? k : `${path}.${k}`, v] as const);
  for (const [at, value] of entries) {
    const found = configPath(value, target, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

const NO_OPTIONS: EvaluateOptions = Object.freeze({});

/**
 * `evaluate` under the step's budget: the configured limits plus the node timeout as a deadline
 * (a CPU-bound rule never yields, so no timer could stop it). A rule over budget fails the step
 * with a permanent `expression-budget` error naming the node and the config field.
 */
function budgetedEvaluate(
  budget: ExpressionBudget,
  node: StepContextArgs['node'],
  config: JsonObject,
  deadline: number,
) {
  // One budget object per step, the defaults filled in once, and passed beside the
  // options: a mapping evaluates dozens of expressions, and none builds an object of its own.
  // Made on the first expression: most steps evaluate none.
  let stepBudget: ExpressionBudget | undefined;
  return (
    expression: Expression,
    data: JsonValue,
    options: EvaluateOptions = NO_OPTIONS,
  ): JsonValue => {
    stepBudget ??= resolveBudget({ ...budget, deadline });
    try {
      return evaluateWithin(expression, data, options, stepBudget);
    } catch (error) {
      if (!(error instanceof PermanentError) || error.code !== 'expression-budget') throw error;
      const field = configPath(config, expression) ?? '(an expression)';
      throw new PermanentError(
        'expression-budget',
        `Node "${node.name}" (${node.id}), field ${field}: ${error.message}`,
        { details: { nodeId: node.id, field, ...(error.details as object) } },
      );
    }
  };
}

/** How a side-effecting step of a safe test run behaves: answers, records, never sends. */
export interface DryRunStep {
  answer: JsonValue | undefined;
  notSent: NotSentRequest[];
  /**
   * A shadow run's answers, asked once per request: what the active run's matching step
   * received, or undefined (the request is marked unmatched). Replaces `answer` when set.
   */
  next?: () => DryAnswer | undefined;
  /**
   * Set on a step of an active run that a shadow watches: the step sends for real and its
   * exchanges are kept here, so the shadow run can be answered from them and compared.
   */
  record?: SentExchange[];
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
  const { node, message } = args;
  const config: JsonObject = { ...manifestDefaults, ...node.config };
  const connection = resolveConnection(deps.environment, config);
  const limit = connection?.rateLimit;
  const client = connection?.allowPrivateNetwork === true ? deps.privateFetch : deps.fetch;
  const policy = connection ? guardPolicy(connection, args.timeoutMs) : undefined;
  const real: NodeContext['fetch'] =
    connection && policy
      ? async (input, init) => {
          if (limit) await deps.limiter.acquire(connection.name, limit, args.signal);
          return deps.guard.call(
            connection.name,
            policy,
            args.defer,
            () => client(input, init),
            (result) => httpOutcome(result, args.signal),
          );
        }
      : client;
  // The one place a dry step is kept from sending: every capability that reaches a system
  // goes through `dry` here (a shadow's guarantee rests on it).
  const fetchImpl: NodeContext['fetch'] = dry?.record
    ? recordingFetch(real, dry.record)
    : dry
      ? dryRunFetch(dry.next ?? (() => ({ status: 200, body: dry.answer ?? {} })), dry.notSent)
      : real;
  const suppressed = dry !== undefined && dry.record === undefined;
  // Wall-clock on purpose: when the step's timer aborts `signal`, whatever clock the run uses.
  const deadline = Date.now() + args.timeoutMs;
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
  const replies = run.awaitsReply === true && !dry ? deps.replies : undefined;
  return {
    config,
    runId: run.id,
    flowId: run.flowId,
    flowVersion: run.version,
    nodeId: node.id,
    attempt: message.attempt,
    idempotencyKey: stepIdempotencyKey(run.stepKeyBase ?? run.id, node.id, message.id),
    connection,
    secret: (name) => deps.secrets.get(name),
    fetch: fetchImpl,
    transport: (kind) => {
      const name = typeof config.connection === 'string' ? config.connection : undefined;
      if (name === undefined) {
        throw new PermanentError(
          'connection-missing',
          `Node "${node.name}" (${node.id}) names no connection of kind ${kind}.`,
        );
      }
      return stepCapability({
        pool: deps.transports,
        limiter: deps.limiter,
        connection: deps.transports.connection(name, kind),
        signal: args.signal,
        // An active run a shadow watches sends for real; only a suppressed step records instead.
        ...(suppressed ? { notSent: dry.notSent } : {}),
        guard: {
          guard: deps.guard,
          policy: guardPolicy(deps.transports.connection(name, kind), args.timeoutMs),
          ...(args.defer ? { defer: args.defer } : {}),
        },
      });
    },
    get log() {
      return log();
    },
    now: () => new Date(deps.now()),
    // Read through: the loop makes a step's controller only when something asks for its signal.
    get signal() {
      return args.signal;
    },
    deadline,
    // The same deadline bounds the real CPU time of expressions.
    evaluate: budgetedEvaluate(deps.expressionBudget, node, config, deadline),
    get runState() {
      runState ??= redisRunState(deps.redis, deps.keys, run.id, deps.retentionMs, deps.stringify);
      return runState;
    },
    cache: deps.cache,
    setTimer: async (key, afterMs) => args.setTimer(key, afterMs),
    startFlow: suppressed
      ? async (flowId, payload) => {
          dry?.notSent.push({ method: 'START', url: `flow:${flowId}`, body: payload });
          return 'not-started';
        }
      : (flowId, payload) => deps.startFlow(flowId, payload, run.id),
    partner: (id) => {
      const found = deps.partners?.find((p) => p.id === id);
      return found ? (found as unknown as JsonObject) : undefined;
    },
    recordMilestone: async (milestone) => {
      if (dry) {
        // A safe test run records nothing: the milestone shows as what would have been sent.
        dry.notSent.push({
          method: 'MILESTONE',
          url: `process:${milestone.process}/${milestone.milestone}`,
          body: milestone as unknown as JsonValue,
        });
        return { recorded: false, key: milestone.key ?? '', stage: '' };
      }
      if (!deps.recordMilestone)
        throw new PermanentError('invalid-config', 'This runtime has no control tower.');
      return deps.recordMilestone(run, { nodeId: node.id, messageId: message.id }, milestone);
    },
    ...(replies ? { respond: (reply: WebhookReply) => replies.publish(run.id, reply) } : {}),
  };
}
