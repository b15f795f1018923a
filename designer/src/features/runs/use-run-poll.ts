import { useEffect } from 'react';
import type { ApiClient } from '../../lib/api-client';
import type { Run } from '../../lib/api-types';
import { isTerminal } from './trace';

/** How often a run in progress is read again. */
export const POLL_MS = 400;

/** Polls `GET /api/runs/:id` until the run ends, handing each read to `onRun`. */
export function useRunPoll(
  api: ApiClient,
  runId: string | null,
  onRun: (run: Run) => void,
  onError: (e: unknown) => void,
): void {
  useEffect(() => {
    if (!runId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const run = await api.getRun(runId);
        if (stopped) return;
        onRun(run);
        if (!isTerminal(run)) timer = setTimeout(tick, POLL_MS);
      } catch (e) {
        if (!stopped) onError(e);
      }
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, runId, onRun, onError]);
}
