/**
 * 990 Response to a Load Tender <-> TenderResponse.
 * B1 (01 SCAC, 02 shipment id, 03 date, 04 A accepted / D declined), K1 (01 remarks: the
 * reason for a decline).
 */
import type { TenderResponse } from '../../canonical/types';
import { d8, find, mappingProblem, need, type Out, readDate, required, val } from '../elements';
import { defineSet } from '../set-mapping';
import { at } from '../types';

export const x990 = defineSet<TenderResponse>({
  set: '990',
  functionalId: 'GF',
  title: 'Response to a Load Tender',
  read(ctx, body) {
    const b1 = required(ctx, body, 'B1', 'beginning segment for booking or pick-up/delivery');
    if (!b1) return undefined;
    const action = val(b1, 4);
    if (action !== 'A' && action !== 'D') {
      mappingProblem(
        ctx,
        b1,
        'B104',
        `B104 (reservation action) must be A (accepted) or D (declined), found "${action ?? ''}" ${at(b1)}.`,
      );
    }
    const response: TenderResponse = {
      shipmentId: need(ctx, b1, 2, 'shipment identification number'),
      carrier: { scac: need(ctx, b1, 1, 'SCAC') },
      decision: action === 'D' ? 'declined' : 'accepted',
      respondedOn: readDate(ctx, b1, 3, 'date') ?? need(ctx, b1, 3, 'date'),
    };
    const reason = val(find(body, 'K1'), 1);
    if (reason !== undefined) response.reason = reason;
    return response;
  },
  write(response) {
    const out: Out[] = [
      [
        'B1',
        response.carrier.scac,
        response.shipmentId,
        d8(response.respondedOn),
        response.decision === 'accepted' ? 'A' : 'D',
      ],
    ];
    if (response.reason) out.push(['K1', response.reason]);
    return out;
  },
});
