import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { isCronExpression, isTimeZone } from './cron';
import { isGln, isGtin, isSscc } from './gs1';
import type { JsonPath } from './json';

/** One schema violation, with a message written for an analyst rather than a schema author. */
export interface SchemaProblem {
  pointer: JsonPath;
  message: string;
  keyword: string;
}

let ajv: Ajv2020 | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

function instance(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    // Marks a config field that holds a json-logic expression; read by the validator and forms.
    ajv.addKeyword({ keyword: 'x-expression', schemaType: 'boolean' });
    // Free-form hints for the designer's forms (widget, order, placeholder).
    ajv.addKeyword({ keyword: 'x-ui', schemaType: 'object' });
    // GS1 identifiers of the canonical model: the check digit, which a pattern cannot express.
    ajv.addFormat('gtin', { type: 'string', validate: isGtin });
    ajv.addFormat('sscc', { type: 'string', validate: isSscc });
    ajv.addFormat('gln', { type: 'string', validate: isGln });
    // Schedules: checked by the parser BullMQ uses, so a saved flow never fails at deploy.
    ajv.addFormat('cron', { type: 'string', validate: isCronExpression });
    ajv.addFormat('time-zone', { type: 'string', validate: isTimeZone });
  }
  return ajv;
}

/** Compiles a schema once (per schema object) and validates data against it. */
export function checkSchema(schema: object, data: unknown): SchemaProblem[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = instance().compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(data)) return [];
  return simplify(validate.errors ?? []).map(toProblem);
}

function decodePointer(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

// `oneOf`/`anyOf` report every branch's failure; an analyst needs the branch that came closest.
function simplify(errors: ErrorObject[]): ErrorObject[] {
  const withoutCombinators = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  const seen = new Set<string>();
  return withoutCombinators.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const GS1_FORMATS: ReadonlySet<string> = new Set(['gtin', 'sscc', 'gln']);

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `The field "${String(p.missingProperty)}" is required.`;
    case 'additionalProperties':
      return `"${String(p.additionalProperty)}" is not a known field here.`;
    case 'type':
      return `Must be ${String(p.type).replace(',', ' or ')}.`;
    case 'enum':
      return `Must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'const':
      return `Must be ${JSON.stringify(p.allowedValue)}.`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `Must be ${String(p.comparison)} ${String(p.limit)}.`;
    case 'minLength':
      return p.limit === 1
        ? 'Must not be empty.'
        : `Must be at least ${String(p.limit)} characters.`;
    case 'maxLength':
      return `Must be at most ${String(p.limit)} characters.`;
    case 'minItems':
      return `Needs at least ${String(p.limit)} item(s).`;
    case 'maxItems':
      return `Allows at most ${String(p.limit)} item(s).`;
    case 'pattern':
      return `Does not have the expected form (${String(p.pattern)}).`;
    case 'format':
      if (p.format === 'cron')
        return 'Must be a cron expression with 5 fields (minute hour day-of-month month day-of-week), e.g. "0 6 * * 1-5".';
      if (p.format === 'time-zone') return 'Must be an IANA time zone, e.g. "Europe/Berlin".';
      return GS1_FORMATS.has(String(p.format))
        ? `Must be a valid ${String(p.format).toUpperCase()} (digits with a correct check digit).`
        : `Must be a valid ${String(p.format)}.`;
    case 'propertyNames':
      return `The name "${String(p.propertyName)}" is not allowed.`;
    default:
      return `${e.message ?? 'Is not valid'}.`;
  }
}

function toProblem(e: ErrorObject): SchemaProblem {
  const pointer = decodePointer(e.instancePath);
  const p = e.params as Record<string, unknown>;
  // Point at the offending field itself, so the designer can focus it.
  if (e.keyword === 'required' && typeof p.missingProperty === 'string')
    pointer.push(p.missingProperty);
  if (e.keyword === 'additionalProperties' && typeof p.additionalProperty === 'string') {
    pointer.push(p.additionalProperty);
  }
  return { pointer, message: describe(e), keyword: e.keyword };
}
