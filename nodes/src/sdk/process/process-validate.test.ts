import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../library/manifests';
import type { FlowDocument } from '../flow-types';
import { durationMs } from './duration';
import { formatProcess } from './process-format';
import { loadProcess } from './process-load';
import type { ProcessDocument } from './process-types';
import { validateProcess } from './process-validate';

const flow: FlowDocument = {
  schemaVersion: 1,
  id: 'orders',
  name: 'Orders',
  version: '1.0.0',
  settings: { businessKeys: { order: { var: 'number' } } },
  nodes: [
    { id: 't', type: 'trigger.manual', name: 'Start', position: { x: 0, y: 0 }, config: {} },
    {
      id: 'f',
      type: 'rule.filter',
      name: 'Complete?',
      position: { x: 0, y: 0 },
      config: { condition: true },
    },
  ],
  edges: [{ id: 'e', source: 't', sourcePort: 'out', target: 'f', targetPort: 'in' }],
};

function process(overrides: Partial<ProcessDocument> = {}): ProcessDocument {
  return {
    schemaVersion: 1,
    id: 'o2c',
    name: 'Order to cash',
    version: '1.0.0',
    businessKey: 'order',
    milestones: [
      { id: 'released', name: 'Released', on: [{ flow: 'orders', node: 't' }] },
      { id: 'checked', name: 'Checked', on: [{ flow: 'orders', node: 'f', port: 'out' }] },
    ],
    expectations: [
      {
        id: 'late',
        name: 'Not checked',
        after: 'released',
        expect: 'checked',
        within: 'PT1H',
        owner: 'desk',
        severity: 'high',
      },
    ],
    checks: [],
    ...overrides,
  };
}

const codes = (doc: unknown, flows = [flow]) =>
  validateProcess(doc, { flows, catalog }).map((d) => `${d.code} ${d.path}`);

describe('validateProcess', () => {
  it('accepts a process whose references all resolve', () => {
    expect(validateProcess(process(), { flows: [flow], catalog, expectedId: 'o2c' })).toEqual([]);
  });

  it('names unknown flows, nodes, ports and milestones with their paths', () => {
    const doc = process({
      milestones: [
        { id: 'released', name: 'Released', on: [{ flow: 'nope', node: 't' }] },
        { id: 'checked', name: 'Checked', on: [{ flow: 'orders', node: 'x' }] },
        { id: 'ported', name: 'Ported', on: [{ flow: 'orders', node: 'f', port: 'maybe' }] },
      ],
      expectations: [
        { ...process().expectations[0], expect: 'approved' } as ProcessDocument['expectations'][0],
      ],
    });
    expect(codes(doc)).toEqual([
      'process.unknown-flow $.milestones[0].on[0].flow',
      'process.unknown-node $.milestones[1].on[0].node',
      'process.unknown-port $.milestones[2].on[0].port',
      'process.unknown-milestone $.expectations[0].expect',
    ]);
    const message = validateProcess(doc, { flows: [flow], catalog })[1]?.message;
    expect(message).toContain('"f" (Complete?)');
  });

  it('without the flows, checks only the file itself', () => {
    const doc = process({
      milestones: [{ id: 'a', name: 'A', on: [{ flow: 'nope', node: 't' }] }],
    });
    expect(validateProcess(doc).map((d) => d.code)).toEqual([
      'process.unknown-milestone',
      'process.unknown-milestone',
    ]);
  });

  it('checks what each indicator counts: one existing stage, expectation or check', () => {
    const ok = process({
      indicators: [
        { id: 'backlog', name: 'Backlog', stage: 'released' },
        { id: 'delays', name: 'Delays', expectation: 'late' },
      ],
    });
    expect(codes(ok)).toEqual([]);
    const bad = process({
      indicators: [
        { id: 'backlog', name: 'Backlog', stage: 'moon' },
        { id: 'gaps', name: 'Gaps', expectation: 'nope' },
        { id: 'gaps', name: 'Mismatches', check: 'none' },
      ],
    });
    expect(codes(bad)).toEqual([
      'process.duplicate-id $.indicators[2].id',
      'process.unknown-reference $.indicators[0].stage',
      'process.unknown-reference $.indicators[1].expectation',
      'process.unknown-reference $.indicators[2].check',
    ]);
    const two = {
      ...process(),
      indicators: [{ id: 'x', name: 'X', stage: 'released', check: 'c' }],
    };
    expect(codes(two).some((c) => c.startsWith('schema'))).toBe(true);
  });

  it('flags a flow without the business key unless the milestone has a key expression', () => {
    const keyless: FlowDocument = { ...flow, settings: {} };
    expect(codes(process(), [keyless])).toContain(
      'process.business-key $.milestones[0].on[0].flow',
    );
    const keyed = process({
      milestones: process().milestones.map((m) => ({ ...m, key: { var: 'input.number' } })),
    });
    expect(codes(keyed, [keyless])).toEqual([]);
  });

  it('refuses durations that are not fixed (months) or not ISO 8601', () => {
    for (const within of ['P1M', '4 hours', 'PT0S']) {
      const doc = process({
        expectations: [
          { ...(process().expectations[0] as ProcessDocument['expectations'][0]), within },
        ],
      });
      expect(
        codes(doc).some((c) => c.startsWith('process.duration') || c.startsWith('schema')),
        within,
      ).toBe(true);
    }
    expect(durationMs('P1DT2H')).toBe(26 * 3600_000);
  });

  it('gives a bad duration one message, the specific one (shown beside the field)', () => {
    const doc = process({
      expectations: [
        { ...(process().expectations[0] as ProcessDocument['expectations'][0]), within: '4h' },
      ],
    });
    const at = validateProcess(doc).filter((d) => d.path === '$.expectations[0].within');
    expect(at.map((d) => d.code)).toEqual(['process.duration']);
    expect(at[0]?.message).toContain('"4h" is not an ISO 8601 duration');
  });

  it('reports duplicate ids, schema problems and a bad source', () => {
    const doc = process({
      milestones: [
        { id: 'released', name: 'Released', on: [{ flow: 'orders', node: 't' }] },
        { id: 'released', name: 'Again', on: [{ flow: 'orders' }] },
      ],
      severity: 'urgent',
    } as never);
    expect(codes(doc)).toEqual(
      expect.arrayContaining([
        'schema.invalid $.severity',
        'process.duplicate-id $.milestones[1].id',
        'schema.invalid $.milestones[1].on[0]',
      ]),
    );
  });

  it('never throws, whatever the document', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(Array.isArray(validateProcess(value, { flows: [flow], catalog }))).toBe(true);
      }),
    );
  });

  it('gives line and column, and a syntax error for broken text', () => {
    const text = formatProcess(process({ businessKey: '9' }));
    const loaded = loadProcess(text);
    expect(loaded.process).toBeUndefined();
    expect(loaded.diagnostics[0]).toMatchObject({ code: 'schema.invalid', line: 6 });
    expect(loadProcess('{"id": ').diagnostics[0]?.code).toBe('json.syntax');
  });
});

describe('formatProcess', () => {
  it('is canonical: same bytes whatever the key order, and idempotent', () => {
    const doc = process();
    const reverse = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverse)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverse(x)]),
            )
          : v;
    const shuffled = reverse(doc);
    const text = formatProcess(doc);
    expect(formatProcess(shuffled as never)).toBe(text);
    expect(formatProcess(JSON.parse(text) as never)).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.indexOf('"businessKey"')).toBeLessThan(text.indexOf('"milestones"'));
  });
});
