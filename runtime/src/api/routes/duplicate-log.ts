import type { Runtime } from '../../runtime';

/**
 * A trigger answered `duplicate` starts nothing; the log says so, with the key and the run that
 * already has it, so "the walk-through did nothing" has an answer in the log. The key is read
 * from the existing run's record (it may be missing while that run is still being recorded).
 */
export async function logDuplicate(
  runtime: Runtime,
  flowId: string,
  existingRunId: string,
  source: 'webhook' | 'api',
): Promise<void> {
  let idempotencyKey: string | undefined;
  try {
    idempotencyKey = (await runtime.runs.record(existingRunId))?.idempotencyKey;
  } catch {
    idempotencyKey = undefined;
  }
  runtime.log.info(
    { flowId, idempotencyKey, existingRunId, source },
    `duplicate delivery for ${flowId}: idempotency key ${idempotencyKey === undefined ? '(being recorded)' : `"${idempotencyKey}"`} already started ${existingRunId}; no new run`,
  );
}
