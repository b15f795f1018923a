/**
 * Seconds a refused sender should wait: the time the workers need, at the rate they have been
 * starting runs, to work the queue down below its limit with a tenth of it to spare (so the
 * senders that come back together fit). Nothing draining (workers down): 30 s. Between 1 and
 * 300 s.
 */
export function retryAfterSeconds(depth: number, limit: number, startsPerSecond: number): number {
  if (startsPerSecond <= 0) return 30;
  const excess = depth - limit + 1 + Math.ceil(limit / 10);
  return Math.min(300, Math.max(1, Math.ceil(excess / startsPerSecond)));
}
