import { defineNode } from '../../../../sdk/manifest';

export const ediParseConnector = defineNode({
  type: 'connector.edi-parse',
  version: 1,
  category: 'connector',
  title: 'EDI X12: read',
  description:
    'Reads an X12 interchange (850, 856, 940, 945, 204, 990, 214, 210, 997) into canonical objects and answers it with a 997.',
  inputs: [{ id: 'in', label: 'X12 text' }],
  outputs: [
    { id: 'out', label: 'Canonical objects' },
    {
      id: 'ack',
      label: '997',
      description: 'The functional acknowledgment to send back to the trading partner.',
    },
  ],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      partner: {
        type: 'string',
        pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
        description:
          'The trading partner (flows/partners/<id>.json): its strictness, sku preference, default country and time zone shape the reading; its acknowledgment settings decide the 997 and TA1; a repeated ISA13 from it is refused as a resend.',
      },
      resendWindowHours: {
        type: 'integer',
        minimum: 0,
        maximum: 720,
        default: 24,
        description:
          'With a partner: how long an interchange control number (ISA13) is remembered to detect a resend (0: never).',
      },
      field: {
        type: 'string',
        minLength: 1,
        description:
          'When the message is an object, the field holding the X12 text (e.g. "body"); a message that is a string is used as it is.',
      },
      emit: {
        type: 'string',
        enum: ['each', 'batch'],
        default: 'each',
        description:
          '"each": one message per canonical object (a 214 gives one per milestone). "batch": one message with the envelope and every document.',
      },
      onRejected: {
        type: 'string',
        enum: ['fail', 'acknowledge'],
        default: 'fail',
        description:
          '"fail": any error fails the step (permanent error listing the problems). "acknowledge": pass the accepted sets on and send a 997 that rejects the others.',
      },
      acknowledge: {
        type: 'boolean',
        default: true,
        description: 'Emit the 997 on the "ack" port.',
      },
      ackControlNumbers: {
        type: 'string',
        enum: ['idempotency-key', 'run-counter'],
        default: 'idempotency-key',
        description: 'Where the 997 interchange control number (ISA13) comes from.',
      },
    },
  },
  defaults: { emit: 'each', onRejected: 'fail', acknowledge: true },
  sideEffects: false,
  docs: [
    'Reads the X12 text of the message. The delimiters come from the ISA segment, so any separators a partner uses work (`*` `~` `>`, `|` `^` `:`, a line break after each segment).',
    'The envelopes are checked: SE01 segment count, SE02 = ST02, GE01 set count, GE02 = GS06, IEA01 group count, IEA02 = ISA13. Each transaction set maps to a canonical object: 850 SalesOrder, 940 FulfillmentOrder, 945 FulfillmentOrder (shipped), 856 AdvanceShipNotice, 204 Shipment, 990 TenderResponse, 214 CarrierMilestone (one per LX loop), 210 FreightInvoice; a received 997 becomes a FunctionalAcknowledgment.',
    'Problems name the segment and its position, e.g. `SE01 says 12 segments, found 11 (segment 14, SE)`. The 997 (sender and receiver swapped) goes out of `ack` as `{ "x12": "...", "acknowledgments": [...] }`.',
    'Mapping is tolerant: what the standard allows (an absent optional element, an unknown code, a 2-digit year, a local time) is a warning with the raw value kept; only what makes an object meaningless is an error, and a set with an error is rejected in the 997 (AK5*R) while the other sets go on. A partner with `strict: true` has its warnings treated as errors. See docs/edi-x12.md.',
    'Example: `{"emit": "each", "onRejected": "acknowledge"}` sends every accepted purchase order on as a SalesOrder and the 997 to the partner.',
  ].join('\n\n'),
});
