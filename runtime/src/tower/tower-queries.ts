import type { ProcessDocument, ProcessIndicator } from '@crossdock/nodes';
import type { Redis } from 'ioredis';
import type { ObjectState } from './object-state';
import type { TowerStore } from './tower-store';

/** Aging buckets of a stage: how long objects have been in it. */
export const AGING_BUCKETS = [
  { label: '<1h', maxMs: 3600_000 },
  { label: '1-4h', maxMs: 4 * 3600_000 },
  { label: '4-24h', maxMs: 24 * 3600_000 },
  { label: '1-3d', maxMs: 3 * 24 * 3600_000 },
  { label: '>3d', maxMs: Number.POSITIVE_INFINITY },
] as const;

export interface ProcessSummary {
  process: string;
  name: string;
  businessKey: string;
  objects: number;
  stages: {
    stage: string;
    name: string;
    system?: string;
    count: number;
    aging: { bucket: string; count: number }[];
  }[];
  breaches: { owner: string; severity: string; objects: number }[];
  failedChecks: { check: string; name: string; owner: string; severity: string; objects: number }[];
  /** The process file's business indicators (backlogs, delays, gaps, mismatches), every one. */
  indicators: { indicator: string; name: string; objects: number }[];
  at: string;
}

/** ZCARD of each sorted set, in one round trip (what the scrape-time gauges read). */
export async function cardinalities(redis: Redis, keys: readonly string[]): Promise<number[]> {
  if (keys.length === 0) return [];
  const m = redis.multi();
  for (const key of keys) m.zcard(key);
  return ((await m.exec()) ?? []).map(([, v]) => Number(v ?? 0));
}

/** The index whose cardinality is an indicator's value. */
export function indicatorIndex(store: TowerStore, pid: string, x: ProcessIndicator): string {
  if ('stage' in x) return store.k.stage(pid, x.stage);
  if ('expectation' in x) return store.k.openExpectation(pid, x.expectation);
  return store.k.failedCheck(pid, x.check);
}

/**
 * The summary from sorted-set cardinalities and counts only: its cost grows with the number of
 * stages, owners and checks, never with the number of objects.
 */
export async function summarize(
  redis: Redis,
  store: TowerStore,
  process: ProcessDocument,
  now: number,
): Promise<ProcessSummary> {
  const { k } = store;
  const pid = process.id;
  const owners = [
    ...new Map(
      process.expectations.map((x) => [`${x.owner} ${x.severity}`, [x.owner, x.severity] as const]),
    ).values(),
  ];
  const m = redis.multi();
  m.zcard(k.objects(pid));
  for (const s of process.milestones) {
    m.zcard(k.stage(pid, s.id));
    let upper = now;
    for (const b of AGING_BUCKETS) {
      const lower = Number.isFinite(b.maxMs) ? now - b.maxMs : Number.NEGATIVE_INFINITY;
      m.zcount(
        k.stage(pid, s.id),
        Number.isFinite(lower) ? `(${lower}` : '-inf',
        upper === now ? '+inf' : String(upper),
      );
      upper = lower;
    }
  }
  for (const [owner, severity] of owners) m.zcard(k.openBreach(pid, owner, severity));
  for (const c of process.checks) m.zcard(k.failedCheck(pid, c.id));
  const indicators = process.indicators ?? [];
  for (const x of indicators) m.zcard(indicatorIndex(store, pid, x));
  const results = ((await m.exec()) ?? []).map(([, v]) => Number(v ?? 0));
  let i = 0;
  const next = () => results[i++] ?? 0;
  const objects = next();
  const stages = process.milestones.map((s) => {
    const count = next();
    const aging = AGING_BUCKETS.map((b) => ({ bucket: b.label, count: next() }));
    return { stage: s.id, name: s.name, ...(s.system ? { system: s.system } : {}), count, aging };
  });
  const breaches = owners
    .map(([owner, severity]) => ({ owner, severity, objects: next() }))
    .filter((b) => b.objects > 0);
  const failedChecks = process.checks
    .map((c) => ({
      check: c.id,
      name: c.name,
      owner: c.owner,
      severity: c.severity,
      objects: next(),
    }))
    .filter((c) => c.objects > 0);
  const counted = indicators.map((x) => ({ indicator: x.id, name: x.name, objects: next() }));
  return {
    process: pid,
    name: process.name,
    businessKey: process.businessKey,
    objects,
    stages,
    breaches,
    failedChecks,
    indicators: counted,
    at: new Date(now).toISOString(),
  };
}

export interface ObjectFilter {
  stage?: string;
  breached?: boolean;
  owner?: string;
  key?: string;
  /** Only objects in their current stage for longer than this many ms. */
  olderThanMs?: number;
  cursor: number;
  limit: number;
}

/** One row of the object list: enough for a table, the timeline comes with the object. */
export interface ObjectRow {
  key: string;
  stage: string;
  stageSince: string;
  firstAt: string;
  updatedAt: string;
  openBreaches: {
    id: string;
    expectation: string;
    name: string;
    owner: string;
    severity: string;
    breachedAt: string;
    status: string;
  }[];
  failedChecks: string[];
  nextDeadline?: string;
}

export function objectRow(state: ObjectState): ObjectRow {
  const deadlines = state.open.map((o) => o.deadline).sort();
  return {
    key: state.key,
    stage: state.stage,
    stageSince: state.stageSince,
    firstAt: state.firstAt,
    updatedAt: state.updatedAt,
    openBreaches: state.breaches
      .filter((b) => b.status !== 'resolved')
      .map((b) => ({
        id: b.id,
        expectation: b.expectation,
        name: b.name,
        owner: b.owner,
        severity: b.severity,
        breachedAt: b.breachedAt,
        status: b.status,
      })),
    failedChecks: state.failedChecks.map((f) => f.check),
    ...(deadlines[0] ? { nextDeadline: deadlines[0] } : {}),
  };
}

function matches(state: ObjectState, f: ObjectFilter, now: number): boolean {
  if (f.stage !== undefined && state.stage !== f.stage) return false;
  if (f.olderThanMs !== undefined && Date.parse(state.stageSince) > now - f.olderThanMs)
    return false;
  const open = state.breaches.filter((b) => b.status === 'open');
  if (f.breached === true && open.length === 0) return false;
  if (f.breached === false && open.length > 0) return false;
  if (f.owner !== undefined && !open.some((b) => b.owner === f.owner)) return false;
  return true;
}

/**
 * Objects through the most selective index (owner, breached, stage, else all by last update),
 * oldest in the index first for stages and breaches, newest activity first otherwise.
 */
export async function listObjects(
  redis: Redis,
  store: TowerStore,
  process: ProcessDocument,
  f: ObjectFilter,
  now: number,
): Promise<{ objects: ObjectRow[]; nextCursor: string | null }> {
  const { k } = store;
  const pid = process.id;
  if (f.key !== undefined) {
    const state = await store.get(pid, f.key);
    return { objects: state && matches(state, f, now) ? [objectRow(state)] : [], nextCursor: null };
  }
  let index: string;
  let newestFirst = false;
  let max = '+inf';
  if (f.owner !== undefined) index = k.owner(pid, f.owner);
  else if (f.breached === true) index = k.breached(pid);
  else if (f.stage !== undefined) {
    index = k.stage(pid, f.stage);
    if (f.olderThanMs !== undefined) max = String(now - f.olderThanMs);
  } else {
    index = k.objects(pid);
    newestFirst = true;
  }
  const rows: ObjectRow[] = [];
  let offset = f.cursor;
  const batch = Math.max(f.limit, 100);
  for (;;) {
    const keys = newestFirst
      ? await redis.zrevrangebyscore(index, '+inf', '-inf', 'LIMIT', offset, batch)
      : await redis.zrangebyscore(index, '-inf', max, 'LIMIT', offset, batch);
    if (keys.length === 0) return { objects: rows, nextCursor: null };
    const states = await store.getMany(pid, keys);
    const byKey = new Map(states.map((s) => [s.key, s]));
    for (let j = 0; j < keys.length; j++) {
      offset += 1;
      const state = byKey.get(keys[j] as string);
      if (!state || !matches(state, f, now)) continue;
      rows.push(objectRow(state));
      if (rows.length === f.limit) {
        const more = j < keys.length - 1 || keys.length === batch;
        return { objects: rows, nextCursor: more ? String(offset) : null };
      }
    }
    if (keys.length < batch) return { objects: rows, nextCursor: null };
  }
}
