import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../library/manifests';
import { sampleFlow } from '../testing/sample-flow';
import { describeFlowChange, diffFlows } from './diff';
import type { FlowDocument } from './flow-types';

function edit(change: (f: FlowDocument) => void): FlowDocument {
  const f = sampleFlow();
  change(f);
  return f;
}

const texts = (a: FlowDocument, b: FlowDocument) =>
  diffFlows(a, b, { catalog }).map(describeFlowChange);

describe('diffFlows', () => {
  it('finds nothing between equal flows, even when nodes moved', () => {
    const moved = edit((f) => {
      (f.nodes[0] as { position: { x: number } }).position.x = 999;
    });
    expect(diffFlows(sampleFlow(), moved)).toEqual([]);
    expect(diffFlows(sampleFlow(), moved, { includeMoves: true })).toEqual([
      { kind: 'node-moved', nodeId: 't', name: 'Hook' },
    ]);
  });

  it("describes a rule change in the analyst's terms", () => {
    const b = edit((f) => {
      (f.nodes[1] as { config: unknown }).config = {
        condition: { '>': [{ var: 'weightKg' }, 25] },
      };
    });
    expect(texts(sampleFlow(), b)).toEqual([
      '"Heavy?": condition changed from weightKg > 30 to weightKg > 25',
    ]);
  });

  it('matches mapping fields by target', () => {
    const a = edit((f) => {
      (f.nodes[2] as { config: unknown }).config = {
        fields: [
          { target: 'ref', expression: { var: 'orderNumber' } },
          { target: 'country', expression: { var: 'shipTo.country' } },
        ],
      };
    });
    const b = edit((f) => {
      (f.nodes[2] as { config: unknown }).config = {
        fields: [
          { target: 'country', expression: { upper: { var: 'shipTo.country' } } },
          { target: 'ref', expression: { var: 'orderNumber' } },
          { target: 'site', expression: 'DC-1' },
        ],
      };
    });
    expect(texts(a, b)).toEqual([
      '"Map": fields[target=country].expression changed from shipTo.country to upper(shipTo.country)',
      '"Map": fields[target=site] added: {"target":"site","expression":"DC-1"}',
    ]);
  });

  it('reports nodes added, removed, renamed and edges rerouted', () => {
    const b = edit((f) => {
      f.nodes[2] = { ...(f.nodes[2] as FlowDocument['nodes'][number]), name: 'To WMS order' };
      f.nodes.pop();
      f.edges.pop();
      f.nodes.push({
        id: 'x',
        type: 'mapping.map',
        name: 'Extra',
        position: { x: 0, y: 0 },
        config: { fields: [] },
      });
      (f.edges[1] as { sourcePort: string }).sourcePort = 'false';
    });
    expect(texts(sampleFlow(), b)).toEqual([
      'Node removed: "Post" (connector.http, id h)',
      'Node m renamed from "Map" to "To WMS order"',
      'Node added: "Extra" (mapping.map, id x)',
      'Connection removed: m.out → h.in',
      'Connection e2 rerouted from b.true → m.in to b.false → m.in',
    ]);
  });

  it('describes a retry policy change', () => {
    const retry = (n: number) => ({
      maxAttempts: n,
      backoff: { initialMs: 100, multiplier: 2, maxMs: 1000, jitter: 0 },
    });
    const a = edit((f) => {
      (f.nodes[3] as { retry: unknown }).retry = retry(3);
    });
    const b = edit((f) => {
      (f.nodes[3] as { retry: unknown }).retry = retry(5);
    });
    expect(texts(a, b)).toEqual([
      '"Post": retry policy changed from 3 attempts, backoff 100 ms ×2 up to 1000 ms to 5 attempts, backoff 100 ms ×2 up to 1000 ms',
    ]);
  });

  it('is empty exactly when the documents are equal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), (threshold) => {
        const b = edit((f) => {
          (f.nodes[1] as { config: unknown }).config = {
            condition: { '>': [{ var: 'weightKg' }, threshold] },
          };
        });
        expect(diffFlows(sampleFlow(), b).length === 0).toBe(threshold === 30);
      }),
    );
  });
});
