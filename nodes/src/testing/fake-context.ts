import { PermanentError } from '../sdk/errors';
import type { FetchLike, NodeContext, NodeInput, NodeLogger } from '../sdk/executor-types';
import { evaluate } from '../sdk/expressions/evaluate';
import type { JsonObject, JsonValue } from '../sdk/json';

export interface FakeContextExtras {
  logs: { level: string; message: string; fields?: Record<string, unknown> }[];
  timers: { key: string; afterMs: number }[];
  started: { flowId: string; payload: JsonValue }[];
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
  const extras: FakeContextExtras = { logs: [], timers: [], started: [] };
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
    },
    setTimer: async (key, afterMs) => {
      extras.timers.push({ key, afterMs });
    },
    startFlow: async (flowId, payload) => {
      extras.started.push({ flowId, payload });
      return `run-started-${extras.started.length}`;
    },
    ...overrides,
  };
  return Object.assign(ctx, { extras });
}

/** A message as it arrives on a node's `in` port. */
export function message(payload: JsonValue, port = 'in'): NodeInput {
  return { payload, port, meta: { correlationId: 'corr-1', splits: [] } };
}
