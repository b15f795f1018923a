import type { FlowDocument } from '@crossdock/nodes';

/**
 * The bench order flow as a request-reply webhook: the trigger waits up to `replyTimeoutMs` for
 * the run's answer and a `flow.respond` node after the TMS call answers 201 with the order and
 * its shipment (else the caller gets 202 with the run id). Derived from the flow file, so the
 * six business steps stay the ones the bench measures.
 */
export function withReply(flow: FlowDocument, replyTimeoutMs: number): FlowDocument {
  const copy = structuredClone(flow);
  const trigger = copy.nodes.find((n) => n.type === 'trigger.webhook');
  const tms = copy.nodes.find((n) => n.id === 'n-tms');
  if (!trigger || !tms) throw new Error('the bench order flow lost its webhook or TMS node');
  trigger.config = { ...trigger.config, path: 'bench/orders-reply', replyTimeoutMs };
  copy.id = `${flow.id}-reply`;
  copy.name = `${flow.name} (request-reply)`;
  copy.nodes.push({
    id: 'n-respond',
    type: 'flow.respond',
    name: 'Answer the ERP',
    position: { x: tms.position.x + 280, y: tms.position.y },
    config: {
      status: 201,
      headers: { 'x-shipment': { var: 'id' } },
      body: {
        object: [
          ['shipment', { var: 'id' }],
          ['status', { var: 'status' }],
        ],
      },
    },
  });
  copy.edges.push({
    id: 'e-respond',
    source: 'n-tms',
    sourcePort: 'out',
    target: 'n-respond',
    targetPort: 'in',
  });
  return copy;
}
