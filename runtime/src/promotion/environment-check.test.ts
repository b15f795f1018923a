import { catalog, type Environment, type FlowDocument } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import { checkEnvironment, requiredConnections } from './environment-check';

const flow = {
  schemaVersion: 1,
  id: 'f',
  name: 'f',
  version: '1.0.0',
  settings: {},
  nodes: [
    { id: 't', type: 'trigger.manual', name: 't', position: { x: 0, y: 0 }, config: {} },
    {
      id: 'a',
      type: 'connector.http',
      name: 'a',
      position: { x: 0, y: 0 },
      config: { connection: 'api', method: 'GET', path: '/' },
    },
    {
      id: 'b',
      type: 'connector.http',
      name: 'b',
      position: { x: 0, y: 0 },
      config: { connection: 'other', method: 'GET', path: '/' },
    },
  ],
  edges: [],
} as unknown as FlowDocument;

const env: Environment = {
  name: 'test',
  connections: {
    api: {
      system: 'http',
      baseUrl: 'http://x',
      auth: { type: 'bearer', tokenSecret: 'API_TOKEN' },
    },
  },
};

describe('checking a flow against an environment', () => {
  it('derives the connections from the connector nodes', () => {
    expect(requiredConnections(flow, catalog)).toEqual(['api', 'other']);
  });

  it('names the missing binding, and the missing secret when secrets are given', () => {
    expect(checkEnvironment(flow, catalog, env).map((p) => p.message)).toEqual([
      'The "test" environment binds no connection "other".',
    ]);
    const problems = checkEnvironment(flow, catalog, env, () => undefined);
    expect(problems.map((p) => [p.kind, p.secret ?? p.connection])).toEqual([
      ['secret', 'API_TOKEN'],
      ['binding', 'other'],
    ]);
    expect(checkEnvironment(flow, catalog, env, () => 'set').map((p) => p.kind)).toEqual([
      'binding',
    ]);
  });
});
