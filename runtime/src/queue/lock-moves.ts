/**
 * BullMQ's errors for a job whose lock moved on: its worker stalled (a long GC pause, a killed
 * process) and another worker took the run over, so this worker's finishing write was refused.
 * The run goes on elsewhere; it is worth a line, not an error.
 */
const LOCK_MOVE =
  /^(?:Missing lock for job (\S+)\.|Lock mismatch for job (\S+)\.|Job (\S+) is not in the active state\.)/;

/** The run (job) id when `error` is a lock move, else undefined. */
export function lockMoveRunId(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const match = LOCK_MOVE.exec(error.message);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}
