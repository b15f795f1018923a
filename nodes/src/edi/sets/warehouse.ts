/** What the 940 and the 945 share: ship-to and warehouse parties, and the line's number. */
import type { Address, Party } from '../../canonical/types';
import { mappingProblem, type ReadContext } from '../elements';

export function shipToOf(
  ctx: ReadContext,
  parties: Map<string, Party>,
): Party & { address: Address } {
  const shipTo = parties.get('ST');
  if (!shipTo?.address) {
    mappingProblem(
      ctx,
      undefined,
      'N1',
      `The ${ctx.setId} has no ship-to (N1*ST) with an address (N3, N4).`,
      {
        code: 'missing-segment',
      },
    );
  }
  return {
    ...(shipTo ?? { name: '' }),
    address: shipTo?.address ?? { lines: [], city: '', country: '' },
  };
}

export function warehouseOf(ctx: ReadContext, parties: Map<string, Party>): Party {
  const warehouse = parties.get('WH') ?? parties.get('SF');
  if (!warehouse) {
    mappingProblem(ctx, undefined, 'N1', `The ${ctx.setId} has no warehouse (N1*WH).`, {
      code: 'missing-segment',
    });
  }
  return warehouse ?? { name: '' };
}
