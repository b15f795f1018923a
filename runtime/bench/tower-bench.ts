/**
 * Control tower bench: 100,000 open objects, 10% of them due in the same minute, two runtimes
 * scanning. Prints the breach detection latency (breach time minus deadline), summary and list
 * query p50/p99, and Redis memory per open object. Knobs: TOWER_OBJECTS, TOWER_DUE_SHARE.
 */
import { randomUUID } from 'node:crypto';
import { catalog, type ProcessDocument } from '@crossdock/nodes';
import { executors } from '@crossdock/nodes/executors';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/infra/config';
import { createRuntime, type Runtime } from '../src/runtime';
import { recordMilestone } from '../src/tower/object-state';
import { listObjects, summarize } from '../src/tower/tower-queries';

const OBJECTS = Number(process.env.TOWER_OBJECTS ?? 100_000);
const DUE_SHARE = Number(process.env.TOWER_DUE_SHARE ?? 0.1);
const prefix = `{bench-tower-${randomUUID().slice(0, 8)}}`;

const process_: ProcessDocument = {
  schemaVersion: 1,
  id: 'bench',
  name: 'Bench',
  version: '1.0.0',
  businessKey: 'order',
  milestones: [
    { id: 'released', name: 'Released', system: 'ERP', on: [{ flow: 'none', node: 'n' }] },
    { id: 'allocated', name: 'Allocated', system: 'WMS', on: [{ flow: 'none', node: 'm' }] },
    { id: 'due', name: 'Due soon', system: 'ERP', on: [{ flow: 'none', node: 'd' }] },
  ],
  expectations: [
    {
      id: 'allocation',
      name: 'Waiting for allocation',
      after: 'released',
      expect: 'allocated',
      within: 'P1D',
      owner: 'warehouse-ops',
      severity: 'high',
    },
    {
      id: 'soon',
      name: 'Due this minute',
      after: 'due',
      expect: 'allocated',
      within: 'PT45S',
      owner: 'order-desk',
      severity: 'medium',
    },
  ],
  checks: [],
};

function runtime(): Runtime {
  const env = { ...process.env, CROSSDOCK_PREFIX: prefix, LOG_LEVEL: 'silent' };
  return createRuntime(loadConfig(env), { catalog, executors, env });
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

async function timed(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function main(): Promise<void> {
  const a = runtime();
  const b = runtime();
  // Deployed once: both runtimes observe the active version, as workers on one Redis do.
  await a.tower.processes.deploy(process_, 'bench', new Date());
  const admin = new Redis(a.config.redisUrl);
  const before = await usedMemory(admin);
  const seedStart = Date.now();
  const due = Math.round(OBJECTS * DUE_SHARE);
  // The due objects are written last, so their minute starts once the others are in.
  let dueAt = 0;
  // Objects are written as the worker's hook writes them (state + indexes + deadline), without
  // the runs around them: the bench measures the tower, not the engine.
  const batch = 500;
  for (let start = 0; start < OBJECTS; start += batch) {
    const writes: Promise<void>[] = [];
    for (let i = start; i < Math.min(OBJECTS, start + batch); i++) {
      const key = `SO-${String(i).padStart(7, '0')}`;
      const isDue = i >= OBJECTS - due;
      if (isDue && dueAt === 0) dueAt = Date.now() + 40_000;
      const milestone = isDue ? 'due' : 'released';
      // The others opened up to 23 hours ago: their one-day deadlines lie beyond the bench.
      const occurred = new Date(
        isDue ? dueAt - 45_000 + (i % 60) * 200 : seedStart - (i % 1380) * 60_000,
      ).toISOString();
      const change = recordMilestone(
        process_,
        undefined,
        key,
        {
          milestone,
          entry: {
            id: `run-${i}:0:${milestone}`,
            milestone,
            occurredAt: occurred,
            recordedAt: occurred,
            flowId: 'none',
            runId: `run-${i}`,
            stepIndex: 0,
            nodeId: 'n',
            attributes: { lines: i % 7, customer: `C-${i % 500}` },
          },
        },
        Date.now(),
      );
      writes.push(a.tower.store.put(process_, undefined, change.state));
    }
    await Promise.all(writes);
  }
  const seeded = Date.now();
  // Two runtimes scan on their default tick from now on: every deadline must fire once, within
  // 60 s, while the queries below run.
  a.tower.start();
  b.tower.start();
  const after = await usedMemory(admin);
  const sample = await admin.memory('USAGE', a.tower.store.k.object('bench', 'SO-0050000'));
  console.log(
    `seeded ${OBJECTS} open objects (${due} due within 12 s from ${new Date(dueAt).toISOString()}) in ${((seeded - seedStart) / 1000).toFixed(1)} s`,
  );
  console.log(
    `redis memory: ${(((after - before) / OBJECTS) | 0).toLocaleString()} bytes per open object (state + indexes + deadline); one object's state key ${sample} bytes`,
  );

  // Queries while nothing is due yet.
  const summary = await timed(200, () => summarize(a.redis, a.tower.store, process_, Date.now()));
  const listStage = await timed(200, () =>
    listObjects(
      a.redis,
      a.tower.store,
      process_,
      { stage: 'released', olderThanMs: 3_600_000, cursor: 0, limit: 50 },
      Date.now(),
    ),
  );
  const listAll = await timed(200, () =>
    listObjects(a.redis, a.tower.store, process_, { cursor: 1000, limit: 50 }, Date.now()),
  );
  const ms = (v: number[]) => `p50 ${pct(v, 50).toFixed(1)} ms, p99 ${pct(v, 99).toFixed(1)} ms`;
  console.log(`summary: ${ms(summary)}`);
  console.log(`objects?stage=released&olderThan=PT1H (50): ${ms(listStage)}`);
  console.log(`objects?cursor=1000 (50): ${ms(listAll)}`);

  const until = dueAt + 120_000;
  let breached = 0;
  while (Date.now() < until) {
    breached = await admin.zcard(a.tower.store.k.breached('bench'));
    if (breached >= due) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const allDone = Date.now();
  const latencies: number[] = [];
  let duplicates = 0;
  const keys = await admin.zrange(a.tower.store.k.breached('bench'), 0, -1);
  for (let i = 0; i < keys.length; i += 1000) {
    for (const s of await a.tower.store.getMany('bench', keys.slice(i, i + 1000))) {
      duplicates += Math.max(0, s.breaches.length - 1);
      for (const br of s.breaches)
        latencies.push(Date.parse(br.breachedAt) - Date.parse(br.deadline));
    }
  }
  const duringSummary = await timed(50, () =>
    summarize(a.redis, a.tower.store, process_, Date.now()),
  );
  const breachList = await timed(50, () =>
    listObjects(
      a.redis,
      a.tower.store,
      process_,
      { owner: 'order-desk', cursor: 0, limit: 50 },
      Date.now(),
    ),
  );
  console.log(
    `breaches: ${breached}/${due} detected (${latencies.length} breach records, ${duplicates} fired twice); detection latency p50 ${(pct(latencies, 50) / 1000).toFixed(1)} s, p99 ${(pct(latencies, 99) / 1000).toFixed(1)} s, max ${(Math.max(...latencies) / 1000).toFixed(1)} s; last one ${((allDone - dueAt) / 1000).toFixed(1)} s after the deadline`,
  );
  console.log(
    `summary after: ${ms(duringSummary)}; objects?owner=order-desk (50): ${ms(breachList)}`,
  );

  await a.close();
  await b.close();
  let cursor = '0';
  do {
    const [next, found] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    cursor = next;
    if (found.length > 0) await admin.unlink(...found);
  } while (cursor !== '0');
  admin.disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
