import type { Runtime } from '../../runtime';
import type { StartedRun } from '../../service/run-service';

/**
 * A trigger answered `duplicate` starts nothing; the log says so, with the key and the run that
 * already has it, so "the walk-through did nothing" has an answer in the log.
 */
export function logDuplicate(
  runtime: Runtime,
  flowId: string,
  started: StartedRun,
  source: 'webhook' | 'api',
): void {
  runtime.log.info(
    { flowId, idempotencyKey: started.idempotencyKey, existingRunId: started.runId, source },
    `duplicate delivery for ${flowId}: idempotency key "${started.idempotencyKey}" already started ${started.runId}; no new run`,
  );
}
