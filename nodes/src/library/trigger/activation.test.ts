import { describe, expect, it } from 'vitest';
import { activationsOf } from '../../sdk/activation';
import { createCatalog } from '../../sdk/catalog';
import type { FlowDocument, FlowNode } from '../../sdk/flow-types';
import { isJsonObject } from '../../sdk/json';
import { catalog, manifests } from '../manifests';

const node = (id: string, type: string, config: FlowNode['config']): FlowNode => ({
  id,
  type,
  name: id,
  position: { x: 0, y: 0 },
  config,
});

const flow = (...nodes: FlowNode[]): FlowDocument => ({
  schemaVersion: 1,
  settings: {},
  id: 'f',
  name: 'f',
  version: '1.0.0',
  nodes,
  edges: [],
});

describe('trigger activations', () => {
  it('name config fields their manifest schema declares, and only triggers declare one', () => {
    for (const m of manifests) {
      const spec = m.activation;
      if (!spec) continue;
      expect(m.category, m.type).toBe('trigger');
      const properties = m.configSchema.properties;
      const declared = isJsonObject(properties) ? Object.keys(properties) : [];
      const fields = Object.entries(spec)
        .filter(([key]) => key !== 'kind' && key !== 'transport')
        .map(([, value]) => value);
      for (const f of fields) expect(declared, `${m.type}: ${f}`).toContain(f);
      if ('transport' in spec) expect(m.connection?.kinds, m.type).toEqual([spec.transport]);
    }
    const declaring = manifests.filter((m) => m.activation).map((m) => m.type);
    expect(declaring.sort()).toEqual([
      'trigger.amqp',
      'trigger.mqtt',
      'trigger.nats',
      'trigger.schedule',
      'trigger.sftp',
      'trigger.webhook',
    ]);
  });

  it('resolve values from the config, falling back to the schema defaults', () => {
    const doc = flow(
      node('hook', 'trigger.webhook', { path: 'erp/order', signatureSecret: 'ERP_SECRET' }),
      node('text', 'trigger.webhook', { path: 'edi/in', contentType: 'text', replyTimeoutMs: 5 }),
      node('tick', 'trigger.schedule', { cron: '0 6 * * *' }),
      node('berlin', 'trigger.schedule', { cron: '*/5 * * * *', timeZone: 'Europe/Berlin' }),
      node('files', 'trigger.sftp', { connection: 'p', folder: '/in' }),
      node('queue', 'trigger.amqp', { connection: 'broker', queue: 'q' }),
      node('manual', 'trigger.manual', {}),
      node('branch', 'rule.branch', {}),
    );
    const got = activationsOf(doc, catalog).map(({ config: _config, ...rest }) => rest);
    expect(got).toEqual([
      {
        kind: 'webhook',
        nodeId: 'hook',
        type: 'trigger.webhook',
        path: 'erp/order',
        signatureSecret: 'ERP_SECRET',
        contentType: 'json',
      },
      {
        kind: 'webhook',
        nodeId: 'text',
        type: 'trigger.webhook',
        path: 'edi/in',
        contentType: 'text',
        replyTimeoutMs: 5,
      },
      {
        kind: 'schedule',
        nodeId: 'tick',
        type: 'trigger.schedule',
        cron: '0 6 * * *',
        timeZone: 'UTC',
      },
      {
        kind: 'schedule',
        nodeId: 'berlin',
        type: 'trigger.schedule',
        cron: '*/5 * * * *',
        timeZone: 'Europe/Berlin',
      },
      {
        kind: 'poll',
        nodeId: 'files',
        type: 'trigger.sftp',
        transport: 'sftp',
        intervalMs: 30_000,
      },
      { kind: 'consumer', nodeId: 'queue', type: 'trigger.amqp', transport: 'amqp' },
    ]);
  });

  it('declare nothing without their required value, or for a type the catalog lacks', () => {
    const doc = flow(
      node('hook', 'trigger.webhook', {}),
      node('tick', 'trigger.schedule', { cron: 7 }),
      node('gone', 'trigger.retired', { path: 'x' }),
    );
    expect(activationsOf(doc, catalog)).toEqual([]);
    expect(activationsOf(flow(node('q', 'trigger.amqp', {})), createCatalog([]))).toEqual([]);
  });
});
