import { type Environment, isJsonObject } from '@crossdock/nodes';
import { ServiceError } from '../service/service-error';

/**
 * `settings.cutover` of an environment: when a shadow of a new version has earned the switch.
 * Example: `{"minRuns": 500, "minIdenticalPercent": 99.5, "fields": ["body.warehouse"],
 * "requireForPromotion": true}`.
 */
export interface CutoverCriterion {
  /** Compared runs the shadow needs at least. */
  minRuns: number;
  /** Share of compared runs that must be identical, in percent. */
  minIdenticalPercent: number;
  /** Fields that must never differ (`body.lines[].uom`, `status`), whatever the percentage. */
  fields: string[];
  /** Promotion of a new version of a flow that is already active here needs the criterion met. */
  requireForPromotion: boolean;
}

/** What the report's counts come to against the criterion. */
export interface CutoverCheck {
  criterion: CutoverCriterion;
  met: boolean;
  checks: { name: string; met: boolean; detail: string }[];
}

function invalid(message: string): ServiceError {
  return new ServiceError('invalid-cutover', `settings.cutover of the environment: ${message}`);
}

/** Reads and checks `settings.cutover`; undefined when the environment sets none. */
export function cutoverCriterion(environment: Environment): CutoverCriterion | undefined {
  const raw = environment.settings?.cutover;
  if (raw === undefined) return undefined;
  if (!isJsonObject(raw)) throw invalid('must be an object.');
  const known = new Set(['minRuns', 'minIdenticalPercent', 'fields', 'requireForPromotion']);
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length > 0) throw invalid(`unknown field(s) ${unknown.join(', ')}.`);
  const { minRuns = 0, minIdenticalPercent = 100, fields = [], requireForPromotion = false } = raw;
  if (typeof minRuns !== 'number' || !Number.isInteger(minRuns) || minRuns < 0) {
    throw invalid('"minRuns" must be a whole number of runs, 0 or more.');
  }
  if (
    typeof minIdenticalPercent !== 'number' ||
    minIdenticalPercent < 0 ||
    minIdenticalPercent > 100
  ) {
    throw invalid('"minIdenticalPercent" must be a number from 0 to 100.');
  }
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string' && f !== '')) {
    throw invalid('"fields" must be a list of field paths.');
  }
  if (typeof requireForPromotion !== 'boolean') {
    throw invalid('"requireForPromotion" must be true or false.');
  }
  return { minRuns, minIdenticalPercent, fields: fields as string[], requireForPromotion };
}

/** Checks a shadow's counts against the criterion, each part with a sentence saying why. */
export function evaluateCutover(
  criterion: CutoverCriterion,
  counts: { compared: number; identical: number },
  fieldCounts: ReadonlyMap<string, number>,
): CutoverCheck {
  const percent = counts.compared === 0 ? 0 : (100 * counts.identical) / counts.compared;
  const shown = Math.floor(percent * 100) / 100;
  const checks = [
    {
      name: 'runs',
      met: counts.compared >= criterion.minRuns,
      detail: `${counts.compared} of ${criterion.minRuns} runs compared`,
    },
    {
      name: 'identical',
      met: counts.compared > 0 && percent >= criterion.minIdenticalPercent,
      detail: `${shown}% identical (needs ${criterion.minIdenticalPercent}%)`,
    },
    ...criterion.fields.map((field) => {
      const n = fieldCounts.get(field) ?? 0;
      return {
        name: `field ${field}`,
        met: n === 0,
        detail: n === 0 ? `${field} never differed` : `${field} differed in ${n} runs`,
      };
    }),
  ];
  return { criterion, met: checks.every((c) => c.met), checks };
}
