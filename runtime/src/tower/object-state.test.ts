import type { JsonValue, ProcessDocument } from '@crossdock/nodes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acknowledgeBreach,
  breachDeadline,
  type ObjectState,
  type ObservedMilestone,
  recordMilestone,
} from './object-state';

const process: ProcessDocument = {
  schemaVersion: 1,
  id: 'o2c',
  name: 'Order to cash',
  version: '1.0.0',
  businessKey: 'order',
  milestones: ['released', 'picked', 'packed', 'shipped', 'cancelled'].map((id) => ({
    id,
    name: id,
    on: [{ flow: 'f', node: id }],
  })),
  expectations: [
    {
      id: 'pick',
      name: 'Not picked',
      after: 'released',
      expect: 'picked',
      within: 'PT1H',
      unless: ['cancelled'],
      owner: 'warehouse',
      severity: 'high',
    },
    {
      id: 'ship',
      name: 'Not shipped',
      after: 'packed',
      expect: 'shipped',
      within: 'PT2H',
      owner: 'transport',
      severity: 'medium',
    },
  ],
  checks: [
    {
      id: 'qty',
      name: 'Packed what was picked',
      requires: ['picked', 'packed'],
      rule: { '==': [{ var: 'picked.qty' }, { var: 'packed.qty' }] },
      owner: 'warehouse',
      severity: 'low',
    },
  ],
};

const T0 = Date.parse('2026-12-01T08:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function milestone(
  id: string,
  minutes: number,
  attributes: Record<string, JsonValue> = {},
  run = `run-${id}`,
): ObservedMilestone {
  return {
    milestone: id,
    entry: {
      id: `${run}:0:${id}`,
      milestone: id,
      occurredAt: at(minutes),
      recordedAt: at(minutes),
      flowId: 'f',
      runId: run,
      stepIndex: 0,
      nodeId: id,
      attributes,
    },
  };
}

function apply(events: ObservedMilestone[], now = T0 + 600 * 60_000): ObjectState {
  let state: ObjectState | undefined;
  for (const e of events) state = recordMilestone(process, state, 'SO-1', e, now).state;
  return state as ObjectState;
}

describe('object state', () => {
  it('opens an expectation with its deadline and closes it when the milestone arrives', () => {
    const released = apply([milestone('released', 0)]);
    expect(released.stage).toBe('released');
    expect(released.open).toEqual([{ expectation: 'pick', since: at(0), deadline: at(60) }]);
    const picked = apply([milestone('released', 0), milestone('picked', 30)]);
    expect(picked.open).toEqual([]);
    expect(picked.stage).toBe('picked');
  });

  it('an "unless" milestone closes the expectation', () => {
    expect(apply([milestone('released', 0), milestone('cancelled', 5)]).open).toEqual([]);
  });

  it('places events by occurrence time and gives the same state in any arrival order', () => {
    const events = [
      milestone('released', 0),
      milestone('picked', 10, { qty: 5 }),
      milestone('packed', 20, { qty: 5 }),
      milestone('shipped', 90),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: 4, maxLength: 4 }), (order) => {
        const state = apply(order);
        expect(state.timeline.map((e) => e.milestone)).toEqual([
          'released',
          'picked',
          'packed',
          'shipped',
        ]);
        expect(state.stage).toBe('shipped');
        expect(state.stageSince).toBe(at(90));
        expect(state.open).toEqual([]);
        expect(state.failedChecks).toEqual([]);
      }),
    );
  });

  it('records a step observed twice once', () => {
    const once = apply([milestone('released', 0)]);
    const again = recordMilestone(process, once, 'SO-1', milestone('released', 0), T0);
    expect(again.changed).toBe(false);
    expect(again.state.timeline).toHaveLength(1);
  });

  it('fails a check across milestones, and passes it again when a corrected milestone arrives', () => {
    const failed = apply([milestone('picked', 0, { qty: 5 }), milestone('packed', 5, { qty: 4 })]);
    expect(failed.failedChecks).toMatchObject([
      { check: 'qty', owner: 'warehouse', values: { picked: { qty: 5 }, packed: { qty: 4 } } },
    ]);
    const fixed = recordMilestone(
      process,
      failed,
      'SO-1',
      milestone('packed', 6, { qty: 5 }, 'run-2'),
      T0,
    ).state;
    expect(fixed.failedChecks).toEqual([]);
  });

  it('breaches a passed deadline once, and not one that moved or was met', () => {
    const released = apply([milestone('released', 0)]);
    expect(breachDeadline(process, released, 'pick', T0 + 59 * 60_000).changed).toBe(false);
    const late = breachDeadline(process, released, 'pick', T0 + 61 * 60_000);
    expect(late.raised).toMatchObject([
      { expectation: 'pick', owner: 'warehouse', severity: 'high', status: 'open' },
    ]);
    expect(late.state.open).toEqual([]);
    expect(breachDeadline(process, late.state, 'pick', T0 + 62 * 60_000).changed).toBe(false);
    const picked = apply([milestone('released', 0), milestone('picked', 30)]);
    expect(breachDeadline(process, picked, 'pick', T0 + 61 * 60_000).changed).toBe(false);
    // The pick arrives after the breach: the breach is resolved, not reopened.
    const resolved = recordMilestone(
      process,
      late.state,
      'SO-1',
      milestone('picked', 70),
      T0,
    ).state;
    expect(resolved.breaches[0]?.status).toBe('resolved');
    expect(resolved.open).toEqual([]);
  });

  it('acknowledges a breach with who, when and a comment', () => {
    const late = breachDeadline(
      process,
      apply([milestone('released', 0)]),
      'pick',
      T0 + 61 * 60_000,
    );
    const id = late.raised[0]?.id as string;
    const acked = acknowledgeBreach(late.state, id, { by: 'dana', at: at(62), comment: 'on it' });
    expect(acked?.breaches[0]).toMatchObject({
      status: 'acknowledged',
      ack: { by: 'dana', comment: 'on it' },
    });
    expect(
      acknowledgeBreach(late.state, 'nope', { by: 'x', at: at(1), comment: 'c' }),
    ).toBeUndefined();
  });
});
