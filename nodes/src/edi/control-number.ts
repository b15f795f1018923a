import type { NodeContext } from '../sdk/executor-types';

/** FNV-1a: a small, stable string hash (no crypto needed, and isomorphic). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** An X12 control number (1..999999999) that is always the same for the same key. */
export function controlNumberFrom(key: string): number {
  return (fnv1a(key) % 999_999_999) + 1;
}

/** Where an outgoing interchange's control number comes from. */
export type ControlNumberSource = 'idempotency-key' | 'run-counter';

/**
 * The ISA13 for an outgoing interchange. `idempotency-key` derives it from the step's key, so a
 * retried step sends the same control number (the partner sees a duplicate, not a new
 * document). `run-counter` numbers interchanges 1, 2, 3... within a run through an atomic
 * append on the run state; a retry takes the next number.
 */
export async function nextControlNumber(
  ctx: Pick<NodeContext, 'runState' | 'nodeId' | 'idempotencyKey'>,
  source: ControlNumberSource,
): Promise<number> {
  if (source === 'run-counter') {
    const list = await ctx.runState.append(`edi:control-number:${ctx.nodeId}`, ctx.idempotencyKey);
    return ((list.length - 1) % 999_999_999) + 1;
  }
  return controlNumberFrom(ctx.idempotencyKey);
}
