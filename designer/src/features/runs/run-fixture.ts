import { parseBody, RunWithSteps as RunSchema, type RunWithSteps } from '@crossdock/nodes/api';
import type { RunStep } from '../../lib/api-types';

/** A step as the runtime records it, for tests: `extra` overrides the defaults. */
export function stepFixture(
  nodeId: string,
  status: RunStep['status'],
  extra: Partial<RunStep> = {},
): RunStep {
  return {
    index: 0,
    nodeId,
    nodeType: 'x',
    messageId: 'm1',
    attempt: 1,
    status,
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:00.010Z',
    durationMs: 10,
    inputPort: 'in',
    input: null,
    ports: [],
    ...extra,
  };
}

/** A run as `GET /api/runs/{id}` answers it, checked against the contract so tests stay honest. */
export function runFixture(extra: Partial<RunWithSteps> = {}): RunWithSteps {
  return parseBody(
    RunSchema,
    {
      id: 'r1',
      flowId: 'f',
      version: '1.0.0',
      status: 'failed',
      trigger: {},
      businessKeys: {},
      correlationId: 'c1',
      createdAt: '2026-01-01T00:00:00.000Z',
      stepCount: extra.steps?.length ?? 0,
      steps: [],
      ...extra,
    },
    'run fixture',
  );
}

/** A run's failure record on `nodeId` with `code`. */
export function failureFixture(nodeId: string, code: string): NonNullable<RunWithSteps['failure']> {
  return {
    nodeId,
    nodeType: 'x',
    messageId: 'm1',
    at: '2026-01-01T00:00:01.000Z',
    error: {
      name: 'PermanentError',
      errorClass: 'permanent',
      code,
      message: code,
      retryable: false,
    },
  };
}
