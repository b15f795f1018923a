import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface TowerMetrics {
  milestones: Counter<'process' | 'milestone'>;
  breaches: Counter<'process' | 'expectation' | 'owner' | 'severity'>;
  failedChecks: Counter<'process' | 'check' | 'owner'>;
  latency: Histogram<'process' | 'milestone'>;
  objects: Gauge<'process' | 'stage'>;
  indicators: Gauge<'process' | 'indicator'>;
}

/** The control tower's metrics on the runtime's registry; `stageCounts` is read at scrape time. */
export function createTowerMetrics(
  registry: Registry,
  stageCounts: () => Promise<{ process: string; stage: string; count: number }[]>,
  indicatorCounts: () => Promise<{ process: string; indicator: string; count: number }[]>,
): TowerMetrics {
  return {
    milestones: new Counter({
      name: 'crossdock_process_milestones_total',
      help: 'Milestones recorded, by process and milestone.',
      labelNames: ['process', 'milestone'] as const,
      registers: [registry],
    }),
    breaches: new Counter({
      name: 'crossdock_process_breaches_total',
      help: 'Expectations breached (deadline passed), by process, expectation, owner and severity.',
      labelNames: ['process', 'expectation', 'owner', 'severity'] as const,
      registers: [registry],
    }),
    failedChecks: new Counter({
      name: 'crossdock_process_failed_checks_total',
      help: 'Checks across milestones that failed, by process, check and owner.',
      labelNames: ['process', 'check', 'owner'] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'crossdock_process_event_latency_seconds',
      help: "Time from a run's trigger to the milestone it produced being recorded.",
      labelNames: ['process', 'milestone'] as const,
      buckets: [0.05, 0.1, 0.5, 1, 5, 30, 120, 600],
      registers: [registry],
    }),
    objects: new Gauge({
      name: 'crossdock_process_objects',
      help: 'Business objects per process and current stage.',
      labelNames: ['process', 'stage'] as const,
      registers: [registry],
      async collect() {
        for (const c of await stageCounts())
          this.set({ process: c.process, stage: c.stage }, c.count);
      },
    }),
    indicators: new Gauge({
      name: 'crossdock_process_indicator',
      help: "Business indicators of the process files (objects in a backlog stage, with an expectation's breach open, failing a check).",
      labelNames: ['process', 'indicator'] as const,
      registers: [registry],
      async collect() {
        for (const c of await indicatorCounts())
          this.set({ process: c.process, indicator: c.indicator }, c.count);
      },
    }),
  };
}
