import { describe, expect, it } from 'vitest';
import { catalog } from '../library/manifests';
import { sampleFlow } from '../testing/sample-flow';
import type { FlowDocument } from './flow-types';
import type { JsonObject } from './json';
import { validateFlow } from './validate';

function withMapping(config: JsonObject): FlowDocument {
  const flow = sampleFlow();
  const map = flow.nodes.find((n) => n.type === 'mapping.map');
  if (!map) throw new Error('the sample flow has a mapping');
  map.config = config;
  return flow;
}

const mappingWarnings = (flow: FlowDocument) =>
  validateFlow(flow, catalog).filter((d) => d.code.startsWith('mapping.'));

describe('mapping checks', () => {
  it('warns about a mapping with no field, at its fields', () => {
    const [d, ...rest] = mappingWarnings(withMapping({ fields: [], keepSource: false }));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      severity: 'warning',
      code: 'mapping.empty',
      path: expect.stringMatching(/\.config\.fields$/),
    });
  });

  it('accepts no field when the source is kept', () => {
    expect(mappingWarnings(withMapping({ fields: [], keepSource: true }))).toEqual([]);
  });

  it('warns about an each whose items get no field, nested too', () => {
    const flow = withMapping({
      fields: [
        { target: 'ref', expression: { var: 'id' } },
        {
          target: 'lines',
          each: {
            items: { var: 'lines' },
            fields: [{ target: 'packs', each: { items: { var: 'item.packs' }, fields: [] } }],
          },
        },
        { target: 'notes', each: { items: { var: 'notes' }, fields: [] } },
      ],
    });
    const ds = mappingWarnings(flow);
    expect(ds.map((d) => [d.code, d.path.replace(/^.*config\./, '')])).toEqual([
      ['mapping.each-empty', 'fields[1].each.fields[0].each.fields'],
      ['mapping.each-empty', 'fields[2].each.fields'],
    ]);
    expect(ds[0]?.message).toMatch(/"packs"/);
    expect(ds.every((d) => d.severity === 'warning')).toBe(true);
  });
});
