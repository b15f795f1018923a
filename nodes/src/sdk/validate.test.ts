import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../library/manifests';
import { sampleFlow } from '../testing/sample-flow';
import type { Diagnostic } from './diagnostics';
import type { Environment } from './environment';
import { validateFlow } from './validate';

const errors = (ds: Diagnostic[]) => ds.filter((d) => d.severity === 'error');

describe('validateFlow', () => {
  it('accepts a valid flow', () => {
    expect(validateFlow(sampleFlow(), catalog)).toEqual([]);
  });

  it('rejects a non-object with a schema diagnostic', () => {
    const [d] = validateFlow([1, 2], catalog);
    expect(d).toMatchObject({ severity: 'error', code: 'schema.invalid', path: '$' });
  });

  it('reports schema problems at the field, naming the node', () => {
    const flow = sampleFlow() as unknown as { nodes: Record<string, unknown>[] };
    delete (flow.nodes[1] as Record<string, unknown>).name;
    const d = errors(validateFlow(flow, catalog));
    expect(d).toContainEqual(
      expect.objectContaining({
        code: 'schema.invalid',
        nodeId: 'b',
        path: '$.nodes[1].name',
        message: 'The field "name" is required.',
      }),
    );
  });

  it('reports an edge to a missing node with edge id and path', () => {
    const flow = sampleFlow();
    (flow.edges[1] as { target: string }).target = 'ghost';
    expect(errors(validateFlow(flow, catalog))).toEqual([
      expect.objectContaining({
        code: 'edge.missing-node',
        edgeId: 'e2',
        path: '$.edges[1].target',
      }),
    ]);
  });

  it('reports an unknown node type with a suggestion', () => {
    const flow = sampleFlow();
    (flow.nodes[1] as { type: string }).type = 'rule.brnch';
    const [d] = errors(validateFlow(flow, catalog));
    expect(d).toMatchObject({ code: 'node.unknown-type', nodeId: 'b', path: '$.nodes[1].type' });
    expect(d?.message).toContain('Did you mean "rule.branch"?');
  });

  it('reports an unknown json-logic operation at its path', () => {
    const flow = sampleFlow();
    (flow.nodes[1] as { config: unknown }).config = { condition: { and: [true, { eval: ['x'] }] } };
    expect(errors(validateFlow(flow, catalog))).toEqual([
      expect.objectContaining({
        code: 'expression.unknown-operation',
        nodeId: 'b',
        path: '$.nodes[1].config.condition.and[1].eval',
      }),
    ]);
  });

  it('checks settings expressions too', () => {
    const flow = sampleFlow();
    flow.settings.idempotencyKey = { method: ['x', 'toString'] };
    expect(errors(validateFlow(flow, catalog))).toEqual([
      expect.objectContaining({
        code: 'expression.unknown-operation',
        path: '$.settings.idempotencyKey.method',
      }),
    ]);
  });

  it('checks the ordering key like the other settings expressions', () => {
    const flow = sampleFlow();
    flow.settings.orderingKey = { cat: ['order-', { var: 'order' }] };
    expect(errors(validateFlow(flow, catalog))).toEqual([]);
    flow.settings.orderingKey = { eval: ['x'] };
    expect(errors(validateFlow(flow, catalog))).toEqual([
      expect.objectContaining({
        code: 'expression.unknown-operation',
        path: '$.settings.orderingKey.eval',
      }),
    ]);
  });

  it('reports a config that breaks its schema', () => {
    const flow = sampleFlow();
    (flow.nodes[3] as { config: Record<string, unknown> }).config.method = 'FETCH';
    expect(errors(validateFlow(flow, catalog))).toEqual([
      expect.objectContaining({
        code: 'node.config-invalid',
        nodeId: 'h',
        path: '$.nodes[3].config.method',
      }),
    ]);
  });

  it('reports a missing required config field at the field', () => {
    const flow = sampleFlow();
    (flow.nodes[1] as { config: unknown }).config = {};
    expect(errors(validateFlow(flow, catalog))).toEqual([
      expect.objectContaining({
        code: 'node.config-invalid',
        nodeId: 'b',
        path: '$.nodes[1].config.condition',
      }),
    ]);
  });

  it('refuses a mapping target through the prototype', () => {
    const flow = sampleFlow();
    (flow.nodes[2] as { config: unknown }).config = {
      fields: [{ target: 'a.__proto__.polluted', expression: 1 }],
    };
    expect(errors(validateFlow(flow, catalog))).toEqual([
      expect.objectContaining({
        code: 'node.config-invalid',
        path: '$.nodes[2].config.fields[0].target',
      }),
    ]);
  });

  it('reports two triggers', () => {
    const flow = sampleFlow();
    flow.nodes.push({
      id: 't2',
      type: 'trigger.manual',
      name: 'Manual',
      position: { x: 0, y: 100 },
      config: {},
    });
    flow.edges.push({ id: 'e9', source: 't2', sourcePort: 'out', target: 'b', targetPort: 'in' });
    expect(errors(validateFlow(flow, catalog))).toEqual([
      expect.objectContaining({ code: 'trigger.multiple', nodeId: 't2', path: '$.nodes[4]' }),
    ]);
  });

  it('reports a flow without a trigger', () => {
    const flow = sampleFlow();
    flow.nodes.shift();
    flow.edges.shift();
    expect(errors(validateFlow(flow, catalog)).map((d) => d.code)).toEqual(['trigger.missing']);
  });

  it('reports an edge into a trigger', () => {
    const flow = sampleFlow();
    flow.edges.push({ id: 'e9', source: 'm', sourcePort: 'out', target: 't', targetPort: 'in' });
    const codes = errors(validateFlow(flow, catalog)).map((d) => d.code);
    expect(codes).toContain('trigger.has-input');
  });

  it('reports a cycle at the edge that closes it', () => {
    const flow = sampleFlow();
    flow.edges.push({ id: 'back', source: 'h', sourcePort: 'out', target: 'b', targetPort: 'in' });
    expect(errors(validateFlow(flow, catalog))).toEqual([
      expect.objectContaining({ code: 'graph.cycle', edgeId: 'back', path: '$.edges[3]' }),
    ]);
  });

  it('allows a cycle through a node type that declares it may loop', () => {
    const looping = { ...catalog.get('mapping.map'), mayLoop: true } as NonNullable<
      ReturnType<typeof catalog.get>
    >;
    const custom = {
      get: (t: string) => (t === 'mapping.map' ? looping : catalog.get(t)),
      list: catalog.list,
    };
    const flow = sampleFlow();
    flow.edges.push({ id: 'back', source: 'h', sourcePort: 'out', target: 'b', targetPort: 'in' });
    expect(errors(validateFlow(flow, custom))).toEqual([]);
  });

  it('reports unknown ports on either end', () => {
    const flow = sampleFlow();
    (flow.edges[1] as { sourcePort: string }).sourcePort = 'maybe';
    (flow.edges[2] as { targetPort: string }).targetPort = 'side';
    expect(errors(validateFlow(flow, catalog))).toEqual([
      expect.objectContaining({
        code: 'edge.unknown-port',
        edgeId: 'e2',
        path: '$.edges[1].sourcePort',
      }),
      expect.objectContaining({
        code: 'edge.unknown-port',
        edgeId: 'e3',
        path: '$.edges[2].targetPort',
      }),
    ]);
  });

  it('accepts the implicit error port', () => {
    const flow = sampleFlow();
    flow.nodes.push({
      id: 'm2',
      type: 'mapping.map',
      name: 'On error',
      position: { x: 800, y: 0 },
      config: { fields: [], keepSource: true },
    });
    flow.edges.push({ id: 'e4', source: 'h', sourcePort: 'error', target: 'm2', targetPort: 'in' });
    expect(validateFlow(flow, catalog)).toEqual([]);
  });

  it('warns about unreachable nodes', () => {
    const flow = sampleFlow();
    flow.edges.pop();
    expect(validateFlow(flow, catalog)).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'node.unreachable', nodeId: 'h' }),
    ]);
  });

  it('reports duplicate node and edge ids', () => {
    const flow = sampleFlow();
    flow.nodes.push({ ...(flow.nodes[2] as (typeof flow.nodes)[number]) });
    flow.edges.push({ ...(flow.edges[0] as (typeof flow.edges)[number]) });
    const codes = errors(validateFlow(flow, catalog)).map((d) => d.code);
    expect(codes).toEqual(['node.duplicate-id', 'edge.duplicate-id']);
  });

  it('checks connections against an environment', () => {
    const env: Environment = {
      name: 'test',
      connections: { erp: { system: 'erp', baseUrl: 'http://erp.test' } },
    };
    const [d] = errors(validateFlow(sampleFlow(), catalog, { environment: env }));
    expect(d).toMatchObject({
      code: 'connection.missing',
      nodeId: 'h',
      path: '$.nodes[3].config.connection',
    });
    expect(d?.message).toContain('"test" environment does not define');
  });

  it('checks the id against the file name', () => {
    expect(errors(validateFlow(sampleFlow(), catalog, { expectedId: 'other' }))).toEqual([
      expect.objectContaining({ code: 'flow.id-mismatch', path: '$.id' }),
    ]);
  });

  it('handles a deep chain without overflowing the stack', () => {
    const flow = sampleFlow();
    flow.nodes = [flow.nodes[0] as (typeof flow.nodes)[number]];
    flow.edges = [];
    let prev = 't';
    for (let i = 0; i < 5000; i++) {
      flow.nodes.push({
        id: `n${i}`,
        type: 'mapping.map',
        name: `N${i}`,
        position: { x: i, y: 0 },
        config: { fields: [], keepSource: true },
      });
      flow.edges.push({
        id: `e${i}`,
        source: prev,
        sourcePort: 'out',
        target: `n${i}`,
        targetPort: 'in',
      });
      prev = `n${i}`;
    }
    expect(validateFlow(flow, catalog)).toEqual([]);
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(Array.isArray(validateFlow(value, catalog))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws when parts of a valid flow are replaced by arbitrary JSON', () => {
    const paths: string[][] = [
      ['nodes'],
      ['edges'],
      ['settings'],
      ['nodes', '1'],
      ['nodes', '1', 'config'],
      ['nodes', '2', 'config', 'fields'],
      ['edges', '0'],
      ['edges', '0', 'source'],
      ['settings', 'businessKeys'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
        const flow = sampleFlow() as unknown as Record<string, unknown>;
        let target: Record<string, unknown> = flow;
        for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
        target[path[path.length - 1] as string] = value;
        expect(Array.isArray(validateFlow(flow, catalog))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
