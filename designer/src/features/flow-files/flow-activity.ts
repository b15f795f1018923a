import { useEffect, useState } from 'react';
import type { RunSummary } from '../../lib/api-types';
import { useServices } from '../../store/editor-context';

/** What the runtime does with a flow: the version new runs start on, and the latest run. */
export interface FlowActivity {
  active: string | null;
  lastRun: RunSummary | null;
}

/**
 * The active version and the latest run of each flow, loaded beside the file list; `null` while
 * loading. A flow whose runs cannot be read shows no last run rather than failing the list.
 */
export function useFlowActivity(
  ids: readonly string[] | null,
): Record<string, FlowActivity> | null {
  const { api } = useServices();
  const [activity, setActivity] = useState<Record<string, FlowActivity> | null>(null);
  const key = ids?.join('\n') ?? null;
  useEffect(() => {
    if (key === null) return;
    let cancelled = false;
    const list = key === '' ? [] : key.split('\n');
    void (async () => {
      const active = await api.activeVersions().catch(() => ({}) as Record<string, string>);
      const runs = await Promise.all(
        list.map((id) =>
          api
            .listRuns({ flow: id, limit: '1' })
            .then((r) => r.runs[0] ?? null)
            .catch(() => null),
        ),
      );
      if (cancelled) return;
      const out: Record<string, FlowActivity> = {};
      list.forEach((id, i) => {
        out[id] = { active: active[id] ?? null, lastRun: runs[i] ?? null };
      });
      setActivity(out);
    })();
    return () => {
      cancelled = true;
    };
  }, [api, key]);
  return activity;
}
