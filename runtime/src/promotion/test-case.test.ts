import { catalog, type JsonValue } from '@crossdock/nodes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunWithSteps, StepRecord } from '../engine/run-types';
import { Redactor } from '../infra/redaction';
import { compareRun, describeDifference, testCaseFromRun, truncatedNodes } from './test-case';

function step(index: number, nodeId: string, nodeType: string, payload: JsonValue): StepRecord {
  return {
    index,
    nodeId,
    nodeType,
    messageId: `m${index}`,
    attempt: 1,
    status: 'succeeded',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 0,
    inputPort: 'in',
    input: null,
    output: [{ port: 'out', payload }],
    ports: ['out'],
  };
}

function run(steps: StepRecord[]): RunWithSteps {
  return {
    id: 'run_1',
    flowId: 'f',
    version: '1.0.0',
    status: 'succeeded',
    trigger: { order: 'A-1', apiToken: 'sekret-value-123' },
    businessKeys: {},
    correlationId: 'run_1',
    createdAt: '2026-01-01T00:00:00.000Z',
    stepCount: steps.length,
    steps,
  };
}

const recorded = (payload: JsonValue) =>
  run([
    step(0, 'start', 'trigger.manual', { order: 'A-1' }),
    step(1, 'send', 'connector.http', { ok: true }),
    step(2, 'shape', 'mapping.map', payload),
  ]);

describe('test cases from runs', () => {
  it('records connector answers, every node output, and no secret', () => {
    const redactor = new Redactor(['apitoken']);
    redactor.addSecret('sekret-value-123');
    const tc = testCaseFromRun(recorded({ a: 1 }), 'a', catalog, redactor, new Date(0));
    expect(tc.recordings.map((r) => r.nodeId)).toEqual(['send']);
    expect(tc.expected.map((r) => r.nodeId)).toEqual(['start', 'send', 'shape']);
    expect(tc.triggerNodeId).toBe('start');
    expect(JSON.stringify(tc)).not.toContain('sekret-value-123');
  });

  it('finds no difference in the run it was made from, and names each changed field', () => {
    const leaf = fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null));
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 8 }).filter((k) => /^\w+$/.test(k)),
          leaf,
          {
            minKeys: 1,
          },
        ),
        (payload) => {
          const tc = testCaseFromRun(
            recorded(payload),
            'p',
            catalog,
            new Redactor([]),
            new Date(0),
          );
          expect(compareRun(tc, recorded(payload), catalog)).toEqual([]);
          const [key] = Object.keys(payload);
          if (key === undefined) return;
          const changed = { ...payload, [key]: { changed: true } };
          const diffs = compareRun(tc, recorded(changed), catalog);
          expect(diffs.length).toBeGreaterThan(0);
          expect(diffs.every((d) => d.nodeId === 'shape')).toBe(true);
          expect(diffs.some((d) => d.field.startsWith(`output[0].payload.${key}`))).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('reports a node that did not run, one that ran in addition, and honours ignore', () => {
    const tc = testCaseFromRun(
      recorded({ at: 1, b: 2 }),
      'x',
      catalog,
      new Redactor([]),
      new Date(0),
    );
    const missing = compareRun(tc, run(recorded({}).steps.slice(0, 2)), catalog);
    expect(missing.map(describeDifference)).toEqual([
      'node "shape" field status: expected "succeeded", got "did not run"',
    ]);
    const extra = compareRun(
      tc,
      run([...recorded({ at: 1, b: 2 }).steps, step(3, 'more', 'mapping.map', 1)]),
      catalog,
    );
    expect(extra.map((d) => `${d.nodeId} ${d.field} ${String(d.expected)}`)).toEqual([
      'more status did not run',
    ]);
    const ignored = compareRun(
      { ...tc, ignore: ['shape.output[0].payload.at'] },
      recorded({ at: 9, b: 2 }),
      catalog,
    );
    expect(ignored).toEqual([]);
  });

  it('names a change in what a connector was sent', () => {
    const tc = testCaseFromRun(recorded({ a: 1 }), 'x', catalog, new Redactor([]), new Date(0));
    const sent = recorded({ a: 1 });
    const send = sent.steps[1];
    if (send) send.input = { order: 'A-2' };
    expect(compareRun(tc, sent, catalog).map(describeDifference)).toEqual([
      'node "send" field input: expected null, got {"order":"A-2"}',
    ]);
  });

  it('names the nodes whose output the trace truncated', () => {
    const big = recorded({ $truncated: true, bytes: 99999, preview: '{' });
    expect(truncatedNodes(big)).toEqual(['shape']);
    expect(truncatedNodes(recorded({ a: 1 }))).toEqual([]);
  });
});
