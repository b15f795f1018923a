import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../library/manifests';
import { sampleFlow } from '../testing/sample-flow';
import type { FlowDocument } from './flow-types';
import { formatFlow, formatJson } from './format';
import { isJsonObject } from './json';

const id = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e7, max: 1e7 });
const retry = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 10 }),
  backoff: fc.record({
    initialMs: fc.nat(10_000),
    multiplier: fc.double({ min: 1, max: 5, noNaN: true }),
    maxMs: fc.nat(100_000),
    jitter: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
});
const node = fc.record(
  {
    id,
    type: fc.constantFrom(...catalog.list().map((m) => m.type)),
    name: fc.string({ minLength: 1, maxLength: 20 }),
    position: fc.record({ x: finite, y: finite }),
    config: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 })),
    retry,
    timeoutMs: fc.integer({ min: 1, max: 60_000 }),
    notes: fc.string(),
  },
  { requiredKeys: ['id', 'type', 'name', 'position', 'config'] },
);
const edge = fc.record({
  id,
  source: id,
  sourcePort: fc.constantFrom('out', 'true', 'error'),
  target: id,
  targetPort: fc.constant('in'),
});
const flow = fc.record(
  {
    schemaVersion: fc.constant(1),
    id,
    name: fc.string({ minLength: 1, maxLength: 30 }),
    version: fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map((v) => v.join('.')),
    description: fc.string(),
    settings: fc.record(
      {
        idempotencyKey: fc.jsonValue({ maxDepth: 2 }),
        businessKeys: fc.dictionary(
          fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        priority: fc.integer({ min: 1, max: 10 }),
        retry,
      },
      { requiredKeys: [] },
    ),
    nodes: fc.array(node, { maxLength: 6 }),
    edges: fc.array(edge, { maxLength: 6 }),
  },
  { requiredKeys: ['schemaVersion', 'id', 'name', 'version', 'settings', 'nodes', 'edges'] },
) as fc.Arbitrary<FlowDocument>;

/** The same value with every object's keys in another order. */
function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => shuffleKeys(v, seed + i));
  if (!isJsonObject(value)) return value;
  const entries = Object.entries(value);
  const rotated = entries
    .slice(seed % Math.max(entries.length, 1))
    .concat(entries.slice(0, seed % Math.max(entries.length, 1)));
  return Object.fromEntries(rotated.reverse().map(([k, v]) => [k, shuffleKeys(v, seed * 31 + 7)]));
}

describe('formatFlow', () => {
  it('writes structural keys in a fixed order, 2-space indent and a trailing newline', () => {
    const text = formatFlow(sampleFlow());
    expect(text.endsWith('}\n')).toBe(true);
    expect(
      text.startsWith(
        '{\n  "$schema": "./flow.schema.json",\n  "schemaVersion": 1,\n  "id": "sample",',
      ),
    ).toBe(true);
    expect(text).not.toContain('\r');
  });

  it('drops screen-only fields and rounds positions', () => {
    const doc = sampleFlow();
    const n = doc.nodes[0] as unknown as Record<string, unknown>;
    Object.assign(n, {
      selected: true,
      measured: { width: 10, height: 5 },
      position: { x: 10.6, y: -0.2 },
    });
    const out = JSON.parse(formatFlow(doc)) as FlowDocument;
    expect(out.nodes[0]).toEqual({
      id: 't',
      type: 'trigger.webhook',
      name: 'Hook',
      position: { x: 11, y: 0 },
      config: { path: 'erp/order' },
    });
  });

  it('is idempotent: format(parse(format(x))) equals format(x)', () => {
    fc.assert(
      fc.property(flow, (doc) => {
        const once = formatFlow(doc);
        expect(formatFlow(JSON.parse(once))).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the key order of its input', () => {
    fc.assert(
      fc.property(flow, fc.nat(1000), (doc, seed) => {
        expect(formatFlow(shuffleKeys(doc, seed) as FlowDocument)).toBe(formatFlow(doc));
      }),
      { numRuns: 300 },
    );
  });
});

describe('formatJson', () => {
  it('sorts keys at every depth', () => {
    expect(formatJson({ b: 1, a: { d: 2, c: 3 } })).toBe(
      '{\n  "a": {\n    "c": 3,\n    "d": 2\n  },\n  "b": 1\n}\n',
    );
  });
});
