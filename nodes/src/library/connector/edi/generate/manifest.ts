import { defineNode } from '../../../../sdk/manifest';

const x12Id = (description: string) => ({
  type: 'string',
  minLength: 1,
  maxLength: 15,
  pattern: '^[A-Za-z0-9 ._-]+$',
  description,
});
const qualifier = {
  type: 'string',
  pattern: '^[A-Z0-9]{2}$',
  default: 'ZZ',
  description: 'ISA id qualifier: ZZ mutually defined, 01 DUNS, 08 UCC/EAN, 12 phone, 14 GLN...',
};
const delimiter = { type: 'string', minLength: 1, maxLength: 1, pattern: '^[^A-Za-z0-9 ]$' };

export const ediGenerateConnector = defineNode({
  type: 'connector.edi-generate',
  version: 1,
  category: 'connector',
  title: 'EDI X12: write',
  description:
    'Writes a canonical object as an X12 interchange (850, 856, 940, 945, 204, 990, 214, 210, 997) with its envelopes.',
  inputs: [{ id: 'in', label: 'Canonical object' }],
  outputs: [{ id: 'out', label: 'X12 interchange' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['transactionSet'],
    properties: {
      partner: {
        type: 'string',
        pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
        description:
          'The trading partner (flows/partners/<id>.json): its ids, version, separators and 997 request fill the envelope; any field set here overrides the profile. Without a partner, senderId and receiverId are needed.',
      },
      transactionSet: {
        type: 'string',
        enum: ['850', '856', '940', '945', '204', '990', '214', '210', '997'],
        description:
          'What to write: 850 from a SalesOrder, 856 AdvanceShipNotice, 940/945 FulfillmentOrder, 204 Shipment, 990 TenderResponse, 214 CarrierMilestone(s), 210 FreightInvoice, 997 FunctionalAcknowledgment.',
      },
      senderId: x12Id('ISA06: our interchange id, as agreed with the partner.'),
      senderQualifier: qualifier,
      receiverId: x12Id("ISA08: the partner's interchange id."),
      receiverQualifier: qualifier,
      senderCode: x12Id('GS02 application sender code; ISA06 when absent.'),
      receiverCode: x12Id('GS03 application receiver code; ISA08 when absent.'),
      usage: {
        type: 'string',
        enum: ['P', 'T'],
        default: 'P',
        description: 'ISA15: P production, T test.',
      },
      version: {
        type: 'string',
        enum: ['00401', '00403', '00404', '00405', '00406', '00501'],
        description: "ISA12 (GS08 is this plus 0); the partner's version, else 00401.",
      },
      acknowledgmentRequested: { type: 'boolean', default: false, description: 'ISA14.' },
      delimiters: {
        type: 'object',
        additionalProperties: false,
        description: 'Defaults: element "*", component ">", segment "~", repetition "^" (00501).',
        properties: {
          element: delimiter,
          component: delimiter,
          segment: delimiter,
          repetition: delimiter,
        },
      },
      lineBreaks: {
        type: 'boolean',
        default: false,
        description: 'Write CR LF after each segment terminator.',
      },
      controlNumbers: {
        type: 'string',
        enum: ['idempotency-key', 'run-counter'],
        default: 'idempotency-key',
        description:
          '"idempotency-key": derived from the step, so a retry resends the same ISA13. "run-counter": 1, 2, 3... per run.',
      },
    },
  },
  // No ids or version by default: they come from the partner profile or are set on the node.
  defaults: {
    transactionSet: '850',
    usage: 'P',
    controlNumbers: 'idempotency-key',
  },
  sideEffects: false,
  docs: [
    'Takes the canonical object in the message (an array writes one transaction set per item; for a 214, an array of milestones of one shipment writes one 214 with an LX loop each) and writes a complete interchange: ISA (fixed width), GS, ST/SE with the segment count, GE and IEA with their counts and control numbers.',
    'The object is checked against its canonical schema first; codes with no X12 equivalent (e.g. a unit of measure) and text containing a delimiter are refused with a permanent error that names the field.',
    'Output: `{ "x12": "ISA*00*...", "controlNumber": 123456789, "transactionSet": "850", "count": 1 }`. Send it with an HTTP, AS2 or SFTP connector.',
    'Example: `{"transactionSet": "850", "senderId": "CROSSDOCK", "receiverId": "NORTHWIND", "receiverQualifier": "01"}`, or with a profile: `{"transactionSet": "204", "partner": "exfl"}`.',
  ].join('\n\n'),
});
