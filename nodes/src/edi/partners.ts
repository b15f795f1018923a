/**
 * Trading-partner profiles (`flows/partners/<id>.json`): who the partner is on the envelope,
 * how its documents are read (strictness, sku preference, default country, time zone) and what
 * Crossdock sends it (version, separators, 997/TA1). Validated like environments: diagnostics
 * with a JSON path, line and column.
 */
import { type Diagnostic, diagnostic } from '../sdk/diagnostics';
import { PermanentError } from '../sdk/errors';
import type { NodeContext } from '../sdk/executor-types';
import type { JsonObject } from '../sdk/json';
import { parseJson } from '../sdk/parse';
import { checkSchema } from '../sdk/schema-check';
import type { ParseOptions } from './parse';
import type { EnvelopeSettings } from './write';

export interface TradingPartner {
  /** Matches the file name: `flows/partners/<id>.json`. */
  id: string;
  name: string;
  /** ISA05/06 (their side) as they send it. */
  isa: { qualifier: string; id: string };
  /** GS02 application code, when it differs from the ISA id. */
  gs?: { code: string };
  /** Our own ids toward this partner (ISA07/08 as they send it, our ISA05/06 when we send). */
  us: { qualifier: string; id: string; gsCode?: string };
  /** ISA12 we send (00401, 00403, 00406, 00501...). */
  version?: string;
  /** Separators of what we send. */
  separators?: { element?: string; component?: string; segment?: string; repetition?: string };
  /** Product id qualifiers, most preferred first, giving a line its sku. */
  skuQualifiers?: string[];
  /** ISO 3166 alpha-2 country for an N4 without N404. */
  defaultCountry?: string;
  /** IANA time zone for LT and for times without a time code. */
  timeZone?: string;
  /** Warnings become errors (the set is rejected). */
  strict?: boolean;
  acknowledgments?: {
    /** We send a 997 for what this partner sends. */
    send997?: boolean;
    /** We send a TA1 too. */
    sendTa1?: boolean;
    /** The partner answers what we send with a 997. */
    expect997?: boolean;
    /** A set whose mapping failed is acknowledged as accepted and routed to an exception. */
    acceptMappingErrors?: boolean;
  };
}

const delimiter = { type: 'string', minLength: 1, maxLength: 1, pattern: '^[^A-Za-z0-9 ]$' };
const qualifiedId = (withGs: boolean) => ({
  type: 'object',
  additionalProperties: false,
  required: ['qualifier', 'id'],
  properties: {
    qualifier: { type: 'string', pattern: '^[0-9A-Z]{2}$' },
    id: { type: 'string', minLength: 1, maxLength: 15 },
    ...(withGs ? { gsCode: { type: 'string', minLength: 2, maxLength: 15 } } : {}),
  },
});

/** JSON Schema of a trading-partner profile (draft 2020-12). */
export const tradingPartnerSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'TradingPartner',
  description: 'An X12 trading partner: envelope ids, reading rules and acknowledgments.',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'isa', 'us'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
    name: { type: 'string', minLength: 1, maxLength: 120 },
    isa: qualifiedId(false),
    gs: {
      type: 'object',
      additionalProperties: false,
      required: ['code'],
      properties: { code: { type: 'string', minLength: 2, maxLength: 15 } },
    },
    us: qualifiedId(true),
    version: { enum: ['00401', '00403', '00404', '00405', '00406', '00501', '00502', '00503'] },
    separators: {
      type: 'object',
      additionalProperties: false,
      properties: {
        element: delimiter,
        component: delimiter,
        segment: { ...delimiter, pattern: '^([^A-Za-z0-9 ]|\\n)$' },
        repetition: delimiter,
      },
    },
    skuQualifiers: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', pattern: '^[0-9A-Z]{2}$' },
    },
    defaultCountry: { type: 'string', pattern: '^[A-Z]{2}$' },
    timeZone: { type: 'string', pattern: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+){0,2}$' },
    strict: { type: 'boolean' },
    acknowledgments: {
      type: 'object',
      additionalProperties: false,
      properties: {
        send997: { type: 'boolean' },
        sendTa1: { type: 'boolean' },
        expect997: { type: 'boolean' },
        acceptMappingErrors: { type: 'boolean' },
      },
    },
  },
} as const;

export interface LoadedPartner {
  partner: TradingPartner | undefined;
  diagnostics: Diagnostic[];
}

function knownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Parses and validates a partner file; `expectedId` is its file name without `.json`. */
export function loadPartner(text: string, expectedId?: string): LoadedPartner {
  const parsed = parseJson(text);
  if (parsed.value === undefined) return { partner: undefined, diagnostics: parsed.diagnostics };
  const located = (d: Diagnostic) => {
    const where = parsed.locate(d.pointer);
    if (where) {
      d.line = where.line;
      d.column = where.column;
    }
    return d;
  };
  const diagnostics = checkSchema(tradingPartnerSchema, parsed.value).map((p) =>
    located(diagnostic('error', 'partner.invalid', p.message, p.pointer)),
  );
  if (diagnostics.length > 0) return { partner: undefined, diagnostics };
  const partner = parsed.value as unknown as TradingPartner;
  if (expectedId !== undefined && partner.id !== expectedId) {
    diagnostics.push(
      located(
        diagnostic(
          'error',
          'partner.invalid',
          `The partner id "${partner.id}" must match its file name "${expectedId}.json".`,
          ['id'],
        ),
      ),
    );
  }
  if (partner.timeZone !== undefined && !knownZone(partner.timeZone)) {
    diagnostics.push(
      located(
        diagnostic(
          'error',
          'partner.invalid',
          `"${partner.timeZone}" is not an IANA time zone (e.g. America/Chicago).`,
          ['timeZone'],
        ),
      ),
    );
  }
  const s = partner.separators ?? {};
  const chosen = [s.element, s.component, s.segment, s.repetition].filter(
    (c): c is string => c !== undefined,
  );
  if (new Set(chosen).size !== chosen.length) {
    diagnostics.push(
      located(
        diagnostic('error', 'partner.invalid', 'The separators must differ from each other.', [
          'separators',
        ]),
      ),
    );
  }
  return { partner: diagnostics.length === 0 ? partner : undefined, diagnostics };
}

/** A profile handed over by the node context, checked again at the edge (it is `unknown`). */
export function partnerFrom(value: unknown, id: string): TradingPartner {
  const problems = checkSchema(tradingPartnerSchema, value);
  if (problems.length > 0) {
    throw new PermanentError(
      'invalid-config',
      `The trading partner "${id}" is not a valid profile: ${problems[0]?.message ?? ''}`,
    );
  }
  return value as TradingPartner;
}

/** The partner a node names in its config, from the context; a name without a profile is refused. */
export function partnerOf(ctx: NodeContext, config: JsonObject): TradingPartner | undefined {
  const id = config.partner;
  if (typeof id !== 'string') return undefined;
  const value = ctx.partner?.(id);
  if (value === undefined) {
    throw new PermanentError(
      'invalid-config',
      `No trading partner "${id}": add flows/partners/${id}.json (see docs/edi-x12.md).`,
    );
  }
  return partnerFrom(value, id);
}

/** How to read what this partner sends. */
export function partnerParseOptions(partner: TradingPartner): ParseOptions {
  return {
    ...(partner.strict !== undefined ? { strict: partner.strict } : {}),
    ...(partner.defaultCountry ? { defaultCountry: partner.defaultCountry } : {}),
    ...(partner.timeZone ? { timeZone: partner.timeZone } : {}),
    ...(partner.skuQualifiers ? { skuQualifiers: partner.skuQualifiers } : {}),
    ...(partner.acknowledgments?.acceptMappingErrors ? { acceptMappingErrors: true } : {}),
  };
}

/** The envelope of what we send this partner (control number and date come from the run). */
export function partnerEnvelope(
  partner: TradingPartner,
): Omit<EnvelopeSettings, 'controlNumber' | 'date'> {
  const s = partner.separators;
  return {
    senderId: partner.us.id,
    senderQualifier: partner.us.qualifier,
    receiverId: partner.isa.id,
    receiverQualifier: partner.isa.qualifier,
    ...(partner.us.gsCode ? { senderCode: partner.us.gsCode } : {}),
    ...(partner.gs ? { receiverCode: partner.gs.code } : {}),
    ...(partner.version ? { version: partner.version } : {}),
    ...(s ? { delimiters: s } : {}),
    ...(partner.acknowledgments?.expect997 ? { ackRequested: true } : {}),
  };
}

/** The partner an interchange comes from, by ISA05/06. */
export function findPartner(
  partners: readonly TradingPartner[],
  senderQualifier: string,
  senderId: string,
): TradingPartner | undefined {
  return partners.find(
    (p) => p.isa.qualifier === senderQualifier.trim() && p.isa.id === senderId.trim(),
  );
}
