import type { Run, RunStep } from '../../lib/api-types';
import type { NodeTrace } from '../canvas/canvas-types';

const TERMINAL_RUN = new Set(['succeeded', 'failed', 'discarded']);

export function isTerminal(run: Run): boolean {
  return TERMINAL_RUN.has(run.status);
}

function stepStatus(step: RunStep, runDone: boolean): NodeTrace['status'] {
  switch (step.status) {
    case 'succeeded':
    case 'completed':
      return 'succeeded';
    case 'failed':
      // A failed attempt that is not the run's last word is a retry in waiting.
      return runDone ? 'failed' : 'retrying';
    case 'skipped':
      return 'skipped';
    case 'retrying':
      return runDone ? 'failed' : 'retrying';
    default:
      return 'running';
  }
}

/**
 * What the canvas draws for each node from a run's steps: the latest attempt's status, how many
 * attempts, total duration and the port taken.
 */
export function traceByNode(run: Run): Map<string, NodeTrace> {
  const grouped = new Map<string, RunStep[]>();
  for (const s of run.steps) {
    const list = grouped.get(s.nodeId);
    if (list) list.push(s);
    else grouped.set(s.nodeId, [s]);
  }
  const done = isTerminal(run);
  const out = new Map<string, NodeTrace>();
  for (const [nodeId, steps] of grouped) {
    const last = steps.reduce((a, b) => (b.attempt >= a.attempt ? b : a));
    const attempts = Math.max(...steps.map((s) => s.attempt));
    const total = steps.reduce((sum, s) => sum + (s.durationMs ?? 0), 0);
    out.set(nodeId, {
      status: stepStatus(last, done),
      attempts,
      durationMs: steps.some((s) => s.durationMs !== null) ? total : null,
      ports: last.ports,
      error: last.error
        ? `${last.error.code || last.error.errorClass}: ${last.error.message}`
        : null,
    });
  }
  return out;
}
