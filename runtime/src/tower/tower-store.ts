import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProcessDocument } from '@crossdock/nodes';
import type { Redis } from 'ioredis';
import type { ObjectState } from './object-state';

/**
 * The control tower's keys, beside the runtime's under the same prefix (and hash tag):
 * one JSON string per object, sorted-set indexes per stage, open breach (owner, severity) and
 * failed check, and one schedule of deadlines for all processes.
 */
export function towerKeys(prefix: string) {
  const p = `${prefix}:cd:tower`;
  return {
    object: (pid: string, key: string) => `${p}:${pid}:obj:${key}`,
    lock: (pid: string, key: string) => `${p}:${pid}:lock:${key}`,
    /** Every object, scored by its last update (retention trims by it). */
    objects: (pid: string) => `${p}:${pid}:objects`,
    /** Objects in a stage, scored by when they entered it (aging, olderThan). */
    stage: (pid: string, stage: string) => `${p}:${pid}:stage:${stage}`,
    /** Objects with an open breach, scored by the first breach. */
    breached: (pid: string) => `${p}:${pid}:breached`,
    /** Objects with an open breach of this owner (any severity), scored by the first one. */
    owner: (pid: string, owner: string) => `${p}:${pid}:owner:${owner}`,
    /** Objects with an open breach of this owner and severity. */
    openBreach: (pid: string, owner: string, severity: string) =>
      `${p}:${pid}:open:${owner}:${severity}`,
    /** Objects with an open breach of this expectation. */
    openExpectation: (pid: string, expectation: string) => `${p}:${pid}:breach:${expectation}`,
    /** Objects whose check failed. */
    failedCheck: (pid: string, check: string) => `${p}:${pid}:check:${check}`,
    deadlines: `${p}:deadlines`,
    /** Deadlines claimed by a worker and not yet done, scored by the end of the claim. */
    firing: `${p}:firing`,
    /** Escalations owed (one per breach whose expectation escalates), scored by when due. */
    escalations: `${p}:escalations`,
    /** Escalations claimed by a worker and not yet done, scored by the end of the claim. */
    escalating: `${p}:escalating`,
  };
}

export type TowerKeys = ReturnType<typeof towerKeys>;

/** Member of the deadline schedule: process, expectation and key (keys may hold anything). */
export function deadlineMember(pid: string, expectation: string, key: string): string {
  return JSON.stringify([pid, expectation, key]);
}

/** Member of the escalation queue: process, key and breach id. */
export function escalationMember(pid: string, key: string, breachId: string): string {
  return JSON.stringify([pid, key, breachId]);
}

export function parseEscalationMember(
  member: string,
): { pid: string; key: string; breachId: string } | undefined {
  const parsed = parseDeadlineMember(member);
  return parsed && { pid: parsed.pid, key: parsed.expectation, breachId: parsed.key };
}

export function parseDeadlineMember(
  member: string,
): { pid: string; expectation: string; key: string } | undefined {
  try {
    const [pid, expectation, key] = JSON.parse(member) as unknown[];
    if (typeof pid === 'string' && typeof expectation === 'string' && typeof key === 'string')
      return { pid, expectation, key };
  } catch {
    // not ours: dropped below
  }
  return undefined;
}

/**
 * Claims due deadlines atomically: whichever worker runs this first gets a deadline, no other
 * ever does. A claim lasts `lease` ms; a worker that dies holding it lets the next scan take it
 * again (the breach id makes that second attempt a no-op when the first one got through).
 */
const CLAIM = `
local out = {}
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, m in ipairs(stale) do
  redis.call('ZADD', KEYS[2], ARGV[3], m)
  table.insert(out, m)
end
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, m in ipairs(due) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('ZADD', KEYS[2], ARGV[3], m)
  table.insert(out, m)
end
return out`;

const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

interface TowerCommands {
  crossdockTowerClaim(
    k1: string,
    k2: string,
    now: number,
    limit: number,
    until: number,
  ): Promise<string[]>;
  crossdockTowerUnlock(k: string, token: string): Promise<number>;
}

export class TowerStore {
  readonly k: TowerKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly retentionMs: number,
  ) {
    this.k = towerKeys(prefix);
    redis.defineCommand('crossdockTowerClaim', { numberOfKeys: 2, lua: CLAIM });
    redis.defineCommand('crossdockTowerUnlock', { numberOfKeys: 1, lua: UNLOCK });
  }

  private get cmd(): TowerCommands {
    return this.redis as unknown as TowerCommands;
  }

  async get(pid: string, key: string): Promise<ObjectState | undefined> {
    const text = await this.redis.get(this.k.object(pid, key));
    return text ? (JSON.parse(text) as ObjectState) : undefined;
  }

  async getMany(pid: string, keys: readonly string[]): Promise<ObjectState[]> {
    if (keys.length === 0) return [];
    const texts = await this.redis.mget(...keys.map((key) => this.k.object(pid, key)));
    return texts.filter((t): t is string => t !== null).map((t) => JSON.parse(t) as ObjectState);
  }

  /**
   * Runs `update` on one object with the object locked, so two workers recording milestones of
   * the same order never lose one another's. Another object is never blocked.
   */
  async withLock<T>(pid: string, key: string, update: () => Promise<T>): Promise<T> {
    const lock = this.k.lock(pid, key);
    const token = randomUUID();
    for (let attempt = 0; ; attempt++) {
      const ok = await this.redis.set(lock, token, 'PX', 10_000, 'NX');
      if (ok === 'OK') break;
      if (attempt > 400) throw new Error(`The object ${pid}/${key} stayed locked.`);
      await sleep(5 + Math.floor(Math.random() * 20));
    }
    try {
      return await update();
    } finally {
      await this.cmd.crossdockTowerUnlock(lock, token);
    }
  }

  /**
   * Writes an object and moves it between indexes and deadlines, in one transaction; with it the
   * escalations the change owes (`escalationMember`s, due at `dueAt`), so a breach is never
   * saved without the job that escalates it.
   */
  async put(
    process: ProcessDocument,
    before: ObjectState | undefined,
    after: ObjectState,
    escalations: readonly string[] = [],
    dueAt = 0,
  ): Promise<void> {
    const { k } = this;
    const pid = process.id;
    const key = after.key;
    const m = this.redis.multi();
    m.set(k.object(pid, key), JSON.stringify(after), 'PX', this.retentionMs);
    m.zadd(k.objects(pid), Date.parse(after.updatedAt), key);
    if (before && before.stage !== after.stage) m.zrem(k.stage(pid, before.stage), key);
    m.zadd(k.stage(pid, after.stage), Date.parse(after.stageSince), key);

    const openBefore = new Set(
      openBreachIndexes(before).map(([owner, severity]) => JSON.stringify([owner, severity])),
    );
    const openAfter = openBreachIndexes(after);
    for (const [owner, severity, at] of openAfter) {
      m.zadd(k.openBreach(pid, owner, severity), at, key);
      openBefore.delete(JSON.stringify([owner, severity]));
    }
    for (const text of openBefore) {
      const [owner, severity] = JSON.parse(text) as [string, string];
      m.zrem(k.openBreach(pid, owner, severity), key);
    }
    const ownersAfter = new Map<string, number>();
    for (const [owner, , at] of openAfter)
      ownersAfter.set(owner, Math.min(at, ownersAfter.get(owner) ?? at));
    for (const [owner, at] of ownersAfter) m.zadd(k.owner(pid, owner), at, key);
    for (const [owner] of openBreachIndexes(before))
      if (!ownersAfter.has(owner)) m.zrem(k.owner(pid, owner), key);
    const firstBreach = Math.min(...openAfter.map(([, , at]) => at));
    if (Number.isFinite(firstBreach)) m.zadd(k.breached(pid), firstBreach, key);
    else m.zrem(k.breached(pid), key);

    const openExpectations = new Map<string, number>();
    for (const b of after.breaches)
      if (b.status === 'open')
        openExpectations.set(
          b.expectation,
          Math.min(Date.parse(b.breachedAt), openExpectations.get(b.expectation) ?? Infinity),
        );
    for (const [expectation, at] of openExpectations)
      m.zadd(k.openExpectation(pid, expectation), at, key);
    for (const b of before?.breaches ?? [])
      if (!openExpectations.has(b.expectation)) m.zrem(k.openExpectation(pid, b.expectation), key);

    const failed = new Set(after.failedChecks.map((f) => f.check));
    for (const f of after.failedChecks) m.zadd(k.failedCheck(pid, f.check), Date.parse(f.at), key);
    for (const f of before?.failedChecks ?? [])
      if (!failed.has(f.check)) m.zrem(k.failedCheck(pid, f.check), key);

    const openNow = new Map(after.open.map((o) => [o.expectation, o]));
    for (const o of before?.open ?? [])
      if (!openNow.has(o.expectation)) m.zrem(k.deadlines, deadlineMember(pid, o.expectation, key));
    for (const o of after.open)
      m.zadd(k.deadlines, Date.parse(o.deadline), deadlineMember(pid, o.expectation, key));
    for (const e of escalations) m.zadd(k.escalations, 'NX', dueAt, e);
    await m.exec();
  }

  /** Due deadlines, claimed for `leaseMs`; cost grows with the number due, not the number open. */
  claimDue(now: number, limit: number, leaseMs: number): Promise<string[]> {
    return this.cmd.crossdockTowerClaim(this.k.deadlines, this.k.firing, now, limit, now + leaseMs);
  }

  async doneFiring(members: readonly string[]): Promise<void> {
    if (members.length > 0) await this.redis.zrem(this.k.firing, ...members);
  }

  /** Escalations due, claimed for `leaseMs` (a dead worker's claim is taken again after it). */
  claimEscalations(now: number, limit: number, leaseMs: number): Promise<string[]> {
    return this.cmd.crossdockTowerClaim(
      this.k.escalations,
      this.k.escalating,
      now,
      limit,
      now + leaseMs,
    );
  }

  async doneEscalating(members: readonly string[]): Promise<void> {
    if (members.length > 0) await this.redis.zrem(this.k.escalating, ...members);
  }

  /** Drops objects past the retention from every index of their process. */
  async trim(process: ProcessDocument, now: number): Promise<number> {
    const { k } = this;
    const pid = process.id;
    const cutoff = now - this.retentionMs;
    const expired = await this.redis.zrangebyscore(
      k.objects(pid),
      '-inf',
      `(${cutoff}`,
      'LIMIT',
      0,
      1000,
    );
    if (expired.length === 0) return 0;
    const m = this.redis.multi();
    const sets = [
      k.objects(pid),
      k.breached(pid),
      ...process.milestones.map((s) => k.stage(pid, s.id)),
      ...process.checks.map((c) => k.failedCheck(pid, c.id)),
      ...process.expectations.map((x) => k.openExpectation(pid, x.id)),
      ...[...new Set(process.expectations.map((x) => x.owner))].map((o) => k.owner(pid, o)),
      ...[...new Set(process.expectations.map((x) => JSON.stringify([x.owner, x.severity])))].map(
        (t) => {
          const [owner, severity] = JSON.parse(t) as [string, string];
          return k.openBreach(pid, owner, severity);
        },
      ),
    ];
    for (const set of sets) m.zrem(set, ...expired);
    for (const key of expired)
      for (const x of process.expectations) m.zrem(k.deadlines, deadlineMember(pid, x.id, key));
    await m.exec();
    return expired.length;
  }
}

/** `[owner, severity, first breach ms]` of each open breach group of an object. */
function openBreachIndexes(state: ObjectState | undefined): [string, string, number][] {
  const groups = new Map<string, [string, string, number]>();
  for (const b of state?.breaches ?? []) {
    if (b.status !== 'open') continue;
    const id = JSON.stringify([b.owner, b.severity]);
    const at = Date.parse(b.breachedAt);
    const current = groups.get(id);
    if (!current || at < current[2]) groups.set(id, [b.owner, b.severity, at]);
  }
  return [...groups.values()];
}
