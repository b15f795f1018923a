import type { NodeResult } from '../sdk/executor-types';

/** The payload of the emission at `index` (negative counts from the end), typed for a test. */
export function payloadAt<T>(result: NodeResult, index = 0): T {
  const emission = result.emissions.at(index);
  if (!emission) throw new Error(`No emission at ${index}; got ${result.emissions.length}.`);
  return emission.payload as unknown as T;
}
