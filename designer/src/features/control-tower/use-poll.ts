import { useEffect, useState } from 'react';

/** How often the control tower reads its figures again. */
export const TOWER_POLL_MS = 3_000;

/**
 * Loads `load()` now and every `TOWER_POLL_MS` while mounted (and again when `deps` change);
 * keeps the last good answer when a read fails, with the error beside it.
 */
export function usePoll<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
): { data: T | null; error: string | null; refresh: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `load` is rebuilt each render; `deps` says when it changes
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const next = await load();
        if (stopped) return;
        setData(next);
        setError(null);
      } catch (e) {
        if (!stopped) setError(e instanceof Error ? e.message : String(e));
      }
      if (!stopped) timer = setTimeout(run, TOWER_POLL_MS);
    };
    void run();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [...deps, tick]);
  return { data, error, refresh: () => setTick((t) => t + 1) };
}

/** "3 min", "2 h 5 min", "4 d": a duration as an operator reads it. */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  const m = Math.floor(abs / 60_000);
  if (abs < 60_000) return `${Math.max(0, Math.round(abs / 1000))} s`;
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d`;
}
