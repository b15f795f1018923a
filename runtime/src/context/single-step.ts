import type { FlowNode, JsonValue, NodeExecutor, NodeResult } from '@crossdock/nodes';
import { type ContextDeps, createNodeContext } from './node-context';

/**
 * Runs one node outside any flow (an escalation webhook, a reconciliation read) with the same
 * context a step gets: the connection's auth, allowed hosts and rate limit, under a timeout.
 */
export async function runSingleStep(options: {
  deps: ContextDeps;
  executors: Readonly<Record<string, NodeExecutor>>;
  node: FlowNode;
  payload: JsonValue;
  /** Who runs it (`control-tower`, `reconciliation`) and the id a log line is traced by. */
  owner: string;
  correlationId: string;
  /** The run id the context reports (log lines, step keys). */
  runId: string;
  timeoutMs: number;
}): Promise<NodeResult> {
  const { node, payload, correlationId } = options;
  const executor = options.executors[node.type];
  if (!executor) throw new Error(`${node.type} is not in this runtime`);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const meta = { correlationId, splits: [] };
    const ctx = createNodeContext(
      options.deps,
      { id: options.runId, flowId: options.owner, version: '1', correlationId },
      {},
      {
        node,
        message: { id: 'm1', nodeId: node.id, port: 'in', payload, meta, attempt: 1 },
        signal: controller.signal,
        timeoutMs: options.timeoutMs,
        setTimer: () => undefined,
      },
    );
    return await executor({ payload, port: 'in', meta }, ctx);
  } finally {
    clearTimeout(timer);
  }
}
