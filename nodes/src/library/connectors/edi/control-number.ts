import { controlNumberFrom } from '../../../edi/control-number';
import type { NodeContext } from '../../../sdk/executor-types';

export type ControlNumberSource = 'idempotency-key' | 'run-counter';

/**
 * The ISA13 for an outgoing interchange. `idempotency-key` derives it from the step's key, so a
 * retried step sends the same control number (the partner sees a duplicate, not a new
 * document). `run-counter` numbers interchanges 1, 2, 3... within a run through an atomic
 * append on the run state; a retry takes the next number.
 */
export async function nextControlNumber(
  ctx: NodeContext,
  source: ControlNumberSource,
): Promise<number> {
  if (source === 'run-counter') {
    const list = await ctx.runState.append(`edi:control-number:${ctx.nodeId}`, ctx.idempotencyKey);
    return ((list.length - 1) % 999_999_999) + 1;
  }
  return controlNumberFrom(ctx.idempotencyKey);
}
