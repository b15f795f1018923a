import type { JsonValue } from '@crossdock/nodes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunCheckpoint, StepRecord } from '../engine/run-types';
import { REDACTED, Redactor } from '../infra/redaction';
import { type PayloadOrigins, resolveInputs, TraceText } from './trace-text';

const SECRET = 'very-secret-token-1234';

/** JSON values whose keys and strings now and then are a redacted field name or the secret. */
const json: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<JsonValue>(null, true, 0, -1.5, '', 'é"\\\n', SECRET, `x${SECRET}y`),
    fc.string(),
    fc.integer(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('password', 'Token', 'input', 'payload', 'port')),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

const stepRecord: fc.Arbitrary<StepRecord> = fc.record(
  {
    index: fc.nat(),
    nodeId: fc.string(),
    nodeType: fc.constant('mapping.map'),
    messageId: fc.string(),
    attempt: fc.nat(),
    status: fc.constantFrom('succeeded' as const, 'failed' as const),
    startedAt: fc.constant('2026-12-04T10:00:00.000Z'),
    endedAt: fc.constant('2026-12-04T10:00:00.002Z'),
    durationMs: fc.nat(),
    inputPort: fc.constant('in'),
    input: json,
    output: fc.array(fc.record({ port: fc.string(), payload: json }), { maxLength: 3 }),
    ports: fc.array(fc.string(), { maxLength: 2 }),
  },
  { requiredKeys: ['index', 'nodeId', 'input', 'ports'] },
) as fc.Arbitrary<StepRecord>;

/** A succeeded step record with index `index`, its input and emissions as given. */
function stepAt(index: number, input: JsonValue, output: StepRecord['output']): StepRecord {
  return {
    index,
    nodeId: `n${index}`,
    nodeType: 'mapping.map',
    messageId: `m${index + 1}`,
    attempt: 1,
    status: 'succeeded',
    startedAt: '2026-12-04T10:00:00.000Z',
    endedAt: '2026-12-04T10:00:00.001Z',
    durationMs: 1,
    inputPort: 'in',
    input,
    ...(output ? { output } : {}),
    ports: ['out'],
  };
}

function redactorWith(fields: readonly string[]): Redactor {
  const r = new Redactor(fields);
  r.addSecret(SECRET);
  return r;
}

describe('TraceText', () => {
  it('writes what redacting the whole record writes, payloads shared or not', () => {
    fc.assert(
      fc.property(
        stepRecord,
        json,
        fc.constantFrom(['password', 'token'], [], ['payload'], ['input', 'authorization']),
        (step, shared, fields) => {
          const redactor = redactorWith(fields);
          const texts = new TraceText(redactor, 1_000_000);
          // The same object as one step's output and the next step's input and pending message.
          const first: StepRecord = { ...step, output: [{ port: 'out', payload: shared }] };
          const second: StepRecord = { ...step, index: step.index + 1, input: shared };
          const cp: RunCheckpoint = {
            seq: 3,
            steps: 2,
            pending: [
              { id: 'm3', nodeId: 'n', port: 'in', payload: shared, meta: {} as never, attempt: 1 },
            ],
          };
          for (const [made, whole] of [
            [texts.step(first), redactor.stringify(first)],
            [texts.step(second), redactor.stringify(second)],
            [texts.checkpoint(cp), redactor.stringify(cp)],
          ] as const) {
            expect(JSON.parse(made)).toEqual(JSON.parse(whole));
            expect(made.length).toBe(whole.length);
            expect(made).not.toContain(SECRET);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stores an input handed on from an earlier step by reference, and reads it back the same', () => {
    fc.assert(
      fc.property(
        fc.array(json, { minLength: 1, maxLength: 5 }),
        fc.constantFrom(['password'], ['payload']),
        fc.integer({ min: 40, max: 1_000_000 }),
        (payloads, fields, maxBytes) => {
          const redactor = redactorWith(fields);
          const origins: PayloadOrigins = new Map();
          // A chain: each step's output is the next one's input, written over two checkpoints.
          const steps: StepRecord[] = payloads.map((payload, i) =>
            stepAt(i, i === 0 ? { order: 'first' } : (payloads[i - 1] as JsonValue), [
              { port: 'out', payload },
            ]),
          );
          const half = Math.ceil(steps.length / 2);
          const stored = [
            ...steps.slice(0, half).map((s) => new TraceText(redactor, maxBytes, origins).step(s)),
            ...steps.slice(half).map((s) => new TraceText(redactor, maxBytes, origins).step(s)),
          ];
          const read = resolveInputs(stored.map((t) => JSON.parse(t) as StepRecord));
          const plain = new TraceText(redactor, maxBytes);
          expect(read).toEqual(steps.map((s) => JSON.parse(plain.step(s)) as StepRecord));
          expect(read.some((s) => 'inputOf' in s)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads back any sharing of payloads between inputs and emissions, over any writes', () => {
    fc.assert(
      fc.property(
        fc.array(json, { minLength: 1, maxLength: 4 }),
        // Each step: which pooled payload is its input, which its emissions (some shared).
        fc.array(
          fc.record({
            input: fc.nat({ max: 5 }),
            output: fc.array(fc.nat({ max: 5 }), { maxLength: 3 }),
            passOn: fc.boolean(),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.constantFrom(['password'], ['payload']),
        (pool, shapes, cuts, fields) => {
          const redactor = redactorWith(fields);
          const origins: PayloadOrigins = new Map();
          const pick = (i: number) => pool[i % pool.length] as JsonValue;
          const steps: StepRecord[] = shapes.map((shape, index) => {
            const input = pick(shape.input);
            return stepAt(index, input, [
              // A pass-through node hands on the very object it was given.
              ...(shape.passOn ? [{ port: 'true', payload: input }] : []),
              ...shape.output.map((o) => ({ port: 'out', payload: pick(o) })),
            ]);
          });
          // Checkpoints cut the steps into writes wherever `cuts` says.
          const stored: string[] = [];
          let texts = new TraceText(redactor, 1_000_000, origins);
          for (const [i, step] of steps.entries()) {
            if (i > 0 && cuts[i]) texts = new TraceText(redactor, 1_000_000, origins);
            stored.push(texts.step(step));
          }
          const read = resolveInputs(stored.map((t) => JSON.parse(t) as StepRecord));
          expect(read).toEqual(steps.map((s) => JSON.parse(redactor.stringify(s)) as StepRecord));
          expect(JSON.stringify(read)).not.toMatch(/"(inputOf|payloadOf)"/);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('stores a handed-on emission by reference only within one write', () => {
    const origins: PayloadOrigins = new Map();
    const order = { number: 'SO-1', lines: [{ sku: 'A', qty: 2 }] };
    const mapped = { ref: 'SO-1', lines: [{ sku: 'A', qty: 2 }] };
    const first = new TraceText(redactorWith([]), 1_000_000, origins);
    // The trigger emits the payload it received; a condition passes the mapping's output on.
    const trigger = first.step(stepAt(0, order, [{ port: 'out', payload: order }]));
    const mapping = first.step(stepAt(1, order, [{ port: 'out', payload: mapped }]));
    const branch = first.step(stepAt(2, mapped, [{ port: 'true', payload: mapped }]));
    expect(JSON.parse(trigger).output).toEqual([{ port: 'out', payloadOf: 'input' }]);
    expect(JSON.parse(branch)).toMatchObject({
      inputOf: [1, 0],
      output: [{ port: 'true', payloadOf: [1, 0] }],
    });
    // A later write (the object may have changed since) stores the emission in full.
    const later = new TraceText(redactorWith([]), 1_000_000, origins).step(
      stepAt(3, mapped, [{ port: 'out', payload: mapped }]),
    );
    expect(JSON.parse(later)).toMatchObject({
      inputOf: [1, 0],
      output: [{ port: 'out', payload: mapped }],
    });
    const read = resolveInputs(
      [trigger, mapping, branch, later].map((t) => JSON.parse(t) as StepRecord),
    );
    expect(read.map((s) => s.output?.[0]?.payload)).toEqual([order, mapped, mapped, mapped]);
    expect(read.map((s) => s.input)).toEqual([order, order, mapped, mapped]);
  });

  it('never refers to a step that is not earlier, nor to a primitive', () => {
    const origins: PayloadOrigins = new Map();
    const texts = new TraceText(redactorWith([]), 1_000_000, origins);
    const shared = { a: 1 };
    const base = { nodeType: 't', messageId: 'm', attempt: 1, ports: ['out'] };
    texts.step({
      ...base,
      index: 3,
      nodeId: 'x',
      input: 'text',
      output: [{ port: 'out', payload: shared }],
    } as unknown as StepRecord);
    // A retry's record written before the step that produced its input had an index: copied.
    const earlier = texts.step({
      ...base,
      index: 2,
      nodeId: 'y',
      input: shared,
    } as unknown as StepRecord);
    expect(JSON.parse(earlier).input).toEqual({ a: 1 });
    const later = texts.step({
      ...base,
      index: 4,
      nodeId: 'z',
      input: shared,
    } as unknown as StepRecord);
    expect(JSON.parse(later)).toMatchObject({ inputOf: [3, 0] });
    expect(JSON.parse(later)).not.toHaveProperty('input');
  });

  it('redacts a named field inside a spliced payload', () => {
    const texts = new TraceText(redactorWith(['password']), 1_000_000);
    const payload = { user: 'a', password: 'hunter2hunter2', nested: [{ password: 'x' }] };
    const step = { index: 0, nodeId: 'n', input: payload, ports: [] } as unknown as StepRecord;
    expect(JSON.parse(texts.step(step)).input).toEqual({
      user: 'a',
      password: REDACTED,
      nested: [{ password: REDACTED }],
    });
  });

  it('truncates the payloads of a step over the limit', () => {
    const texts = new TraceText(redactorWith([]), 200);
    const big = { text: 'x'.repeat(1000) };
    const step = {
      index: 0,
      nodeId: 'n',
      input: big,
      output: [{ port: 'out', payload: big }],
      ports: ['out'],
    } as unknown as StepRecord;
    const parsed = JSON.parse(texts.step(step)) as StepRecord;
    expect(parsed.input).toMatchObject({ $truncated: true, bytes: 1011 });
    expect(parsed.output?.[0]?.payload).toMatchObject({ $truncated: true });
  });
});
