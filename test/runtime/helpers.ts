import type { FlowDocument, FlowEdge, FlowNode } from '@crossdock/nodes';

/**
 * Flow builders for the runtime tests. The chores (prefix cleanup, waits, the HTTP endpoint,
 * the runtime harness) are the runtime's test kit, re-exported here for the tests that import
 * them with the builders.
 */
export {
  cleanRedis,
  flowsDirFor,
  memoryLog,
  startTestServer,
  type TestRuntimeOptions,
  type TestServer,
  testRuntime,
  uniquePrefix,
  until,
  waitForRun,
} from '@crossdock/runtime/testing';

/** A `connector.http` node calling `path` on the test server (connection `api`). */
export function httpNode(id: string, path: string, extra: Partial<FlowNode> = {}): FlowNode {
  return node(
    id,
    'connector.http',
    { connection: 'api', method: 'POST', path, output: 'body' },
    extra,
  );
}

export function node(
  id: string,
  type: string,
  config: FlowNode['config'] = {},
  extra: Partial<FlowNode> = {},
): FlowNode {
  return { id, type, name: id, position: { x: 0, y: 0 }, config, ...extra };
}

export function edge(source: string, target: string, sourcePort = 'out'): FlowEdge {
  return { id: `${source}-${sourcePort}-${target}`, source, sourcePort, target, targetPort: 'in' };
}

const fastRetry = {
  maxAttempts: 3,
  backoff: { initialMs: 20, multiplier: 2, maxMs: 200, jitter: 0.1 },
};

export function flowDoc(
  id: string,
  nodes: FlowNode[],
  edges: FlowEdge[],
  settings: FlowDocument['settings'] = {},
): FlowDocument {
  return {
    schemaVersion: 1,
    id,
    name: id,
    version: '1.0.0',
    settings: { retry: fastRetry, ...settings },
    nodes,
    edges,
  };
}
