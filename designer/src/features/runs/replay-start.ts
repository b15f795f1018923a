import type { JsonValue } from '@crossdock/nodes';
import { failedNodeOf, failureCodeOf, type Run, type RunStep } from '../../lib/api-types';

/** A node a replay may start from: one that ran in the run, with the input it last received. */
export interface ReplayPoint {
  nodeId: string;
  input: JsonValue | undefined;
}

/** Every node that ran, in the order it first ran, with its last recorded input. */
export function replayPoints(run: Run): ReplayPoint[] {
  const last = new Map<string, RunStep>();
  for (const s of run.steps) last.set(s.nodeId, s);
  return [...last.values()].map((s) => ({ nodeId: s.nodeId, input: s.input }));
}

/**
 * Where a replay starts unless the operator picks another node, as the runtime decides it: when a
 * dead-letter node parked a caught error, the node whose error was caught (replaying the park
 * would call nothing again); otherwise the failed node.
 */
export function defaultReplayNode(run: Run): string | null {
  if (failureCodeOf(run) === 'dead-lettered') {
    const caught = [...run.steps]
      .reverse()
      .find((s) => s.status === 'failed' && s.ports.includes('error'));
    if (caught) return caught.nodeId;
  }
  return failedNodeOf(run);
}
