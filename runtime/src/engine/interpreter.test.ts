import {
  catalog,
  type FlowDocument,
  type FlowNode,
  PermanentError,
  type RetryPolicy,
  TransientError,
} from '@crossdock/nodes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addTimer,
  applyFailure,
  applySuccess,
  checkpointAt,
  pickNext,
  planFlow,
  startCheckpoint,
} from './interpreter';
import { DEFAULT_RETRY, resolveRetryPolicy, retryDelayMs } from './interpreter-retry';
import { nodeTimeoutMs, triggerKeys } from './interpreter-settings';

const retry: RetryPolicy = {
  maxAttempts: 3,
  backoff: { initialMs: 100, multiplier: 2, maxMs: 1000, jitter: 0 },
};

function node(id: string, type: string, config: FlowNode['config'] = {}): FlowNode {
  return { id, type, name: id, position: { x: 0, y: 0 }, config };
}

function flow(withErrorEdge: boolean): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'f',
    name: 'f',
    version: '1.0.0',
    settings: {
      retry,
      idempotencyKey: { cat: ['o:', { var: 'order' }] },
      businessKeys: { order: { var: 'order' }, none: { var: 'missing' } },
    },
    nodes: [
      node('t', 'trigger.manual'),
      node('b', 'rule.branch', { condition: true }),
      node('yes', 'mapping.map', { fields: [] }),
      node('no', 'mapping.map', { fields: [] }),
      node('err', 'mapping.map', { fields: [] }),
    ],
    edges: [
      { id: 'e1', source: 't', sourcePort: 'out', target: 'b', targetPort: 'in' },
      { id: 'e2', source: 'b', sourcePort: 'true', target: 'yes', targetPort: 'in' },
      { id: 'e3', source: 'b', sourcePort: 'false', target: 'no', targetPort: 'in' },
      ...(withErrorEdge
        ? [{ id: 'e4', source: 'yes', sourcePort: 'error', target: 'err', targetPort: 'in' }]
        : []),
    ],
  };
}

const transient = new TransientError('network', 'reset').toJSON();
const permanent = new PermanentError('invalid-input', 'bad').toJSON();

describe('routing', () => {
  it('starts at the trigger and follows the port each emission takes', () => {
    const plan = planFlow(flow(false), catalog);
    const cp = startCheckpoint(plan, { order: 'A1' }, 'c1');
    expect(cp.pending).toMatchObject([{ id: 'm1', nodeId: 't', attempt: 1 }]);
    applySuccess(plan, cp, 0, { emissions: [{ port: 'out', payload: 1 }] }, 0);
    expect(cp.pending.map((m) => m.nodeId)).toEqual(['b']);
    const ports = applySuccess(plan, cp, 0, { emissions: [{ port: 'false', payload: 2 }] }, 0);
    expect(ports).toEqual(['false']);
    expect(cp.pending).toMatchObject([{ id: 'm3', nodeId: 'no', payload: 2, port: 'in' }]);
    applySuccess(plan, cp, 0, { emissions: [{ port: 'out', payload: 3 }] }, 0);
    expect(pickNext(cp, 0)).toEqual({ kind: 'done' });
    expect(cp.steps).toBe(3);
  });

  it('delays emissions when the node asks and carries split frames', () => {
    const plan = planFlow(flow(false), catalog);
    const cp = startCheckpoint(plan, {}, 'c1');
    const splits = [{ id: 's', index: 0, count: 2 }];
    applySuccess(
      plan,
      cp,
      0,
      { emissions: [{ port: 'out', payload: 1, splits }], delayMs: 500 },
      1000,
    );
    expect(cp.pending[0]).toMatchObject({ notBefore: 1500, meta: { splits } });
    expect(pickNext(cp, 1200)).toEqual({ kind: 'wait', until: 1500 });
    expect(pickNext(cp, 1500)).toEqual({ kind: 'run', index: 0 });
  });

  it('replaces a timer set again under the same key', () => {
    const plan = planFlow(flow(false), catalog);
    const cp = startCheckpoint(plan, {}, 'c1');
    const from = cp.pending[0];
    if (!from) throw new Error('no message');
    addTimer(cp, from, 'k', 100, 0);
    addTimer(cp, from, 'k', 300, 0);
    const timers = cp.pending.filter((m) => m.port === '$timer');
    expect(timers).toHaveLength(1);
    expect(timers[0]).toMatchObject({ notBefore: 300, payload: { key: 'k' } });
  });

  it('starts a replay at a given node', () => {
    const plan = planFlow(flow(false), catalog);
    const cp = checkpointAt(plan, 'yes', 'in', { x: 1 }, { correlationId: 'c', splits: [] });
    expect(cp.pending).toMatchObject([{ nodeId: 'yes', payload: { x: 1 }, attempt: 1 }]);
    expect(() => checkpointAt(plan, 'nope', 'in', 1, { correlationId: 'c', splits: [] })).toThrow(
      /no node/,
    );
  });
});

describe('failures', () => {
  it('retries a transient error with backoff until attempts run out, then fails', () => {
    const plan = planFlow(flow(false), catalog);
    const cp = checkpointAt(plan, 'yes', 'in', 1, { correlationId: 'c', splits: [] });
    expect(applyFailure(plan, cp, 0, transient, 0, 0.5)).toEqual({ kind: 'retry', delayMs: 100 });
    expect(cp.pending[0]).toMatchObject({ attempt: 2, notBefore: 100 });
    expect(applyFailure(plan, cp, 0, transient, 100, 0.5)).toEqual({ kind: 'retry', delayMs: 200 });
    expect(applyFailure(plan, cp, 0, transient, 300, 0.5)).toEqual({ kind: 'failed' });
    expect(cp.pending).toHaveLength(1);
  });

  it('routes to the error port after the last attempt when it is connected', () => {
    const plan = planFlow(flow(true), catalog);
    const cp = checkpointAt(plan, 'yes', 'in', { a: 1 }, { correlationId: 'c', splits: [] });
    expect(applyFailure(plan, cp, 0, permanent, 0, 0)).toEqual({
      kind: 'routed',
      ports: ['error'],
    });
    expect(cp.pending).toMatchObject([
      { nodeId: 'err', payload: { input: { a: 1 }, error: { code: 'invalid-input' } } },
    ]);
  });

  it('does not retry permanent errors', () => {
    const plan = planFlow(flow(false), catalog);
    const cp = checkpointAt(plan, 'yes', 'in', 1, { correlationId: 'c', splits: [] });
    expect(applyFailure(plan, cp, 0, permanent, 0, 0)).toEqual({ kind: 'failed' });
  });
});

describe('retry delays', () => {
  it('honours Retry-After above the computed backoff', () => {
    const error = { ...transient, retryAfterMs: 5000 };
    expect(retryDelayMs(retry, 1, error, 0)).toEqual({ retry: true, delayMs: 5000 });
  });

  it('stays within the jitter band and under the maximum', () => {
    const policy: RetryPolicy = {
      maxAttempts: 100,
      backoff: { initialMs: 50, multiplier: 3, maxMs: 4000, jitter: 0.3 },
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, r) => {
          const d = retryDelayMs(policy, attempt, transient, r);
          if (!d.retry) return false;
          const base = Math.min(4000, 50 * 3 ** (attempt - 1));
          return (
            d.delayMs <= 4000 && d.delayMs >= Math.floor(base * 0.7) && d.delayMs <= Math.ceil(base)
          );
        },
      ),
    );
  });

  it('takes the node override, then the flow default, then the node type', () => {
    const doc = flow(false);
    const manifest = catalog.get('connector.http');
    if (!manifest) throw new Error('no http manifest');
    const own: RetryPolicy = { ...retry, maxAttempts: 9 };
    expect(resolveRetryPolicy(doc, { ...node('x', 'connector.http'), retry: own }, manifest)).toBe(
      own,
    );
    expect(resolveRetryPolicy(doc, node('x', 'connector.http'), manifest)).toBe(retry);
    const bare = { ...doc, settings: {} };
    expect(resolveRetryPolicy(bare, node('x', 'connector.http'), manifest)).toEqual({
      maxAttempts: 8,
      backoff: DEFAULT_RETRY.backoff,
    });
  });
});

describe('settings', () => {
  it('evaluates the idempotency key and business keys, dropping empty ones', () => {
    expect(triggerKeys(flow(false), { order: 'A1' })).toEqual({
      idempotencyKey: 'o:A1',
      businessKeys: { order: 'A1' },
    });
  });

  it('fails with expression-failed on a bad expression', () => {
    const doc = { ...flow(false), settings: { idempotencyKey: { nope: [] } } };
    expect(() => triggerKeys(doc, {})).toThrow(/nope/);
  });

  it('takes the node timeout, then the flow, then the fallback', () => {
    const doc = { ...flow(false), settings: { nodeTimeoutMs: 200 } };
    expect(nodeTimeoutMs(doc, { ...node('a', 'x'), timeoutMs: 50 }, 999)).toBe(50);
    expect(nodeTimeoutMs(doc, node('a', 'x'), 999)).toBe(200);
    expect(nodeTimeoutMs(flow(false), node('a', 'x'), 999)).toBe(999);
  });
});
