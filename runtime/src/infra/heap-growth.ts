import { setFlagsFromString } from 'node:v8';

/**
 * Caps how far V8 lets the old generation grow past what survived its last full collection.
 * A worker holds its runs in flight across a scavenge or two, so much of what it allocates is
 * promoted and dies in the old generation; V8's own factor (up to 4× when collection looks cheap)
 * then let a worker with about 25 MB live reach 200 MB resident under load. At 100% (2×) the
 * order-flow bench's worker peaks near 150 MB at the same CPU per run (README, "The benchmark").
 * V8 reads the factor at each full collection, so setting it after start-up takes effect.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
