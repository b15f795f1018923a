import { PermanentError } from '../sdk/errors';
import type {
  ExplicitMilestone,
  FetchLike,
  NodeContext,
  NodeInput,
  NodeLogger,
} from '../sdk/executor-types';
import { evaluate } from '../sdk/expressions/evaluate';
import type { JsonObject, JsonValue } from '../sdk/json';

export interface FakeContextExtras {
  logs: { level: string; message: string; fields?: Record<string, unknown> }[];
  timers: { key: string; afterMs: number }[];
  started: { flowId: string; payload: JsonValue }[];
  milestones: ExplicitMilestone[];
}

const refuseFetch: FetchLike = async () => {
  throw new Error('This test context has no network; pass `fetch` to fakeContext.');
};

/**
 * A complete, in-memory `NodeContext` for executor unit tests: fixed clock, recorded logs,
 * timers and started flows. Override any field.
 */
export function fakeContext<C extends JsonObject>(
  config: C,
  overrides: Partial<NodeContext<C>> = {},
): NodeContext<C> & { extras: FakeContextExtras } {
  const extras: FakeContextExtras = { logs: [], timers: [], started: [], milestones: [] };
  const state = new Map<string, JsonValue>();
  const cache = new Map<string, JsonValue>();
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    extras.logs.push({ level, message, ...(fields ? { fields } : {}) });
  };
  const logger: NodeLogger = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
  const ctx: NodeContext<C> = {
    config,
    runId: 'run-1',
    flowId: 'flow-1',
    flowVersion: '1.0.0',
    nodeId: 'node-1',
    attempt: 1,
    idempotencyKey: 'run-1:node-1',
    connection: undefined,
    secret: () => undefined,
    fetch: refuseFetch,
    transport: (kind) => {
      throw new PermanentError(
        'connection-kind',
        `This test context has no ${kind} transport; pass \`transport: fakeTransports().transport\`.`,
      );
    },
    log: logger,
    now: () => new Date('2026-11-27T10:00:00Z'),
    signal: new AbortController().signal,
    evaluate,
    runState: {
      get: async (key) => state.get(key),
      set: async (key, value) => {
        state.set(key, value);
      },
      append: async (key, value) => {
        const list = state.get(key);
        const next = [...(Array.isArray(list) ? list : []), value];
        state.set(key, next);
        return next;
      },
      delete: async (key) => {
        state.delete(key);
      },
    },
    cache: {
      get: async (key) => cache.get(key),
      set: async (key, value) => {
        cache.set(key, value);
      },
      claim: async (key, value) => {
        const held = cache.get(key);
        if (held === undefined) cache.set(key, value);
        return held;
      },
    },
    setTimer: async (key, afterMs) => {
      extras.timers.push({ key, afterMs });
    },
    startFlow: async (flowId, payload) => {
      extras.started.push({ flowId, payload });
      return `run-started-${extras.started.length}`;
    },
    recordMilestone: async (m) => {
      const again = extras.milestones.some(
        (r) => r.process === m.process && r.milestone === m.milestone && r.key === m.key,
      );
      if (!again) extras.milestones.push(m);
      return { recorded: !again, key: m.key ?? 'run-key', stage: m.milestone };
    },
    ...overrides,
  };
  return Object.assign(ctx, { extras });
}

/** A message as it arrives on a node's `in` port. */
export function message(payload: JsonValue, port = 'in'): NodeInput {
  return { payload, port, meta: { correlationId: 'corr-1', splits: [] } };
}
