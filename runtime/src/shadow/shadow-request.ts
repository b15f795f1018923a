import { isJsonObject } from '@crossdock/nodes';
import { ServiceError } from '../service/service-error';
import type { StartShadow } from './shadows';

const FIELDS = new Set(['version', 'flow', 'sample', 'until', 'mapping', 'ignore']);

function bad(message: string): ServiceError {
  return new ServiceError('invalid-shadow', message);
}

/**
 * Parses `POST /api/flows/:id/shadows`: `{version, flow?, sample?: 0..1, until?: ISO time,
 * mapping?: {shadowNodeId: activeNodeId}, ignore?: [field]}`. The flow document, when sent, is
 * returned as it came: the route validates it with the flow validator.
 */
export function parseStartShadow(body: unknown, now: number): StartShadow & { flow?: unknown } {
  if (!isJsonObject(body))
    throw bad('Send {"version", "flow"?, "sample"?, "until"?, "mapping"?, "ignore"?}.');
  const unknown = Object.keys(body).filter((k) => !FIELDS.has(k));
  if (unknown.length > 0) throw bad(`Unknown field(s): ${unknown.join(', ')}.`);
  const { version, flow, sample, until, mapping, ignore } = body;
  if (typeof version !== 'string' || version === '')
    throw bad('"version" names the version to shadow.');
  if (sample !== undefined && (typeof sample !== 'number' || !(sample > 0 && sample <= 1))) {
    throw bad('"sample" is the share of runs to mirror, above 0 and at most 1.');
  }
  if (until !== undefined) {
    if (typeof until !== 'string' || Number.isNaN(Date.parse(until))) {
      throw bad('"until" is an ISO 8601 time.');
    }
    if (Date.parse(until) <= now) throw bad('"until" is in the past.');
  }
  if (
    mapping !== undefined &&
    (!isJsonObject(mapping) || !Object.values(mapping).every((v) => typeof v === 'string'))
  ) {
    throw bad('"mapping" maps node ids of the shadow version to node ids of the active one.');
  }
  if (
    ignore !== undefined &&
    (!Array.isArray(ignore) || !ignore.every((f) => typeof f === 'string' && f !== ''))
  ) {
    throw bad('"ignore" lists fields to leave out of the comparison.');
  }
  return {
    version,
    ...(flow !== undefined ? { flow } : {}),
    ...(sample !== undefined ? { sample } : {}),
    ...(until !== undefined ? { until: new Date(until).toISOString() } : {}),
    ...(mapping !== undefined ? { mapping: mapping as Record<string, string> } : {}),
    ...(ignore !== undefined ? { ignore: ignore as string[] } : {}),
  } as StartShadow & { flow?: unknown };
}
