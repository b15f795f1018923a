import { catalog, type FlowDocument } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import { copySelection, paste } from './clipboard';
import {
  addConnectedNode,
  addNode,
  canAddNode,
  canConnect,
  connect,
  startingConfig,
} from './flow-edit';
import { autoLayout, FRAME_MARGINS, flowBounds, frameFlow, READABLE_ZOOM } from './layout';

const empty: FlowDocument = {
  schemaVersion: 1,
  id: 'f',
  name: 'F',
  version: '1.0.0',
  settings: {},
  nodes: [],
  edges: [],
};

function build() {
  let doc = empty;
  const ids: string[] = [];
  for (const type of ['trigger.manual', 'mapping.map', 'connector.http']) {
    const r = addNode(doc, catalog, type, { x: 0, y: 0 });
    if (!('id' in r)) throw new Error(r.error);
    doc = r.doc;
    ids.push(r.id);
  }
  return { doc, ids: ids as [string, string, string] };
}

describe('flow edits', () => {
  it('adds a node after a port and wires it in one edit', () => {
    const { doc, ids } = build();
    const r = addConnectedNode(
      doc,
      catalog,
      'exception.dead-letter',
      { nodeId: ids[2], port: 'error' },
      { x: 400.4, y: 10 },
    );
    if (!('id' in r)) throw new Error(r.error);
    expect(r.doc.nodes.at(-1)).toMatchObject({
      type: 'exception.dead-letter',
      position: { x: 400 },
    });
    expect(r.doc.edges).toEqual([
      expect.objectContaining({
        source: ids[2],
        sourcePort: 'error',
        target: r.id,
        targetPort: 'in',
      }),
    ]);
  });

  it('adds nothing after a port that does not exist or before a node without inputs', () => {
    const { doc, ids } = build();
    const noPort = addConnectedNode(
      doc,
      catalog,
      'mapping.map',
      { nodeId: ids[1], port: 'nope' },
      {
        x: 0,
        y: 0,
      },
    );
    expect(noPort).toMatchObject({ doc, error: expect.stringMatching(/no output "nope"/) });
    const trigger = addConnectedNode(
      doc,
      catalog,
      'trigger.webhook',
      { nodeId: ids[1], port: 'out' },
      {
        x: 0,
        y: 0,
      },
    );
    expect(trigger).toMatchObject({ doc, error: expect.stringMatching(/takes no input/) });
  });

  it('adds nodes with defaults, unique ids and names', () => {
    const { doc } = build();
    const again = addNode(doc, catalog, 'mapping.map', { x: 1.4, y: 2.6 });
    if (!('id' in again)) throw new Error('not added');
    const added = again.doc.nodes.at(-1);
    expect(added).toMatchObject({ id: 'n-map-2', name: 'Map fields 2', position: { x: 1, y: 3 } });
    expect(added?.config).toEqual({ fields: [], keepSource: false });
  });

  it('refuses a second trigger and unknown types', () => {
    const { doc } = build();
    const verdict = canAddNode(doc, catalog, 'trigger.webhook');
    expect(verdict.ok).toBe(false);
    expect(addNode(doc, catalog, 'trigger.webhook', { x: 0, y: 0 })).toHaveProperty('error');
    expect(canAddNode(doc, catalog, 'nope.nope').ok).toBe(false);
  });

  it('connects real ports only, once, and never into a trigger or onto itself', () => {
    const { doc, ids } = build();
    const [t, m, h] = ids;
    const ok = { source: t, sourcePort: 'out', target: m, targetPort: 'in' };
    expect(canConnect(doc, catalog, ok)).toEqual({ ok: true });
    const once = connect(doc, catalog, ok).doc;
    expect(once.edges).toHaveLength(1);
    expect(canConnect(once, catalog, ok).ok).toBe(false);
    expect(canConnect(doc, catalog, { ...ok, sourcePort: 'nope' }).ok).toBe(false);
    expect(
      canConnect(doc, catalog, { source: m, sourcePort: 'out', target: t, targetPort: 'in' }).ok,
    ).toBe(false);
    expect(
      canConnect(doc, catalog, { source: h, sourcePort: 'out', target: h, targetPort: 'in' }).ok,
    ).toBe(false);
    expect(connect(doc, catalog, { ...ok, target: 'ghost' }).error).toMatch(/nodes of this flow/);
  });

  it('copies and pastes with fresh ids, inner edges and no second trigger', () => {
    const { doc, ids } = build();
    const wired = connect(doc, catalog, {
      source: ids[1],
      sourcePort: 'out',
      target: ids[2],
      targetPort: 'in',
    }).doc;
    const content = copySelection(wired, new Set(ids));
    const { doc: pasted, ids: newIds } = paste(wired, content, { x: 40, y: 40 }, (t) =>
      t.startsWith('trigger.'),
    );
    expect(newIds).toHaveLength(2);
    expect(pasted.nodes).toHaveLength(5);
    expect(new Set(pasted.nodes.map((n) => n.id)).size).toBe(5);
    const edge = pasted.edges.at(-1);
    expect(newIds).toContain(edge?.source);
    expect(newIds).toContain(edge?.target);
  });

  it('lays out left to right along the edges', () => {
    const { doc, ids } = build();
    let wired = connect(doc, catalog, {
      source: ids[0],
      sourcePort: 'out',
      target: ids[1],
      targetPort: 'in',
    }).doc;
    wired = connect(wired, catalog, {
      source: ids[1],
      sourcePort: 'out',
      target: ids[2],
      targetPort: 'in',
    }).doc;
    const laid = autoLayout(wired);
    const xs = laid.nodes.map((n) => n.position.x);
    expect(xs[0]).toBeLessThan(xs[1] ?? 0);
    expect(xs[1]).toBeLessThan(xs[2] ?? 0);
    for (const n of laid.nodes) expect(Number.isInteger(n.position.y)).toBe(true);
  });
});

describe('frameFlow', () => {
  const pane = { width: 1000, height: 600 };
  it('shows a small flow whole, centred, never past 100%', () => {
    const v = frameFlow({ x: 0, y: 0, width: 300, height: 100 }, pane);
    expect(v.zoom).toBe(1);
    const room = pane.width - FRAME_MARGINS.left - FRAME_MARGINS.right;
    expect(v.x).toBe(FRAME_MARGINS.left + (room - 300) / 2);
  });

  it('fits a flow that stays readable when shrunk', () => {
    const v = frameFlow({ x: 100, y: 50, width: 1000, height: 200 }, pane);
    expect(v.zoom).toBeCloseTo(730 / 1000);
    expect(v.x).toBe(Math.round(FRAME_MARGINS.left - 100 * v.zoom));
  });

  it('starts a wide flow at its left end at a readable zoom', () => {
    const v = frameFlow({ x: 40, y: 0, width: 4000, height: 200 }, pane);
    expect(v.zoom).toBe(READABLE_ZOOM);
    expect(v.x).toBe(Math.round(FRAME_MARGINS.left - 40 * READABLE_ZOOM));
  });

  it('bounds every node with its measured or default size', () => {
    const { doc, ids } = build();
    const placed = {
      ...doc,
      nodes: doc.nodes.map((n, i) => ({ ...n, position: { x: i * 300, y: 10 } })),
    };
    expect(flowBounds(placed, new Map([[ids[2], { width: 100, height: 300 }]]))).toEqual({
      x: 0,
      y: 10,
      width: 700,
      height: 300,
    });
    expect(flowBounds(empty)).toBeNull();
  });
});

describe('startingConfig', () => {
  it('leaves out connections and expressions so that a new node must be configured', () => {
    const get = (type: string) => {
      const m = catalog.get(type);
      if (!m) throw new Error(`no ${type}`);
      return startingConfig(m);
    };
    expect(get('connector.http')).toEqual({ method: 'POST', path: '/', output: 'body' });
    expect(get('rule.branch')).toEqual({});
    expect(get('rule.switch')).toEqual({ cases: [], mode: 'first' });
    expect(get('flow.split')).toEqual({ maxItems: 10000 });
    expect(get('trigger.webhook')).toEqual({ path: 'my-system/my-event', contentType: 'json' });
  });
});
